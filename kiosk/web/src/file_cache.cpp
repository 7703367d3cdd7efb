#include "file_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vk::web {
namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::filesystem::path& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0) return make_error(errno == ENOENT ? ErrorCode::not_found : ErrorCode::io, std::strerror(errno), path.string());
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) return make_error(ErrorCode::io, "not a regular file", path.string());
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::uint8_t* data = nullptr;
  if (size > 0) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, file.fd, 0);
    if (p == MAP_FAILED) return make_error(ErrorCode::io, std::string("cannot map: ") + std::strerror(errno), path.string());
    data = static_cast<const std::uint8_t*>(p);
  }
  return std::shared_ptr<const MappedFile>(new MappedFile(data, size, st.st_mtim.tv_sec));
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

Result<std::shared_ptr<const MappedFile>> FileCache::get(const std::filesystem::path& path) {
  const std::string key = path.string();
  {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->second;
    }
  }
  VK_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  std::lock_guard lock(mutex_);
  if (index_.find(key) == index_.end()) {
    lru_.emplace_front(key, file);
    index_[key] = lru_.begin();
    while (lru_.size() > max_files_) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }
  return file;
}

}  // namespace vk::web
