// The card importer driven directly (no mount needed): resume without re-reading, card pulled,
// filters, moderation, the free-space reserve, and the orphan sweep.
#include "sync/card_importer.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "catalog/config.h"
#include "fault_fs.h"
#include "fixtures.h"
#include "sync/import_job.h"
#include "sync/import_queue.h"
#include "sync/store_sweep.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::sync;
namespace fx = vk::fixtures;
namespace fs = std::filesystem;

namespace {

// Counts reads per file name and can report a chosen free space, over the faulty file system.
class CountingFileSystem final : public catalog::FileSystem {
 public:
  testing::FaultyFileSystem inner;
  std::atomic<std::int64_t> free_override{-1};
  Result<std::vector<std::uint8_t>> read_file(const fs::path& path, std::uint64_t max) override {
    {
      std::lock_guard lock(mutex_);
      ++reads_[path.filename().string()];
    }
    return inner.read_file(path, max);
  }
  Status write_durably(const fs::path& temp, const fs::path& final_path, std::span<const std::uint8_t> bytes) override {
    return inner.write_durably(temp, final_path, bytes);
  }
  Status create_directories(const fs::path& dir) override { return inner.create_directories(dir); }
  Result<std::uint64_t> free_bytes(const fs::path& path) override {
    if (free_override >= 0) return static_cast<std::uint64_t>(free_override.load());
    return inner.free_bytes(path);
  }
  int reads(const std::string& name) {
    std::lock_guard lock(mutex_);
    return reads_[name];
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> reads_;
};

struct Setup {
  testing::TempDir dir;
  CountingFileSystem fs;
  catalog::SystemClock clock;
  catalog::PhotoStore store{dir / "data", fs};
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<catalog::Ingester> ingester;
  explicit Setup(catalog::IngestOptions ingest = {}) {
    REQUIRE(store.open().ok());
    catalog = std::move(catalog::Catalog::open(dir / "data" / "catalog.db", clock)).value();
    ingester = std::make_unique<catalog::Ingester>(*catalog, store, ingest);
  }
  CardImporterOptions options(int workers = 1) {
    CardImporterOptions o;
    o.workers = workers;
    o.cards.free_space_reserve_bytes = 0;
    o.space_poll = std::chrono::milliseconds(50);
    return o;
  }
};

MountEntry fake_mount(const fs::path& dir) {
  return {fs::absolute(dir).lexically_normal(), "vfat", "/dev/null", true};
}

template <class Pred>
bool wait_until(Pred pred, std::chrono::seconds timeout = std::chrono::seconds(120)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// The newest run, or an empty record while there is none yet (safe to poll).
catalog::ImportRunRecord last_run(catalog::Catalog& c) {
  auto runs = c.recent_import_runs(1);
  if (!runs.ok() || runs->empty()) return {};
  return runs->front();
}

// n small distinct camera JPEGs in DCIM/100CANON, IMG_0001.JPG ...
void write_card(const fs::path& dir, int n, const std::vector<int>& ratings = {}) {
  for (int i = 1; i <= n; ++i) {
    fx::JpegSpec spec;
    spec.width = 320;
    spec.height = 240;
    spec.pattern = fx::Pattern::noise;
    spec.seed = static_cast<std::uint32_t>(i);
    spec.exif.datetime_original = "2026:11:2" + std::to_string(i % 2 == 0 ? 9 : 8) + " 10:00:00";
    if (static_cast<std::size_t>(i) <= ratings.size()) spec.exif.rating = ratings[static_cast<std::size_t>(i - 1)];
    char name[32];
    std::snprintf(name, sizeof name, "IMG_%04d.JPG", i);
    fx::write_file(dir / "DCIM" / "100CANON" / name, fx::make_jpeg(spec));
  }
}

}  // namespace

TEST_CASE("card importer: a card pulled mid-import resumes without reading committed files again", "[card]") {
  Setup s;
  write_card(s.dir / "card", 10);
  // The sixth file fails as if the card was pulled while it was read.
  s.fs.inner.unreadable_names = {"IMG_0006.JPG"};
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, s.options());
    importer.mounted(fake_mount(s.dir / "card"));
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  auto first = last_run(*s.catalog);
  CHECK(first.state == "cancelled");
  CHECK(first.message.starts_with("card removed after 5 of 10"));
  CHECK(*s.catalog->photo_count() == 5);

