// A FileSystem that passes through to the real one until told to fail: disk full after N
// durable writes, a source file that vanishes (card pulled), fsync that fails.
#pragma once

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <set>
#include <string>

#include "catalog/file_system.h"

namespace vk::testing {

class FaultyFileSystem final : public catalog::FileSystem {
 public:
  // Durable writes after this many succeed fail with ENOSPC (-1: never).
  std::atomic<int> writes_before_disk_full{-1};
  // Reads of files whose name is listed fail as if the card was pulled (EIO).
  std::set<std::string> unreadable_names;

  Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path, std::uint64_t max) override {
    if (unreadable_names.count(path.filename().string()) != 0) {
      return catalog::error_from_errno(EIO, "read", path);
    }
    return real().read_file(path, max);
  }
  Status write_durably(const std::filesystem::path& temp, const std::filesystem::path& final_path,
                       std::span<const std::uint8_t> bytes) override {
    if (writes_before_disk_full >= 0 && writes_before_disk_full-- == 0) {
      writes_before_disk_full = 0;
      // Like a real ENOSPC mid-write: a partial temp file exists until the store cleans it.
      return catalog::error_from_errno(ENOSPC, "write", final_path);
    }
    return real().write_durably(temp, final_path, bytes);
  }
  Status create_directories(const std::filesystem::path& dir) override { return real().create_directories(dir); }
  Result<std::uint64_t> free_bytes(const std::filesystem::path& path) override { return real().free_bytes(path); }

 private:
  static catalog::FileSystem& real() { return catalog::posix_file_system(); }
};

}  // namespace vk::testing
