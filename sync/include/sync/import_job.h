// An import job: ingest everything a CardScan found (or, streamed, an ImportQueue receives), on
// several worker threads at once
// (reading and hashing one photo overlaps decoding another), recording the run in the catalog.
//
// Bad files never stop a job: each is listed with its reason and the rest imports. A problem
// of the box itself (disk full, catalog unwritable, card removed) stops the job after the
// files in flight; everything committed before stays committed.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/ingest.h"
#include "sync/card_scan.h"
#include "sync/import_queue.h"
#include "vk/result.h"

namespace vk::sync {

struct ImportProgress {
  int done = 0;
  int total = 0;
  std::uint64_t bytes_done = 0;
  std::uint64_t bytes_total = 0;
  double elapsed_seconds = 0;
  std::string current;  // relative path of the file just finished
};

struct ImportSummary {
  catalog::ImportRunId run = 0;
  int total = 0;
  int imported = 0;
  int duplicates = 0;
  int filtered = 0;  // passed over by the import filters (protect flag, rating, age)
  std::vector<catalog::Rejection> rejected;
  std::vector<std::string> skipped_videos;
  int ignored = 0;
  std::optional<Error> stopped_by;  // set when the job could not finish
  double elapsed_seconds = 0;
  std::uint64_t bytes_read = 0;
};

struct ImportJobOptions {
  // Workers run as background work (SCHED_BATCH, nice 10): guests' requests and the screen's
  // loader go first; alone on the machine an import is as fast as ever.
  int workers = 0;     // 0: one per core
  std::string volume;  // card identity recorded with the run (default: folder name)
  std::string reader;  // the card reader, recorded with the run (VolumeIdentity::reader)
  // Called from worker threads, serialised, after each file.
  std::function<void(const ImportProgress&)> on_progress;
  // Set to true from anywhere to stop after the files in flight.
  const std::atomic<bool>* cancel = nullptr;

  // --- card imports (sync/card_importer.h); the defaults leave a plain import unchanged ---
  // Files of this card finished by earlier runs (not in `scan`): counted in done/total.
  int already_done = 0;
  std::uint64_t already_bytes = 0;
  // Files of this card left out before the job by a card-level filter (the protect flag; not in
  // `scan`): counted in done/total and as filtered.
  int filtered_before = 0;
  // Mark every finished file in the catalog (Catalog::mark_card_file) so a later run skips it.
  bool remember_card_files = false;
  // Called on a worker thread before each file is read; an error stops the job like a failed
  // ingest (it may block, e.g. to wait for disk space, and should watch `cancel`). When set, an
  // ingest that fails for lack of space does not stop the job: before_file is called again
  // with after_disk_full = true and the file is retried once it returns.
  std::function<Status(const ScanItem&, catalog::ImportRunId, bool after_disk_full)> before_file;
  // Called once before the final state is written, to word it for people (e.g. "card removed").
  std::function<void(catalog::ImportRunRecord&, const ImportSummary&)> finish;
};

ImportSummary run_import(const CardScan& scan, catalog::Catalog& catalog, catalog::Ingester& ingester,
                         const ImportJobOptions& options);

// The same while a scan of `root` may still be feeding `queue` (which it must close at the end;
// until then idle workers wait for files). already_done, already_bytes and filtered_before in
// `options` are ignored here: the queue counts what its producer passed over. The run's total
// grows as the scan finds files.
ImportSummary run_import(ImportQueue& queue, const std::filesystem::path& root, catalog::Catalog& catalog,
                         catalog::Ingester& ingester, const ImportJobOptions& options);

}  // namespace vk::sync