  s.fs.inner.unreadable_names.clear();
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, s.options());
    importer.mounted(fake_mount(s.dir / "card"));
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  auto second = last_run(*s.catalog);
  CHECK(second.state == "done");
  CHECK(second.total == 10);
  CHECK(second.done == 10);
  CHECK(second.imported == 5);
  CHECK(*s.catalog->photo_count() == 10);
  for (int i = 1; i <= 5; ++i) CHECK(s.fs.reads("IMG_000" + std::to_string(i) + ".JPG") == 1);
  CHECK(s.fs.reads("IMG_0006.JPG") == 2);  // the failed read, then the real one
  CHECK(s.fs.reads("IMG_0010.JPG") == 1);

  // The same card a third time: nothing read, nothing added.
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, s.options());
    importer.mounted(fake_mount(s.dir / "card"));
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  CHECK(last_run(*s.catalog).done == 10);
  CHECK(s.fs.reads("IMG_0010.JPG") == 1);
  CHECK(*s.catalog->photo_count() == 10);
}

TEST_CASE("card importer: a folder without DCIM is left alone unless listed", "[card]") {
  Setup s;
  fx::write_file(s.dir / "stick" / "notes.JPG", fx::make_jpeg({}));
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, s.options());
    importer.mounted(fake_mount(s.dir / "stick"));
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  CHECK(s.catalog->recent_import_runs()->empty());
  auto options = s.options();
  options.cards.volumes = {(s.dir / "stick").string()};
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, options);
    importer.mounted(fake_mount(s.dir / "stick"));
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  CHECK(*s.catalog->photo_count() == 1);
}

TEST_CASE("card importer: rated and age filters and moderation", "[card]") {
  auto config = catalog::parse_config(
      "[import]\nfilter = \"rated\"\nmin_rating = 3\nignore_older_than = \"2026-11-29\"\nmoderation = true\n");
  REQUIRE(config.ok());
  REQUIRE(config->ingest.min_rating == 3);
  REQUIRE(config->ingest.ignore_captured_before == std::string("2026-11-29T00:00:00"));
  Setup s(config->ingest);
  // Ratings 5,4,3,2,1,0 and one unrated; even-numbered files were taken on the 29th, odd on the 28th.
  write_card(s.dir / "card", 7, {5, 4, 3, 2, 1, 0});
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, s.options(2));
    importer.mounted(fake_mount(s.dir / "card"));
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  // Rated >= 3 and taken on the 29th: IMG_0002 (4 stars) only.
  auto photos = s.catalog->photos();
  REQUIRE(photos.ok());
  REQUIRE(photos->size() == 1);
  CHECK(photos->front().source_path == "DCIM/100CANON/IMG_0002.JPG");
  CHECK_FALSE(photos->front().approved);
  const auto run = last_run(*s.catalog);
  CHECK(run.state == "done");
  CHECK(run.done == 7);
  CHECK(run.skipped == 6);
}

TEST_CASE("card importer: below the free-space reserve the job waits and goes on by itself", "[card]") {
  Setup s;
  write_card(s.dir / "card", 4);
  auto options = s.options();
  options.cards.free_space_reserve_bytes = 100ULL * 1024 * 1024;
  s.fs.free_override = 10LL * 1024 * 1024;  // 10 MB free: below the reserve
  CardImporter importer(*s.catalog, s.store, *s.ingester, options);
  importer.mounted(fake_mount(s.dir / "card"));
  REQUIRE(wait_until([&] { return last_run(*s.catalog).state == "disk_full"; }));
  CHECK(last_run(*s.catalog).message.starts_with("waiting for disk space: the disk is full"));
  CHECK(*s.catalog->photo_count() == 0);
  s.fs.free_override = -1;  // room again (the real disk)
  REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  const auto run = last_run(*s.catalog);
  CHECK(run.state == "done");
  CHECK(run.message.empty());
  CHECK(*s.catalog->photo_count() == 4);
}

TEST_CASE("card importer: a real disk-full error mid-import is waited out and retried", "[card]") {
  Setup s;
  write_card(s.dir / "card", 4);
  s.fs.inner.writes_before_disk_full = 4;  // the second photo's original hits ENOSPC
  CardImporter importer(*s.catalog, s.store, *s.ingester, s.options());
  importer.mounted(fake_mount(s.dir / "card"));
  REQUIRE(wait_until([&] { return last_run(*s.catalog).state == "disk_full"; }));
  // Set on every poll: the faulty file system rearms itself while a failing write is in flight.
  REQUIRE(wait_until([&] {
    s.fs.inner.writes_before_disk_full = -1;
    return importer.active_jobs() == 0;
  }));
  CHECK(last_run(*s.catalog).state == "done");
  CHECK(*s.catalog->photo_count() == 4);
  CHECK(fs::is_empty(s.dir / "data" / "tmp"));
}

