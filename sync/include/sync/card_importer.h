// Imports camera cards as they are mounted: one job per card, resumable, filtered, pausing
// when the disk is nearly full, stopping cleanly when the card is pulled.
//
// Progress and outcome live in the catalog's import_runs (Catalog::recent_import_runs, served
// as GET /api/imports): state "running" with done/total/bytes/current file; a job waiting for
// disk space is in state "disk_full" (message: how much is free and needed) and returns to
// "running" by itself once there is room; a card pulled
// mid-import ends "cancelled" with "card removed after N of M"; reinserting it starts a new run
// that skips the N files already imported without reading them.
//
// Ownership: the CardImporter owns its job threads; the catalog, store and ingester are
// borrowed and must outlive it. mounted()/unmounted() are meant for the MountWatcher thread;
// stop() for any other thread. All of them may be called concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "catalog/catalog.h"
#include "catalog/config.h"
#include "catalog/ingest.h"
#include "catalog/photo_store.h"
#include "sync/mount_table.h"

namespace vk::sync {

struct CardImporterOptions {
  catalog::CardOptions cards;
  int workers = 0;                              // per card; 0: one per core
  std::function<void(const std::string&)> log;  // one plain line per event (journal); may be empty
  std::chrono::milliseconds space_poll{1000};   // how often a job waiting for space looks again
};

class CardImporter {
 public:
  CardImporter(catalog::Catalog& catalog, catalog::PhotoStore& store, catalog::Ingester& ingester,
               CardImporterOptions options);
  ~CardImporter();  // stops
  CardImporter(const CardImporter&) = delete;
  CardImporter& operator=(const CardImporter&) = delete;

  // A volume was mounted: starts its import when it looks like a camera card (a DCIM folder)
  // or is listed in cards.volumes, unless the same card is being imported already.
  void mounted(const MountEntry& mount);
  // A volume went away: its job stops after the files in flight.
  void unmounted(const MountEntry& mount);
  // Cancels every job and waits for them (each finishes the files in flight first).
  void stop();
  // Jobs still running.
  int active_jobs();

 private:
  struct Job;
  void run_job(Job& job);
  Status wait_for_space(Job& job, std::uint64_t item_bytes, catalog::ImportRunId run, bool after_disk_full);
  void set_run_state(catalog::ImportRunId run, const std::string& state, const std::string& message);
  void log(const std::string& line) const;
  void reap_finished();  // with mutex_ held

  catalog::Catalog& catalog_;
  catalog::PhotoStore& store_;
  catalog::Ingester& ingester_;
  CardImporterOptions options_;
  std::mutex mutex_;  // guards jobs_
  std::list<std::unique_ptr<Job>> jobs_;
};

}  // namespace vk::sync
