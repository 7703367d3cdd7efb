#include "catalog/photo_store.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

namespace vk::catalog {
namespace {

// Temp names are "<pid>-<counter>.part"; a pid that no longer runs left it behind.
bool left_by_dead_process(const std::string& name) {
  int pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (ec != std::errc() || pid <= 0 || end == name.data() + name.size() || *end != '-') return true;
  return pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

std::string_view role_name(FileRole role) {
  switch (role) {
    case FileRole::original: return "original";
    case FileRole::raw: return "raw";
    case FileRole::screen: return "screen";
    case FileRole::thumb: return "thumb";
  }
  return "original";
}

PhotoStore::PhotoStore(std::filesystem::path data_dir, FileSystem& fs) : data_dir_(std::move(data_dir)), fs_(fs) {}

Status PhotoStore::open() {
  for (const char* dir : {"originals", "screen", "thumb", "tmp"}) {
    VK_RETURN_IF_ERROR(fs_.create_directories(data_dir_ / dir));
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir_ / "tmp", ec)) {
    if (left_by_dead_process(entry.path().filename().string())) std::filesystem::remove(entry.path(), ec);
  }
  return {};
}

std::string PhotoStore::relative_path(FileRole role, const std::string& sha256, std::string_view extension) {
  const bool original = role == FileRole::original || role == FileRole::raw;
  const std::string_view top = original ? "originals" : role_name(role);
  std::string path;
  path.reserve(100);
  path.append(top).append("/").append(sha256.substr(0, 2)).append("/").append(sha256).append(".").append(extension);
  return path;
}

std::filesystem::path PhotoStore::temp_path() {
  return data_dir_ / "tmp" / (std::to_string(::getpid()) + "-" + std::to_string(temp_counter_++) + ".part");
}

Result<bool> PhotoStore::put(const std::string& relative, std::span<const std::uint8_t> bytes) {
  const std::filesystem::path target = data_dir_ / relative;
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0 && static_cast<std::size_t>(st.st_size) == bytes.size()) return false;
  VK_RETURN_IF_ERROR(fs_.create_directories(target.parent_path()));
  VK_RETURN_IF_ERROR(fs_.write_durably(temp_path(), target, bytes));
  return true;
}

void PhotoStore::discard(const std::string& relative) {
  std::error_code ec;
  std::filesystem::remove(data_dir_ / relative, ec);
}

}  // namespace vk::catalog