TEST_CASE("store sweep: files no catalog row names are removed - named ones kept", "[card]") {
  Setup s;
  write_card(s.dir / "card", 2);
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, s.options());
    importer.mounted(fake_mount(s.dir / "card"));
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  const std::string orphan =
      catalog::PhotoStore::relative_path(catalog::FileRole::original, std::string(64, 'a'), "jpg");
  fx::write_file(s.dir / "data" / orphan, std::vector<std::uint8_t>{1, 2, 3});
  // While an Ingester lives (this process imports), the sweep keeps its hands off.
  auto busy = sweep_orphans(s.store, *s.catalog);
  REQUIRE(busy.ok());
  CHECK(busy->skipped);
  CHECK(fs::exists(s.dir / "data" / orphan));
  s.ingester.reset();
  auto swept = sweep_orphans(s.store, *s.catalog);
  REQUIRE(swept.ok());
  CHECK(swept->removed == 1);
  CHECK_FALSE(fs::exists(s.dir / "data" / orphan));
  const auto photos = s.catalog->photos();
  REQUIRE(photos.ok());
  for (const auto& p : *photos) {
    for (const auto& f : p.files) CHECK(fs::exists(s.dir / "data" / f.relative_path));
  }
}

TEST_CASE("card importer: filter protected imports exactly the files protected on a real fusefat card", "[card]") {
  auto config = catalog::parse_config("[import]\nfilter = \"protected\"\n");
  REQUIRE(config.ok());
  Setup s(config->ingest);
  write_card(s.dir / "src", 10);
  // fusefat shows all ten as mode 0700: the flag must come from the card's FAT directory.
  auto card =
      fx::CardImage::create(s.dir / "card.img", s.dir / "src", "EOS_R6", 0,
                            {"DCIM/100CANON/IMG_0002.JPG", "DCIM/100CANON/IMG_0005.JPG", "DCIM/100CANON/IMG_0009.JPG"});
  card.mount(s.dir / "mnt");
  auto options = s.options(2);
  options.cards = config->cards;
  options.cards.free_space_reserve_bytes = 0;
  {
    CardImporter importer(*s.catalog, s.store, *s.ingester, options);
    importer.mounted({fs::canonical(s.dir / "mnt"), "fuse.fusefat", "fusefat", true});
    REQUIRE(wait_until([&] { return importer.active_jobs() == 0; }));
  }
  card.unmount();
  auto photos = s.catalog->photos();
  REQUIRE(photos.ok());
  std::set<std::string> imported;
  for (const auto& p : *photos) {
    imported.insert(p.source_path);
    CHECK(p.protected_on_card);
  }
  CHECK(imported == std::set<std::string>{"DCIM/100CANON/IMG_0002.JPG", "DCIM/100CANON/IMG_0005.JPG",
                                          "DCIM/100CANON/IMG_0009.JPG"});
  const auto run = last_run(*s.catalog);
  CHECK(run.state == "done");
  CHECK(run.total == 10);
  CHECK(run.done == 10);
  CHECK(run.imported == 3);
  CHECK(run.skipped == 7);  // left out by the filter, counted as handled
}

TEST_CASE("import job: files are imported while the scan is still feeding the queue", "[card]") {
  Setup s;
  write_card(s.dir / "card", 3);
  auto scan = scan_source(s.dir / "card");
  REQUIRE(scan.ok());
  REQUIRE(scan->items.size() == 3);
  ImportQueue queue;
  ImportJobOptions options;
  options.workers = 2;
  ImportSummary summary;
  std::thread job([&] { summary = run_import(queue, scan->root, *s.catalog, *s.ingester, options); });
  // The first file alone, one passed over as done earlier and one as filtered: it is imported
  // and counted before the queue is closed.
  queue.add({scan->items[0]}, 1, 100, 1);
  const bool first_in = wait_until([&] { return *s.catalog->photo_count() == 1; }, std::chrono::seconds(60));
  const auto open_run = last_run(*s.catalog);
  queue.add({scan->items[1], scan->items[2]});
  queue.close({"DCIM/100CANON/MVI_0001.MOV"}, 2);
  job.join();
  REQUIRE(first_in);
  CHECK(open_run.state == "running");
  CHECK(summary.imported == 3);
  CHECK(summary.total == 5);
  CHECK(summary.filtered == 1);
  CHECK(summary.skipped_videos.size() == 1);
  CHECK(summary.ignored == 2);
  const auto run = last_run(*s.catalog);
  CHECK(run.state == "done");
  CHECK(run.total == 5);
  CHECK(run.done == 5);
  CHECK(run.skipped == 2);  // the video and the filtered file
}
