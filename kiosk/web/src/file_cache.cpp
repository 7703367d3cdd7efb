#include "file_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "vk/unique_fd.h"

namespace vk::web {
namespace {

constexpr std::size_t kPopulateBytes = 1 << 20;

}  // namespace

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::filesystem::path& path) {
  const UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (file.get() < 0)
    return make_error(errno == ENOENT ? ErrorCode::not_found : ErrorCode::io, std::strerror(errno), path.string());
  struct stat st {};
  if (::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return make_error(ErrorCode::io, "not a regular file", path.string());
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::uint8_t* data = nullptr;
  if (size > 0) {
    // Thumbnails and screen copies are small and about to be sent: fault them in now, in one
    // call, rather than page by page inside writev().
    const int populate = size <= kPopulateBytes ? MAP_POPULATE : 0;
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED | populate, file.get(), 0);
    if (p == MAP_FAILED)
      return make_error(ErrorCode::io, std::string("cannot map: ") + std::strerror(errno), path.string());
    data = static_cast<const std::uint8_t*>(p);
  }
  return std::shared_ptr<const MappedFile>(new MappedFile(data, size, st.st_mtim.tv_sec));
}

Status MappedFile::load() const {
  if (data_ == nullptr) return {};
  auto* start = const_cast<std::uint8_t*>(data_);
  if (::madvise(start, size_, MADV_POPULATE_READ) == 0) return {};
  if (errno != EINVAL) {  // EINVAL: a kernel before 5.14; anything else is the file's fault
    return make_error(ErrorCode::io, std::string("cannot read the file: ") + std::strerror(errno));
  }
  (void)::madvise(start, size_, MADV_WILLNEED);
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::uint8_t sum = 0;
  for (std::size_t i = 0; i < size_; i += page) sum ^= static_cast<const volatile std::uint8_t*>(data_)[i];
  (void)sum;
  return {};
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

Result<std::shared_ptr<const MappedFile>> FileCache::get(std::uint64_t key, const std::filesystem::path& dir,
                                                         std::string_view relative_path) {
  {
    std::shared_lock lock(mutex_);
    const auto it = index_.find(key);
    if (it != index_.end()) {
      Entry& entry = entries_[it->second];
      if (entry.relative_path == relative_path) {
        if (!entry.used.load(std::memory_order_relaxed)) entry.used.store(true, std::memory_order_relaxed);
        return entry.file;
      }
    }
  }
  VK_ASSIGN_OR_RETURN(auto file, MappedFile::open(dir / relative_path));
  std::shared_ptr<const MappedFile> evicted;  // unmapped after the lock is released
  std::lock_guard lock(mutex_);
  std::size_t slot = 0;
  if (const auto it = index_.find(key); it != index_.end()) {
    slot = it->second;  // mapped meanwhile by the other loop, or its file was replaced
  } else if (entries_.size() < max_files_) {
    slot = entries_.size();
    entries_.emplace_back();
    index_.emplace(key, slot);
  } else {
    while (entries_[hand_].used.exchange(false, std::memory_order_relaxed)) hand_ = (hand_ + 1) % entries_.size();
    slot = hand_;
    hand_ = (hand_ + 1) % entries_.size();
    index_.erase(entries_[slot].key);
    index_.emplace(key, slot);
  }
  Entry& entry = entries_[slot];
  evicted = std::exchange(entry.file, file);
  entry.key = key;
  entry.relative_path.assign(relative_path);
  entry.used.store(true, std::memory_order_relaxed);
  return file;
}

}  // namespace vk::web
