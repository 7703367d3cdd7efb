// The photo store: content-addressed files under the data directory.
//
//   originals/ab/<sha256>.<ext>   the camera's bytes, untouched (JPEG, RAW, PNG ...)
//   screen/ab/<sha256>.jpg        fits the big screen (1920x1080 by default), no metadata
//   thumb/ab/<sha256>.jpg         fits 400x400, no metadata
//   tmp/                          files being written; never named by the catalog
//
// `ab` is the first two hex digits of the photo's SHA-256. Files are written to tmp/,
// fsynced and renamed into place, so a path that exists is always complete. Safe to use from
// several threads and processes at once: temp names carry the process id and a counter.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "catalog/file_system.h"
#include "vk/result.h"

namespace vk::catalog {

enum class FileRole { original, raw, screen, thumb };
std::string_view role_name(FileRole role);

class PhotoStore {
 public:
  PhotoStore(std::filesystem::path data_dir, FileSystem& fs);

  // Creates the directory layout and removes temp files left by processes that died.
  Status open();

  // Path relative to the data dir, e.g. "originals/ab/ab12...ef.jpg". `sha256` must be hex.
  static std::string relative_path(FileRole role, const std::string& sha256, std::string_view extension);
  [[nodiscard]] std::filesystem::path absolute(const std::string& relative) const { return data_dir_ / relative; }

  // Stores `bytes` durably under its role/hash; a complete file already there is kept as is
  // (same hash, same content), so re-importing after a crash costs no second write.
  // Returns true when this call created the file.
  Result<bool> put(const std::string& relative, std::span<const std::uint8_t> bytes);

  // Removes a file this process created but could not commit to the catalog.
  void discard(const std::string& relative);

  [[nodiscard]] const std::filesystem::path& data_dir() const { return data_dir_; }
  FileSystem& fs() { return fs_; }

 private:
  std::filesystem::path temp_path();

  std::filesystem::path data_dir_;
  FileSystem& fs_;
  std::atomic<std::uint64_t> temp_counter_{0};
};

}  // namespace vk::catalog
