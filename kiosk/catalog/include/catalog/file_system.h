// The file system behind an interface, as leveldb's Env: the photo store and ingest reach
// the disk only through here, so tests swap in a FileSystem that fails fsync, runs out of
// space or loses a card mid-read.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "vk/result.h"

namespace vk::catalog {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Reads a whole file, refusing files over max_bytes. Errors carry the path and say in plain
  // words what happened ("the card was removed", "permission denied").
  virtual Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path, std::uint64_t max_bytes) = 0;

  // Writes `bytes` to `temp`, fsyncs it, renames it to `final_path` and fsyncs the directory:
  // after success the file is complete and durable; after failure nothing exists at final_path
  // that was not there before, and `temp` is removed.
  virtual Status write_durably(const std::filesystem::path& temp, const std::filesystem::path& final_path,
                               std::span<const std::uint8_t> bytes) = 0;

  // Creates a directory and its parents, fsyncing each new one's parent so it survives power loss.
  virtual Status create_directories(const std::filesystem::path& dir) = 0;

  // Bytes available to unprivileged writers on the file system holding `path`.
  virtual Result<std::uint64_t> free_bytes(const std::filesystem::path& path) = 0;
};

// The real thing (POSIX).
FileSystem& posix_file_system();

// errno -> Error with the path attached and a message a person understands.
Error error_from_errno(int err, const std::string& action, const std::filesystem::path& path);

}  // namespace vk::catalog
