// The card reader end to end: the real `venuekiosk serve`, real FAT32 card images mounted with
// fusefat under a watch root, a real tmpfs for the full disk. Needs root (fusefat, mount), as CI.
#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <sys/mount.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <thread>

#include "catalog/sha256.h"
#include "fixtures.h"
#include "read_file.h"
#include "serve_process.h"
#include "temp_dir.h"

using namespace vk;
namespace fx = vk::fixtures;
namespace fs = std::filesystem;

namespace {

using testing::read_all;

// Reads one column of a query's rows from the catalog, as another process would (read-only).
std::vector<std::string> sql_column(const fs::path& db_path, const std::string& query) {
  std::vector<std::string> out;
  if (!fs::exists(db_path)) return out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return out;
  }
  sqlite3_busy_timeout(db, 10'000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, 0);
      out.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::string sql_value(const fs::path& db, const std::string& query) {
  auto rows = sql_column(db, query);
  return rows.empty() ? std::string() : rows.front();
}

template <class Pred>
bool wait_until(Pred pred, std::chrono::seconds timeout = std::chrono::seconds(180)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// A box: a watch root for cards, a data dir and a config naming them.
struct Box {
  testing::TempDir dir;
  fs::path media = dir / "media";
  fs::path data = dir / "data";
  fs::path db = data / "catalog.db";
  fs::path config = dir / "venuekiosk.toml";
  std::unique_ptr<testing::ServeProcess> serve;

  explicit Box(const std::string& import_options = "free_space_reserve_mb = 0\n") {
    fs::create_directories(media);
    fs::create_directories(data);
    std::ofstream(config) << "[cards]\nwatch_roots = [\"" << media.string() << "\"]\n[import]\n" << import_options;
  }
  ~Box() {
    if (serve) serve->kill(SIGKILL);
  }
  void start() { serve = std::make_unique<testing::ServeProcess>(config, data, dir / "serve.log"); }
  void wait_started() {
    REQUIRE(wait_until([&] { return serve->log().find("card reader started") != std::string::npos; }));
  }
  // SIGTERM, as systemd stops it. The exit code is not asserted here: it belongs to every
  // service of serve (the web server's own shutdown is tested in tests/web); the card jobs
  // must have stopped with their work committed, which the checks after stop() verify.
  void stop() {
    serve->kill(SIGTERM);
    serve.reset();
  }
  int photos() { return std::atoi(sql_value(db, "SELECT COUNT(*) FROM photos").c_str()); }
  std::string last_run(const std::string& column) {
    return sql_value(db, "SELECT " + column + " FROM import_runs ORDER BY id DESC LIMIT 1");
  }
  bool last_run_finished() {
    const auto state = last_run("state");
    return !state.empty() && state != "running" && state != "disk_full";
  }
  std::string log() { return serve ? serve->log() : std::string(); }
};

fx::CardManifest make_card_source(const fs::path& dir, int photos, int width, int height) {
  return fx::write_bench_card(dir, photos, width, height);
}

std::set<std::string> card_hashes(const fs::path& src, const fx::CardManifest& manifest) {
  std::set<std::string> out;
  for (const auto& f : manifest.photo_files) out.insert(catalog::sha256_hex(read_all(src / f)));
  return out;
}

// Every invariant a crash or a pulled card must leave intact: each row's files exist with the
// hash the row says, no file is unnamed, nothing is left in tmp/, SQLite is sound.
void check_store_consistent(const Box& box) {
  const auto named = sql_column(box.db, "SELECT relative_path || '|' || sha256 FROM photo_files");
  std::set<std::string> named_paths;
  for (const auto& row : named) {
    const auto bar = row.find('|');
    const std::string path = row.substr(0, bar);
    named_paths.insert(path);
    INFO(path);
    REQUIRE(fs::exists(box.data / path));
    CHECK(catalog::sha256_hex(read_all(box.data / path)) == row.substr(bar + 1));
  }
  for (const char* top : {"originals", "screen", "thumb"}) {
    if (!fs::exists(box.data / top)) continue;
    for (const auto& e : fs::recursive_directory_iterator(box.data / top)) {
      if (!e.is_regular_file()) continue;
      const auto rel = fs::relative(e.path(), box.data).generic_string();
      INFO("orphan: " << rel);
      CHECK(named_paths.count(rel) == 1);
    }
  }
  if (fs::exists(box.data / "tmp")) CHECK(fs::is_empty(box.data / "tmp"));
  CHECK(sql_value(box.db, "PRAGMA integrity_check") == "ok");
  CHECK(sql_value(box.db, "SELECT COUNT(*) - COUNT(DISTINCT sha256) FROM photos") == "0");
}

}  // namespace

TEST_CASE("serve: a card mounted under a watch root is imported with no command typed", "[card][serve]") {
  Box box;
  box.start();
  box.wait_started();
  const auto manifest = make_card_source(box.dir / "src", 12, 1200, 800);
  auto card = fx::CardImage::create(box.dir / "card.img", box.dir / "src", "EOS_R6");
  card.mount(box.media / "EOS_R6");
  INFO(box.log());
  REQUIRE(wait_until([&] { return box.photos() == 12 && box.last_run_finished(); }));
  CHECK(box.last_run("state") == "done");
  CHECK(box.last_run("volume").starts_with("EOS_R6 ("));
  CHECK(box.last_run("total") == "12");
  CHECK(sql_value(box.db, "SELECT COUNT(DISTINCT source_volume) FROM photos") == "1");
  const auto hashes = sql_column(box.db, "SELECT sha256 FROM photos");
  CHECK(std::set<std::string>(hashes.begin(), hashes.end()) == card_hashes(box.dir / "src", manifest));
  box.stop();
  check_store_consistent(box);
}

TEST_CASE("serve: a card pulled mid-import leaves nothing partial and completes when reinserted", "[card][serve]") {
  Box box("free_space_reserve_mb = 0\nworkers = 1\n");
  const int total = 30;
  const auto manifest = make_card_source(box.dir / "src", total, 3000, 2000);
  auto card = fx::CardImage::create(box.dir / "card.img", box.dir / "src", "EOS_R6");
  box.start();
  box.wait_started();
  card.mount(box.media / "EOS_R6");
  INFO(box.log());
  REQUIRE(wait_until([&] { return box.photos() >= 3; }));
  card.unmount();  // pulled: fusermount -u, or a lazy unmount while a file is open
  REQUIRE(wait_until([&] { return box.last_run_finished(); }));
  const int first = box.photos();
  CHECK(first < total);
  CHECK(box.last_run("state") == "cancelled");
  CHECK(box.last_run("message").starts_with("card removed after " + std::to_string(first) + " of " +
                                            std::to_string(total)));
  check_store_consistent(box);

  card.mount(box.media / "EOS_R6");  // the same card again
  REQUIRE(wait_until([&] { return box.photos() == total && box.last_run_finished(); }));
  CHECK(box.last_run("state") == "done");
  CHECK(box.last_run("imported") == std::to_string(total - first));
  CHECK(box.last_run("done") == std::to_string(total));
  const auto hashes = sql_column(box.db, "SELECT sha256 FROM photos");
  CHECK(std::set<std::string>(hashes.begin(), hashes.end()) == card_hashes(box.dir / "src", manifest));
  box.stop();
  check_store_consistent(box);
}

TEST_CASE("serve: kill -9 at random points twenty times loses nothing and duplicates nothing", "[card][serve][power]") {
  Box box;
  const int total = 40;
  const auto manifest = make_card_source(box.dir / "src", total, 2000, 1500);
  auto card = fx::CardImage::create(box.dir / "card.img", box.dir / "src", "EOS_R6");
  card.mount(box.media / "EOS_R6");  // already in the reader when the box (re)starts
  std::mt19937 random(20261130);
  std::uniform_int_distribution<int> delay_ms(50, 900);
  int kills_mid_import = 0;
  for (int i = 0; i < 20; ++i) {
    box.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    if (box.photos() < total) ++kills_mid_import;
    box.serve->kill(SIGKILL);
    box.serve.reset();
  }
  INFO("killed " << kills_mid_import << " times before the card was complete");
  box.start();
  INFO(box.log());
  REQUIRE(wait_until([&] { return box.photos() == total && box.last_run_finished(); }));
  CHECK(box.last_run("state") == "done");
  box.stop();
  CHECK(sql_value(box.db, "SELECT COUNT(*) FROM import_runs WHERE state = 'running'") == "0");
  const auto hashes = sql_column(box.db, "SELECT sha256 FROM photos");
  CHECK(hashes.size() == static_cast<std::size_t>(total));
  CHECK(std::set<std::string>(hashes.begin(), hashes.end()) == card_hashes(box.dir / "src", manifest));
  // Each original's bytes hash to the card file's hash (not just the catalog's claim).
  const auto on_card = card_hashes(box.dir / "src", manifest);
  for (const auto& path : sql_column(box.db, "SELECT relative_path FROM photo_files WHERE role = 'original'")) {
    CHECK(on_card.count(catalog::sha256_hex(read_all(box.data / path))) == 1);
  }
  check_store_consistent(box);
}

TEST_CASE("serve: a full disk pauses the import cleanly and it resumes once space is freed",
          "[card][serve][diskfull]") {
  Box box("free_space_reserve_mb = 4\nworkers = 1\n");
  // A real small file system for the data dir: tmpfs limited to 24 MB (needs root, as CI).
  if (::mount("tmpfs", box.data.c_str(), "tmpfs", 0, "size=24m") != 0) {
    FAIL("cannot mount a tmpfs at " << box.data << ": " << std::strerror(errno) << " (run as root)");
  }
  struct Unmount {
    fs::path dir;
    ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
  } unmount{box.data};
  const int total = 30;
  const auto manifest = make_card_source(box.dir / "src", total, 2400, 1600);  // ~1.5 MB each
  auto card = fx::CardImage::create(box.dir / "card.img", box.dir / "src", "EOS_R6");
  box.start();
  box.wait_started();
  card.mount(box.media / "EOS_R6");
  INFO(box.log());
  REQUIRE(wait_until([&] { return box.last_run("state") == "disk_full"; }));
  const int before = box.photos();
  CHECK(before > 0);
  CHECK(before < total);
  CHECK(box.last_run("message").starts_with("waiting for disk space: the disk is full"));
  // The organizer's console sees the same state through the API.
  const auto api = testing::run_command("curl -sf http://" + box.serve->listen() + "/api/imports");
  CHECK(api.exit_code == 0);
  CHECK(api.out.find(R"("state":"disk_full")") != std::string::npos);
  check_store_consistent(box);

  // Free space: the file system grows, as when the organizer deletes old files.
  REQUIRE(::mount("tmpfs", box.data.c_str(), "tmpfs", MS_REMOUNT, "size=256m") == 0);
  REQUIRE(wait_until([&] { return box.photos() == total && box.last_run_finished(); }));
  CHECK(box.last_run("state") == "done");
  CHECK(box.last_run("message").empty());
  box.stop();
  const auto hashes = sql_column(box.db, "SELECT sha256 FROM photos");
  CHECK(std::set<std::string>(hashes.begin(), hashes.end()) == card_hashes(box.dir / "src", manifest));
  check_store_consistent(box);
}

TEST_CASE("serve: two cards at once and the same card twice", "[card][serve]") {
  Box box;
  const auto a = make_card_source(box.dir / "src-a", 10, 1200, 800);
  fx::JpegSpec spec;
  spec.pattern = fx::Pattern::noise;
  for (int i = 1; i <= 8; ++i) {
    spec.seed = static_cast<std::uint32_t>(100 + i);
    fx::write_file(box.dir / "src-b" / "DCIM" / "100NIKON" / ("DSC_000" + std::to_string(i) + ".JPG"),
                   fx::make_jpeg(spec));
  }
  auto card_a = fx::CardImage::create(box.dir / "a.img", box.dir / "src-a", "EOS_R6");
  auto card_b = fx::CardImage::create(box.dir / "b.img", box.dir / "src-b", "NIKON_Z8");
  box.start();
  box.wait_started();
  card_a.mount(box.media / "EOS_R6");
  card_b.mount(box.media / "NIKON_Z8");
  INFO(box.log());
  REQUIRE(wait_until([&] {
    return box.photos() == 18 && sql_value(box.db, "SELECT COUNT(*) FROM import_runs WHERE state = 'done'") == "2";
  }));
  CHECK(sql_value(box.db, "SELECT COUNT(DISTINCT volume) FROM import_runs") == "2");

  // The same card again: a run that skips everything, no second copy of anything.
  card_a.unmount();
  card_a.mount(box.media / "EOS_R6");
  REQUIRE(
      wait_until([&] { return sql_value(box.db, "SELECT COUNT(*) FROM import_runs WHERE state = 'done'") == "3"; }));
  CHECK(box.last_run("imported") == "0");
  CHECK(box.last_run("done") == "10");
  // And an identical copy of it (same label and serial) in two readers at once.
  fs::copy_file(card_a.image(), box.dir / "a-copy.img");
  fx::CardImage copy(box.dir / "a-copy.img");
  copy.mount(box.media / "EOS_R6-copy");
  REQUIRE(
      wait_until([&] { return sql_value(box.db, "SELECT COUNT(*) FROM import_runs WHERE state = 'done'") == "4"; }));
  CHECK(box.photos() == 18);
  box.stop();
  check_store_consistent(box);
}
