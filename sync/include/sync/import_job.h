// An import job: ingest everything a CardScan found, on several worker threads at once
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
  std::vector<catalog::Rejection> rejected;
  std::vector<std::string> skipped_videos;
  int ignored = 0;
  std::optional<Error> stopped_by;  // set when the job could not finish
  double elapsed_seconds = 0;
  std::uint64_t bytes_read = 0;
};

struct ImportJobOptions {
  int workers = 0;            // 0: one per core
  std::string volume;         // card identity recorded with the run (default: folder name)
  // Called from worker threads, serialised, after each file.
  std::function<void(const ImportProgress&)> on_progress;
  // Set to true from anywhere to stop after the files in flight.
  const std::atomic<bool>* cancel = nullptr;
};

ImportSummary run_import(const CardScan& scan, catalog::Catalog& catalog, catalog::Ingester& ingester,
                         const ImportJobOptions& options);

}  // namespace vk::sync
