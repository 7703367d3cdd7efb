#include "sync/import_job.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>

#include "background_priority.h"

namespace vk::sync {
namespace {

using Clock = std::chrono::steady_clock;

// Progress goes to the catalog at most this often (each write is a synced transaction).
constexpr auto kPublishInterval = std::chrono::milliseconds(500);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// `items`: how many there are, when known (SIZE_MAX while a scan still feeds the queue).
int worker_count(int requested, std::size_t items) {
  const int n = requested > 0 ? requested : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return static_cast<int>(std::clamp<std::size_t>(static_cast<std::size_t>(n), 1, std::max<std::size_t>(items, 1)));
}

// The catalog's view of a run, from the summary and progress so far.
catalog::ImportRunRecord run_record(const ImportSummary& summary, const ImportProgress& progress) {
  catalog::ImportRunRecord r;
  r.id = summary.run;
  r.state = "running";
  r.total = summary.total;
  r.imported = summary.imported;
  r.duplicates = summary.duplicates;
  r.rejected = static_cast<int>(summary.rejected.size());
  r.skipped = static_cast<int>(summary.skipped_videos.size()) + summary.filtered;
  r.done = progress.done;
  r.bytes_done = static_cast<std::int64_t>(progress.bytes_done);
  r.bytes_total = static_cast<std::int64_t>(progress.bytes_total);
  r.current_file = progress.current;
  return r;
}

}  // namespace

ImportSummary run_import(const CardScan& scan, catalog::Catalog& catalog, catalog::Ingester& ingester,
                         const ImportJobOptions& options) {
  ImportQueue queue;
  queue.add(scan.items, options.already_done, options.already_bytes, options.filtered_before);
  queue.close(scan.skipped_videos, scan.ignored);
  return run_import(queue, scan.root, catalog, ingester, options);
}

ImportSummary run_import(ImportQueue& queue, const std::filesystem::path& root, catalog::Catalog& catalog,
                         catalog::Ingester& ingester, const ImportJobOptions& options) {
  const auto start = Clock::now();
  ImportSummary summary;
  summary.total = queue.counts().total();
  const std::string volume = options.volume.empty() ? root.filename().string() : options.volume;

  auto run = catalog.begin_import_run(root.string(), volume, summary.total, options.reader);
  if (!run) {
    summary.stopped_by = run.error();
    return summary;
  }
  summary.run = *run;

  std::mutex mutex;  // guards summary, finished, progress and last_publish
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  // Files the workers finished, and their bytes; the queue adds those passed over before them.
  struct {
    int files = 0;
    std::uint64_t bytes = 0;
  } finished;
  ImportProgress progress;
  // With mutex held: done/total as far as the scan has got.
  auto refresh = [&] {
    const auto c = queue.counts();
    summary.total = c.total();
    progress.total = c.total();
    progress.done = finished.files + c.already_done + c.filtered;
    progress.bytes_done = finished.bytes + c.already_bytes;
    progress.bytes_total = c.item_bytes + c.already_bytes;
    progress.elapsed_seconds = seconds_since(start);
  };
  auto last_publish = Clock::now() - kPublishInterval;
  auto cancelled = [&] { return options.cancel != nullptr && options.cancel->load(); };

  auto worker = [&] {
    detail::run_in_background();
    while (!stop && !cancelled()) {
      const auto item = queue.wait_for(next++, [&] { return stop || cancelled(); });
      if (!item) return;
      const catalog::IngestItem ingest_item{item->file,     item->raw_companion,     volume,
                                            item->relative, item->protected_on_card, summary.run};
      Result<catalog::IngestOutcome> outcome = make_error(ErrorCode::no_space, "not tried yet");
      for (bool after_disk_full = false; !outcome; after_disk_full = true) {
        if (options.before_file) {
          if (auto ready = options.before_file(*item, summary.run, after_disk_full); !ready) {
            outcome = ready.error();
            break;
          }
          if (stop || cancelled()) return;
        }
        outcome = ingester.ingest(ingest_item);
        // Disk full is waited out when the caller said how (before_file); anything else stops.
        if (outcome || outcome.error().code != ErrorCode::no_space || !options.before_file) break;
      }
      std::lock_guard lock(mutex);
      if (!outcome) {
        // The box could not do its part: stop taking new files, keep what is committed.
        if (!summary.stopped_by) summary.stopped_by = outcome.error();
        stop = true;
        return;
      }
      switch (outcome->kind) {
        case catalog::IngestOutcome::Kind::imported: ++summary.imported; break;
        case catalog::IngestOutcome::Kind::duplicate: ++summary.duplicates; break;
        case catalog::IngestOutcome::Kind::rejected:
          summary.rejected.push_back({item->relative, outcome->reason});
          (void)catalog.record_rejection(summary.run, summary.rejected.back());
          break;
        case catalog::IngestOutcome::Kind::filtered: ++summary.filtered; break;
      }
      // After the photo's own commit: a crash in between only means the next run reads this
      // file again and finds it a duplicate by its hash.
      if (options.remember_card_files) (void)catalog.mark_card_file(volume, item->relative, item->bytes, summary.run);
      summary.bytes_read += outcome->bytes_read;
      finished.files++;
      finished.bytes += item->bytes;
      refresh();
      progress.current = item->relative;
      if (options.on_progress) options.on_progress(progress);
      if (Clock::now() - last_publish >= kPublishInterval) {
        last_publish = Clock::now();
        (void)catalog.update_import_progress(run_record(summary, progress));
      }
    }
  };

  std::vector<std::thread> threads;
  const auto known = queue.counts();
  const int workers = worker_count(options.workers, known.closed ? static_cast<std::size_t>(known.items) : SIZE_MAX);
  for (int i = 0; i < workers; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  if (!summary.stopped_by && cancelled()) {
    summary.stopped_by = make_error(ErrorCode::cancelled, "the import was stopped");
  }
  refresh();
  summary.filtered += queue.counts().filtered;
  summary.skipped_videos = queue.skipped_videos();
  summary.ignored = queue.ignored();
  summary.elapsed_seconds = progress.elapsed_seconds;
  catalog::ImportRunRecord record = run_record(summary, progress);
  record.state = !summary.stopped_by                                ? "done"
                 : summary.stopped_by->code == ErrorCode::cancelled ? "cancelled"
                                                                    : "failed";
  if (summary.stopped_by) record.message = summary.stopped_by->describe();
  if (options.finish) options.finish(record, summary);
  (void)catalog.finish_import_run(record);
  return summary;
}

}  // namespace vk::sync
