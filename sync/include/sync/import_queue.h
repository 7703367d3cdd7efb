// The files of one import as a scan finds them. A card's scan feeds it folder by folder while
// the job's workers already ingest (sync/card_importer.h), so the first photo does not wait for
// the last folder to be read; `run_import` on a finished CardScan fills one and closes it at once.
//
// Thread-safe: one producer (the scan) and the job's workers.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sync/card_scan.h"

namespace vk::sync {

class ImportQueue {
 public:
  struct Counts {
    int items = 0;  // added to import
    std::uint64_t item_bytes = 0;
    int already_done = 0;  // passed over: finished by an earlier run (they count as done)
    std::uint64_t already_bytes = 0;
    int filtered = 0;  // passed over: left out by a card-level filter (done, filtered)
    bool closed = false;
    [[nodiscard]] int total() const { return items + already_done + filtered; }
  };

  // More files to import, and the card's files the producer passed over on the way.
  void add(std::vector<ScanItem> items, int already_done = 0, std::uint64_t already_bytes = 0, int filtered = 0);
  // No more items; what else the scan found (videos, ignored files).
  void close(std::vector<std::string> skipped_videos = {}, int ignored = 0);

  // Item `index` (0-based, in the order added), waiting while the scan may still find it.
  // Nothing once the queue is closed without it, or when `give_up` says so (asked every 50 ms).
  std::optional<ScanItem> wait_for(std::size_t index, const std::function<bool()>& give_up);

  [[nodiscard]] Counts counts() const;
  [[nodiscard]] std::vector<std::string> skipped_videos() const;
  [[nodiscard]] int ignored() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable added_;
  std::vector<ScanItem> items_;
  Counts counts_;
  std::vector<std::string> skipped_videos_;
  int ignored_ = 0;
};

}  // namespace vk::sync
