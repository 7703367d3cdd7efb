// Image files mapped into memory, kept in a bounded LRU: hot thumbnails are answered from the
// page cache without an open()/pread() per request (opening each time measured at 0.79x nginx),
// and mapped pages are file-backed, so they do not count as the server's private memory. A
// mapping holds no file descriptor, so the bound is on mappings (vm.max_map_count), not fds;
// it must exceed the files a crowd cycles through, or every request misses (a 4,096 bound
// under 5,000 thumbnails fetched in turn missed every time: one mmap+munmap per request).
// Paths come from the catalog only, never from a request. Any thread.
//
// Both loops ask on every image request, so a hit only takes the lock shared and marks its
// entry used (CLOCK, the usual stand-in for LRU that needs no list surgery on a hit): a loop
// descheduled in here never holds up the other. Misses map the file outside the lock, then
// take it exclusively to insert, evicting the first entry the clock hand finds unused.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <shared_mutex>
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
  // Reads the whole file in now and maps every page (MADV_POPULATE_READ, Linux 5.14+; one read
  // per page on an older kernel). For a worker thread: a loop that then sends the file never
  // waits on the disk, page by page, inside writev(). With MADV_POPULATE_READ an error (a read
  // error on the card, a file truncated since it was mapped) comes back here instead of as a
  // SIGBUS on a loop; the page-by-page fallback cannot catch it.
  [[nodiscard]] Status load() const;

 private:
  MappedFile(const std::uint8_t* data, std::size_t size, std::int64_t mtime)
      : data_(data), size_(size), mtime_(mtime) {}
  const std::uint8_t* data_;
  std::size_t size_;
  std::int64_t mtime_;
};

class FileCache {
 public:
  explicit FileCache(std::size_t max_files) : max_files_(std::max<std::size_t>(max_files, 1)) {}
  // `key` names the file cheaply (photo id and role), so a hit builds no path; the file is
  // dir/relative_path, and an entry whose relative path changed is mapped afresh.
  Result<std::shared_ptr<const MappedFile>> get(std::uint64_t key, const std::filesystem::path& dir,
                                                std::string_view relative_path);

 private:
  struct Entry {
    std::uint64_t key = 0;
    std::string relative_path;
    std::shared_ptr<const MappedFile> file;
    std::atomic<bool> used{true};  // set by every hit, cleared as the clock hand passes
  };
  std::shared_mutex mutex_;
  std::deque<Entry> entries_;                             // grows to max_files_, then slots are reused in place
  std::unordered_map<std::uint64_t, std::size_t> index_;  // key -> slot in entries_
  std::size_t hand_ = 0;
  std::size_t max_files_;
};

}  // namespace vk::web
