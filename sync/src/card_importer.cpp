#include "sync/card_importer.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <thread>
#include <utility>

#include "sync/card_scan.h"
#include "sync/fat_attributes.h"
#include "sync/import_job.h"
#include "sync/volume_identity.h"

namespace vk::sync {
namespace fs = std::filesystem;

struct CardImporter::Job {
  MountEntry mount;
  VolumeIdentity identity;
  std::string volume;                // identity.key(): resume key and the name people see
  std::atomic<bool> cancel{false};   // stop after the files in flight
  std::atomic<bool> removed{false};  // the card was unmounted
  std::atomic<bool> finished{false};
  std::thread thread;
};

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

// A file's original plus its screen copy and thumbnail take at most about twice its size; a
// third for the catalog's growth and the file system's own blocks.
constexpr std::uint64_t kSpaceFactor = 3;

bool has_dcim(const fs::path& root) {
  std::error_code ec;
  for (const char* name : {"DCIM", "dcim"}) {
    if (fs::is_directory(root / name, ec)) return true;
  }
  return false;
}

bool listed(const std::vector<std::string>& volumes, const MountEntry& mount, const VolumeIdentity& id) {
  return std::any_of(volumes.begin(), volumes.end(), [&](const std::string& v) {
    return (!v.empty() && (v == id.label || v == id.uuid)) || fs::path(v).lexically_normal() == mount.mount_point;
  });
}

bool still_mounted(const fs::path& mount_point) {
  auto table = read_mount_table();
  if (!table) return true;
  return std::any_of(table->begin(), table->end(), [&](const MountEntry& m) { return m.mount_point == mount_point; });
}

// The camera's protect flag as the card keeps it (sync/fat_attributes.h): the kernel's vfat
// answers per file; otherwise the FAT directories of the device or image behind the mount are
// read once (fusefat shows no attribute at all). Where neither works the scan's view (no write
// permission) stands. A RAW travelling with its JPEG protects the pair too.
class ProtectFlags {
 public:
  Status open(const MountEntry& mount, const VolumeIdentity& identity) {
    if (mount.fs_type == "vfat") {
      per_file_ = true;
      return {};
    }
    if (identity.device.empty()) return make_error(ErrorCode::not_found, "the device behind the mount is unknown");
    VK_ASSIGN_OR_RETURN(read_only_, read_only_files(identity.device));
    from_directory_ = true;
    return {};
  }
  void apply(ScanItem& item) const {
    if (per_file_) {
      if (auto ro = vfat_read_only(item.file)) item.protected_on_card = *ro;
      if (item.raw_companion) {
        item.protected_on_card = item.protected_on_card || vfat_read_only(*item.raw_companion).value_or(false);
      }
    } else if (from_directory_) {
      const fs::path folder = fs::path(item.relative).parent_path();
      const bool raw_protected =
          item.raw_companion &&
          read_only_.count(fat_path_key((folder / item.raw_companion->filename()).generic_string())) != 0;
      item.protected_on_card = read_only_.count(fat_path_key(item.relative)) != 0 || raw_protected;
    }
  }

