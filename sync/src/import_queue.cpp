#include "sync/import_queue.h"

#include <chrono>

namespace vk::sync {

void ImportQueue::add(std::vector<ScanItem> items, int already_done, std::uint64_t already_bytes, int filtered) {
  {
    std::lock_guard lock(mutex_);
    for (auto& item : items) {
      counts_.item_bytes += item.bytes;
      items_.push_back(std::move(item));
    }
    counts_.items = static_cast<int>(items_.size());
    counts_.already_done += already_done;
    counts_.already_bytes += already_bytes;
    counts_.filtered += filtered;
  }
  added_.notify_all();
}

void ImportQueue::close(std::vector<std::string> skipped_videos, int ignored) {
  {
    std::lock_guard lock(mutex_);
    counts_.closed = true;
    skipped_videos_ = std::move(skipped_videos);
    ignored_ = ignored;
  }
  added_.notify_all();
}

std::optional<ScanItem> ImportQueue::wait_for(std::size_t index, const std::function<bool()>& give_up) {
  std::unique_lock lock(mutex_);
  while (index >= items_.size() && !counts_.closed) {
    if (give_up && give_up()) return std::nullopt;
    added_.wait_for(lock, std::chrono::milliseconds(50));
  }
  if (index >= items_.size()) return std::nullopt;
  return items_[index];  // a copy: the vector may grow while the caller works on it
}

ImportQueue::Counts ImportQueue::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::vector<std::string> ImportQueue::skipped_videos() const {
  std::lock_guard lock(mutex_);
  return skipped_videos_;
}

int ImportQueue::ignored() const {
  std::lock_guard lock(mutex_);
  return ignored_;
}

}  // namespace vk::sync
