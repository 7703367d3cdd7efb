#include "file_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vk::web {
namespace {

constexpr std::size_t kPopulateBytes = 1 << 20;

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::filesystem::path& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0)
    return make_error(errno == ENOENT ? ErrorCode::not_found : ErrorCode::io, std::strerror(errno), path.string());
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode))
    return make_error(ErrorCode::io, "not a regular file", path.string());
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::uint8_t* data = nullptr;
  if (size > 0) {
    // Thumbnails and screen copies are small and about to be sent: fault them in now, in one
    // call, rather than page by page inside writev().
    const int populate = size <= kPopulateBytes ? MAP_POPULATE : 0;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED | populate, file.fd, 0);
    if (p == MAP_FAILED)
      return make_error(ErrorCode::io, std::string("cannot map: ") + std::strerror(errno), path.string());
    data = static_cast<const std::uint8_t*>(p);
  }
  return std::shared_ptr<const MappedFile>(new MappedFile(data, size, st.st_mtim.tv_sec));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

Result<std::shared_ptr<const MappedFile>> FileCache::get(std::uint64_t key, const std::filesystem::path& dir,
                                                         std::string_view relative_path) {
  {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it != index_.end() && it->second->relative_path == relative_path) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->file;
    }
  }
  VK_ASSIGN_OR_RETURN(auto file, MappedFile::open(dir / relative_path));
  std::shared_ptr<const MappedFile> evicted;  // unmapped after the lock is released
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    evicted = std::move(it->second->file);
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front({key, std::string(relative_path), file});
  index_[key] = lru_.begin();
  if (lru_.size() > max_files_) {
    evicted = std::move(lru_.back().file);
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  return file;
}

}  // namespace vk::web
