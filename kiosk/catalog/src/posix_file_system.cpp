#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "catalog/file_system.h"
#include "vk/unique_fd.h"

namespace vk::catalog {
namespace {

Status fsync_directory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return error_from_errno(errno, "open directory", dir);
  if (::fsync(fd.get()) != 0) return error_from_errno(errno, "sync directory", dir);
  return {};
}

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path, std::uint64_t max_bytes) override {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) return error_from_errno(errno, "open", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return error_from_errno(errno, "stat", path);
    if (!S_ISREG(st.st_mode)) return make_error(ErrorCode::invalid_input, "not a regular file", path.string());
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
      return make_error(ErrorCode::too_large,
                        "the file is too large (" + std::to_string(st.st_size / (1024 * 1024)) + " MB) to be a photo",
                        path.string());
    }
    // The kernel only reads ahead by default; a card is read once, front to back.
    ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return error_from_errno(errno, "read", path);
      if (n == 0) return make_error(ErrorCode::truncated, "the file got shorter while it was read", path.string());
      done += static_cast<std::size_t>(n);
    }
    return bytes;
  }

  Status write_durably(const std::filesystem::path& temp, const std::filesystem::path& final_path,
                       std::span<const std::uint8_t> bytes) override {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) return error_from_errno(errno, "create", temp);
    auto fail = [&](int err, const char* action) {
      ::unlink(temp.c_str());
      return error_from_errno(err, action, final_path);
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(errno, "write");
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return fail(errno, "sync");
    if (::close(fd.release()) != 0) return fail(errno, "close");
    if (::rename(temp.c_str(), final_path.c_str()) != 0) return fail(errno, "rename");
    return fsync_directory(final_path.parent_path());
  }

  Status create_directories(const std::filesystem::path& dir) override {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return {};
    if (dir.has_parent_path() && dir.parent_path() != dir) VK_RETURN_IF_ERROR(create_directories(dir.parent_path()));
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return error_from_errno(errno, "create directory", dir);
    // A relative top-level directory ("data") has an empty parent: the one to sync is ".".
    return fsync_directory(dir.has_parent_path() ? dir.parent_path() : std::filesystem::path("."));
  }

  Result<std::uint64_t> free_bytes(const std::filesystem::path& path) override {
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0) return error_from_errno(errno, "check free space on", path);
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
  }
};

}  // namespace

FileSystem& posix_file_system() {
  static PosixFileSystem instance;  // stateless: one per process is fine
  return instance;
}

Error error_from_errno(int err, const std::string& action, const std::filesystem::path& path) {
  ErrorCode code = ErrorCode::io;
  std::string plain;
  switch (err) {
    case ENOENT:
      code = ErrorCode::not_found;
      plain = "it does not exist (was the card removed?)";
      break;
    case ENOSPC:
    case EDQUOT:
      code = ErrorCode::no_space;
      plain = "the disk is full";
      break;
    case EACCES:
    case EPERM: plain = "permission denied"; break;
    case EIO: plain = "input/output error (a failing card or disk, or the card was pulled out)"; break;
    case ENOTCONN:
    case ENODEV:
    case ENXIO: plain = "the device is gone (the card was removed)"; break;
    case EROFS: plain = "the file system is read-only"; break;
    default: plain = std::strerror(err); break;
  }
  return make_error(code, "cannot " + action + ": " + plain, path.string());
}

}  // namespace vk::catalog
