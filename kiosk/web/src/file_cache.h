// Image files mapped into memory, kept open in a bounded LRU: hot thumbnails are answered
// from the page cache without an open()/pread() per request (opening each time measured at
// 0.79x nginx), and mapped pages are file-backed, so they do not count as the server's
// private memory. Paths come from the catalog only, never from a request. Any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "vk/result.h"

namespace vk::web {

class MappedFile {
 public:
  static Result<std::shared_ptr<const MappedFile>> open(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  [[nodiscard]] std::int64_t mtime() const { return mtime_; }

 private:
  MappedFile(const std::uint8_t* data, std::size_t size, std::int64_t mtime) : data_(data), size_(size), mtime_(mtime) {}
  const std::uint8_t* data_;
  std::size_t size_;
  std::int64_t mtime_;
};

class FileCache {
 public:
  explicit FileCache(std::size_t max_files) : max_files_(max_files) {}
  Result<std::shared_ptr<const MappedFile>> get(const std::filesystem::path& path);

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const MappedFile>>;
  std::mutex mutex_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t max_files_;
};

}  // namespace vk::web