 private:
  bool per_file_ = false;
  bool from_directory_ = false;
  std::set<std::string> read_only_;
};

std::string count_of(int done, int total) {
  return std::to_string(done) + " of " + std::to_string(total);
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

}  // namespace

CardImporter::CardImporter(catalog::Catalog& catalog, catalog::PhotoStore& store, catalog::Ingester& ingester,
                           CardImporterOptions options)
    : catalog_(catalog), store_(store), ingester_(ingester), options_(std::move(options)) {}

CardImporter::~CardImporter() {
  stop();
}

void CardImporter::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void CardImporter::reap_finished() {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if ((*it)->finished) {
      (*it)->thread.join();
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

void CardImporter::mounted(const MountEntry& mount) {
  const VolumeIdentity identity = identify_volume(mount);
  if (!has_dcim(mount.mount_point) && !listed(options_.cards.volumes, mount, identity)) return;
  auto job = std::make_unique<Job>();
  job->mount = mount;
  job->identity = identity;
  job->volume = identity.key(mount.mount_point);

  std::lock_guard lock(mutex_);
  reap_finished();
  for (const auto& other : jobs_) {
    if (other->volume == job->volume && !other->finished) {
      log("card " + job->volume + " at " + mount.mount_point.string() + " is already being imported from " +
          other->mount.mount_point.string() + "; this copy is left alone");
      return;
    }
  }
  Job& started = *job;
  jobs_.push_back(std::move(job));
  started.thread = std::thread([this, &started] {
    run_job(started);
    started.finished = true;
  });
}

void CardImporter::unmounted(const MountEntry& mount) {
  std::lock_guard lock(mutex_);
  for (auto& job : jobs_) {
    if (job->mount.mount_point == mount.mount_point && !job->finished) {
      job->removed = true;
      job->cancel = true;
    }
  }
}

void CardImporter::stop() {
  std::lock_guard lock(mutex_);
  for (auto& job : jobs_) job->cancel = true;
  for (auto& job : jobs_) {
    if (job->thread.joinable()) job->thread.join();
  }
  jobs_.clear();
}

int CardImporter::active_jobs() {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(jobs_.begin(), jobs_.end(), [](const auto& j) { return !j->finished; }));
}

Status CardImporter::wait_for_space(Job& job, std::uint64_t item_bytes, catalog::ImportRunId run,
                                    bool after_disk_full) {
  // After a real ENOSPC ask for more than the estimate: the estimate has just proved too small.
  const std::uint64_t need =
      options_.cards.free_space_reserve_bytes + kSpaceFactor * item_bytes + (after_disk_full ? 16 * kMiB : 0);
  bool announced = false;
  while (!job.cancel) {
    VK_ASSIGN_OR_RETURN(const std::uint64_t free, store_.fs().free_bytes(store_.data_dir()));
    if (free >= need && !(after_disk_full && !announced)) {
      if (announced) {
        log("card " + job.volume + ": disk space is back, the import goes on");
        set_run_state(run, "running", "");
      }
      return {};
    }
    if (!announced) {
      announced = true;
      log("card " + job.volume + ": waiting for disk space (" + std::to_string(free / kMiB) + " MB free, " +
          std::to_string(need / kMiB) + " MB needed)");
    }
    set_run_state(run, "disk_full",
                  "waiting for disk space: the disk is full (" + std::to_string(free / kMiB) + " MB free, " +
                      std::to_string(need / kMiB) + " MB needed); the import goes on by itself once there is room");
    for (auto slept = std::chrono::milliseconds(0); slept < options_.space_poll && !job.cancel;
         slept += std::chrono::milliseconds(50)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return make_error(ErrorCode::cancelled, "the import was stopped while waiting for disk space");
}

void CardImporter::set_run_state(catalog::ImportRunId run, const std::string& state, const std::string& message) {
  if (auto current = catalog_.import_run(run); current && *current) {
    catalog::ImportRunRecord r = **current;
    r.state = state;
    r.message = message;
    (void)catalog_.update_import_progress(r);
  }
}

void CardImporter::run_job(Job& job) {
  const fs::path& root = job.mount.mount_point;
  log("card " + job.volume + " found at " + root.string() +
      (job.identity.reader.empty() ? std::string() : " in " + job.identity.reader) + ", importing");
  if (std::error_code ec; !fs::is_directory(root, ec)) {
    log("card " + job.volume + ": cannot read it: " + root.string() + " is not a folder (any more)");
    return;
  }
  const bool protected_only = options_.cards.filter == catalog::CardOptions::Filter::protected_only;
  ProtectFlags protect;
  if (auto opened = protect.open(job.mount, job.identity); !opened && protected_only) {
    log("card " + job.volume + ": the protect flags cannot be read (" + opened.error().describe() +
        "); only files without write permission count as protected");
  }
  auto finished_files = catalog_.card_files(job.volume);
  if (!finished_files) {
    log("card " + job.volume + ": " + finished_files.error().describe());
    return;
  }
  const std::set<std::pair<std::string, std::uint64_t>> skip(finished_files->begin(), finished_files->end());

  // The scan feeds the job folder by folder (DCIM first), so the first photo is being imported
  // while the rest of the card is still read. Resume: files a previous run finished are passed
  // over by path and size, without reading them.
  ImportQueue queue;
  std::atomic<bool> scan_failed{false};
  auto feed = [&](const std::vector<ScanItem>& found) {
    std::vector<ScanItem> todo;
    int already = 0;
    int filtered = 0;
    std::uint64_t already_bytes = 0;
    for (ScanItem item : found) {
      protect.apply(item);
      if (protected_only && !item.protected_on_card) {
        ++filtered;
      } else if (skip.count({item.relative, item.bytes}) != 0) {
        ++already;
        already_bytes += item.bytes;
      } else {
        todo.push_back(std::move(item));
      }
    }
    queue.add(std::move(todo), already, already_bytes, filtered);
    return !job.cancel;
  };
  std::thread scanner([&] {
    auto scan = scan_source(root, feed);
    if (!scan) {
      scan_failed = true;
      queue.close();
      return;
    }
    queue.close(scan->skipped_videos, scan->ignored);
  });

  ImportJobOptions options;
  options.workers = options_.workers;
  options.volume = job.volume;
  options.reader = job.identity.reader;
  options.cancel = &job.cancel;
  options.remember_card_files = true;
  options.before_file = [&](const ScanItem& item, catalog::ImportRunId run, bool after_disk_full) {
    return wait_for_space(job, item.bytes, run, after_disk_full);
  };
  options.finish = [&](catalog::ImportRunRecord& record, const ImportSummary& summary) {
    if (!summary.stopped_by && !scan_failed) return;
    const auto code = summary.stopped_by ? summary.stopped_by->code : ErrorCode::io;
    // A read that failed because the card went, or a stop because the watcher saw it go.
    const bool gone = job.removed || (code != ErrorCode::database && code != ErrorCode::no_space &&
                                      !still_mounted(job.mount.mount_point));
    if (gone) {
      job.removed = true;
      record.state = "cancelled";
      record.message =
          "card removed after " + count_of(record.done, record.total) + "; insert it again to import the rest";
    } else if (code == ErrorCode::cancelled) {
      record.state = "cancelled";
      record.message = "stopped after " + count_of(record.done, record.total) +
                       " because venuekiosk was shut down; the rest is imported when it runs again";
    } else if (!summary.stopped_by) {
      record.state = "failed";
      record.message = "the card's folders could not be read";
    }
  };
  const ImportSummary summary = run_import(queue, root, catalog_, ingester_, options);
  scanner.join();
  const int earlier = queue.counts().already_done;
  if (earlier > 0) log("card " + job.volume + ": " + std::to_string(earlier) + " files were imported earlier");
  if (job.removed) {
    log("card " + job.volume + " removed after " +
        count_of(earlier + summary.imported + summary.duplicates + summary.filtered +
                     static_cast<int>(summary.rejected.size()),
                 summary.total));
  } else if (summary.stopped_by) {
    log("card " + job.volume + ": the import stopped: " + summary.stopped_by->describe());
  } else {
    log("card " + job.volume + ": " + std::to_string(summary.imported) + " photos imported, " +
        std::to_string(summary.duplicates) + " already there, " + std::to_string(summary.rejected.size()) +
        " unreadable, " + std::to_string(summary.filtered) + " left out by the filters (" +
        seconds_text(summary.elapsed_seconds) + ")");
  }
}

}  // namespace vk::sync
