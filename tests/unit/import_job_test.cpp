#include "sync/import_job.h"

#include <catch2/catch.hpp>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <mutex>

#include "fault_fs.h"
#include "fixtures.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::sync;
namespace fx = vk::fixtures;

namespace {

struct Setup {
  testing::TempDir dir;
  testing::FaultyFileSystem fs;
  catalog::SystemClock clock;
  catalog::PhotoStore store{dir / "data", fs};
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<catalog::Ingester> ingester;
  Setup() {
    REQUIRE(store.open().ok());
    catalog = std::move(catalog::Catalog::open(dir / "data" / "catalog.db", clock)).value();
    ingester = std::make_unique<catalog::Ingester>(*catalog, store, catalog::IngestOptions{});
  }
};

}  // namespace

TEST_CASE("import job: imports a demo card on two workers - bad files listed - rest imported", "[import]") {
  Setup s;
  const auto manifest = fx::write_demo_card(s.dir / "card", 10);
  auto scan = scan_source(s.dir / "card");
  REQUIRE(scan.ok());

  std::mutex m;
  int calls = 0;
  int last_done = 0;
  ImportJobOptions options;
  options.workers = 2;
  options.on_progress = [&](const ImportProgress& p) {
    std::lock_guard lock(m);
    ++calls;
    CHECK(p.done == last_done + 1);
    last_done = p.done;
    // On a worker thread: background scheduling, so guests and the screen go first.
    CHECK(sched_getscheduler(0) == SCHED_BATCH);
    CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())) == 10);
  };
  const auto summary = run_import(*scan, *s.catalog, *s.ingester, options);
  CHECK_FALSE(summary.stopped_by.has_value());
  CHECK(summary.imported == manifest.photos);
  CHECK(static_cast<int>(summary.rejected.size()) == manifest.bad);
  CHECK(calls == summary.total);
  CHECK(sched_getscheduler(0) == SCHED_OTHER);  // the caller's own thread is left as it was
  CHECK(*s.catalog->photo_count() == manifest.photos);

  const auto run = **s.catalog->import_run(summary.run);
  CHECK(run.state == "done");
  CHECK(run.imported == manifest.photos);
  CHECK(run.rejected == manifest.bad);

  // The same card again: nothing new.
  last_done = 0;
  const auto again = run_import(*scan, *s.catalog, *s.ingester, options);
  CHECK(again.imported == 0);
  CHECK(again.duplicates == manifest.photos);
  CHECK(*s.catalog->photo_count() == manifest.photos);
}

TEST_CASE("import job: disk full stops the job - what was committed stays", "[import]") {
  Setup s;
  for (int i = 0; i < 6; ++i) {
    fx::write_file(s.dir / "card" / ("IMG_000" + std::to_string(i) + ".JPG"),
                   fx::make_jpeg({.pattern = fx::Pattern::solid, .solid = {static_cast<std::uint8_t>(i * 40), 0, 0}}));
  }
  auto scan = scan_source(s.dir / "card");
  REQUIRE(scan.ok());
  s.fs.writes_before_disk_full = 7;  // two photos (3 files each), then the disk fills
  ImportJobOptions options;
  options.workers = 1;
  const auto summary = run_import(*scan, *s.catalog, *s.ingester, options);
  REQUIRE(summary.stopped_by.has_value());
  CHECK(summary.stopped_by->code == ErrorCode::no_space);
  CHECK(summary.imported == 2);
  CHECK(*s.catalog->photo_count() == 2);
  CHECK((*s.catalog->import_run(summary.run))->state == "failed");
  CHECK(*s.catalog->integrity_check() == "ok");

  s.fs.writes_before_disk_full = -1;
  const auto resumed = run_import(*scan, *s.catalog, *s.ingester, options);
  CHECK_FALSE(resumed.stopped_by.has_value());
  CHECK(resumed.imported == 4);
  CHECK(resumed.duplicates == 2);
  CHECK(*s.catalog->photo_count() == 6);
}

TEST_CASE("import job: cancelling stops after the files in flight", "[import]") {
  Setup s;
  for (int i = 0; i < 5; ++i) {
    fx::write_file(s.dir / "card" / ("IMG_000" + std::to_string(i) + ".JPG"),
                   fx::make_jpeg({.pattern = fx::Pattern::solid, .solid = {0, static_cast<std::uint8_t>(i * 40), 0}}));
  }
  auto scan = scan_source(s.dir / "card");
  REQUIRE(scan.ok());
  std::atomic<bool> cancel{false};
  ImportJobOptions options;
  options.workers = 1;
  options.cancel = &cancel;
  options.on_progress = [&](const ImportProgress& p) {
    if (p.done == 2) cancel = true;
  };
  const auto summary = run_import(*scan, *s.catalog, *s.ingester, options);
  REQUIRE(summary.stopped_by.has_value());
  CHECK(summary.stopped_by->code == ErrorCode::cancelled);
  CHECK(summary.imported == 2);
  CHECK((*s.catalog->import_run(summary.run))->state == "cancelled");
}
