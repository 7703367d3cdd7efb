#include "sync/store_sweep.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <unordered_set>

#include "catalog/ingest.h"
#include "vk/unique_fd.h"

namespace vk::sync {
namespace {

namespace fs = std::filesystem;

// The exclusive side of the ingest lock; released when it goes out of scope.
class ExclusiveLock {
 public:
  explicit ExclusiveLock(const fs::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    held_ = fd_.valid() && ::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0;
  }
  [[nodiscard]] bool held() const { return held_; }
  [[nodiscard]] bool opened() const { return fd_.valid(); }

 private:
  UniqueFd fd_;
  bool held_ = false;
};

}  // namespace

Result<SweepResult> sweep_orphans(catalog::PhotoStore& store, catalog::Catalog& catalog) {
  const fs::path& data = store.data_dir();
  ExclusiveLock lock(catalog::ingest_lock_path(data));
  if (!lock.opened()) return catalog::error_from_errno(errno, "open", catalog::ingest_lock_path(data));
  SweepResult result;
  if (!lock.held()) {
    result.skipped = true;
    return result;
  }
  VK_ASSIGN_OR_RETURN(result.runs_closed, catalog.close_interrupted_runs("interrupted (venuekiosk stopped)"));
  VK_ASSIGN_OR_RETURN(const auto named, catalog.stored_file_paths());
  const std::unordered_set<std::string> keep(named.begin(), named.end());
  std::vector<fs::path> orphans;
  for (const char* top : {"originals", "screen", "thumb"}) {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(data / top, ec)) {
      if (!entry.is_regular_file(ec)) continue;
      const std::string relative = fs::relative(entry.path(), data, ec).generic_string();
      if (!ec && keep.count(relative) == 0) orphans.push_back(entry.path());
    }
  }
  for (const auto& orphan : orphans) {
    std::error_code ec;
    if (fs::remove(orphan, ec)) ++result.removed;
  }
  return result;
}

}  // namespace vk::sync
