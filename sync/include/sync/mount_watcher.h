// Watches the mount table and reports volumes mounted and unmounted below the watch roots.
//
// The kernel flags /proc/self/mountinfo with POLLPRI whenever a mount appears or goes; the
// watcher then rereads the table and compares it with what it saw before. Mounts already
// present when it starts are reported as mounted, so a card inserted while the daemon was
// down (or killed) is picked up at start.
//
// Ownership: the watcher owns its thread, the mountinfo fd and an eventfd that wakes it for
// stop(). Callbacks run on the watcher thread, one at a time, and must not block for long.
#pragma once

#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "sync/mount_table.h"
#include "vk/result.h"
#include "vk/unique_fd.h"

namespace vk::sync {

class MountWatcher {
 public:
  struct Callbacks {
    std::function<void(const MountEntry&)> mounted;
    std::function<void(const MountEntry&)> unmounted;
  };
  MountWatcher(std::vector<std::filesystem::path> roots, Callbacks callbacks);
  ~MountWatcher();  // stops
  MountWatcher(const MountWatcher&) = delete;
  MountWatcher& operator=(const MountWatcher&) = delete;

  // Reports the mounts present now (on the calling thread), then watches on a thread of its own.
  Status start();
  // Returns once the thread has ended; no callback runs after that. Any thread but the watcher's.
  void stop();

 private:
  void run();
  void rescan();

  std::vector<std::filesystem::path> roots_;
  Callbacks callbacks_;
  std::vector<MountEntry> known_;
  UniqueFd mountinfo_fd_;
  UniqueFd wake_fd_;
  std::thread thread_;
};

}  // namespace vk::sync
