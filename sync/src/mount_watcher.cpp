#include "sync/mount_watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "catalog/file_system.h"

namespace vk::sync {
namespace {

bool same_mount(const MountEntry& a, const MountEntry& b) {
  return a.mount_point == b.mount_point && a.source == b.source && a.fs_type == b.fs_type;
}

bool contains(const std::vector<MountEntry>& list, const MountEntry& m) {
  return std::any_of(list.begin(), list.end(), [&](const MountEntry& e) { return same_mount(e, m); });
}

}  // namespace

MountWatcher::MountWatcher(std::vector<std::filesystem::path> roots, Callbacks callbacks)
    : roots_(std::move(roots)), callbacks_(std::move(callbacks)) {
  for (auto& root : roots_) root = std::filesystem::absolute(root).lexically_normal();
}

MountWatcher::~MountWatcher() {
  stop();
}

Status MountWatcher::start() {
  mountinfo_fd_.reset(::open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC));
  if (!mountinfo_fd_.valid()) return catalog::error_from_errno(errno, "open", "/proc/self/mountinfo");
  wake_fd_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_fd_.valid()) {
    const int err = errno;
    mountinfo_fd_.reset();
    return catalog::error_from_errno(err, "create an eventfd for", "the mount watcher");
  }
  rescan();
  thread_ = std::thread([this] { run(); });
  return {};
}

void MountWatcher::stop() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_.get(), &one, sizeof one);
    thread_.join();
  }
  mountinfo_fd_.reset();
  wake_fd_.reset();
}

void MountWatcher::run() {
  while (true) {
    pollfd fds[2] = {{mountinfo_fd_.get(), POLLPRI, 0}, {wake_fd_.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if ((fds[1].revents & POLLIN) != 0) return;
    // The POLLPRI flag stays raised until the file is read again from its start; rescan()
    // reads it through a fresh stream, so rewind and drain our fd to acknowledge the change.
    if ((fds[0].revents & (POLLPRI | POLLERR)) != 0) {
      char buffer[4096];
      ::lseek(mountinfo_fd_.get(), 0, SEEK_SET);
      while (::read(mountinfo_fd_.get(), buffer, sizeof buffer) > 0) {
      }
      rescan();
    }
  }
}

void MountWatcher::rescan() {
  auto table = read_mount_table();
  if (!table) return;
  std::vector<MountEntry> now;
  for (auto& m : *table) {
    const bool watched =
        std::any_of(roots_.begin(), roots_.end(), [&](const auto& root) { return is_below(m.mount_point, root); });
    // A later mount on the same point hides the earlier one; keep only the visible (last) one.
    if (!watched) continue;
    now.erase(
        std::remove_if(now.begin(), now.end(), [&](const MountEntry& e) { return e.mount_point == m.mount_point; }),
        now.end());
    now.push_back(std::move(m));
  }
  for (const auto& gone : known_) {
    if (!contains(now, gone) && callbacks_.unmounted) callbacks_.unmounted(gone);
  }
  for (const auto& added : now) {
    if (!contains(known_, added) && callbacks_.mounted) callbacks_.mounted(added);
  }
  known_ = std::move(now);
}

}  // namespace vk::sync
