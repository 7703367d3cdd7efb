// Catalog schema step 5 rebuilds import_runs (a new CHECK allows the 'disk_full' state, a new
// column records the card reader). A catalog written at schema 4, with runs that rejections,
// photos and card files point at, must come through with every row and reference intact.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <string>

#include "catalog/catalog.h"
#include "temp_dir.h"

using namespace vk;
namespace fs = std::filesystem;

namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO(sql << ": " << (error != nullptr ? error : ""));
  sqlite3_free(error);
  REQUIRE(rc == SQLITE_OK);
}

std::string value(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return out;
}

// Turns a fresh catalog back into what schema 4 wrote: import_runs without `reader` and with
// the old CHECK, user_version 4; then rows that reference a run.
void write_schema_4_catalog(const fs::path& file) {
  catalog::SystemClock clock;
  REQUIRE(catalog::Catalog::open(file, clock).ok());
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  exec(db, R"sql(
PRAGMA foreign_keys=OFF;
BEGIN;
DROP TABLE import_runs;
CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY, source TEXT NOT NULL, volume TEXT NOT NULL DEFAULT '', started_at TEXT NOT NULL,
  finished_at TEXT,
  state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running','done','failed','cancelled')),
  total INTEGER NOT NULL DEFAULT 0, imported INTEGER NOT NULL DEFAULT 0, duplicates INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0);
ALTER TABLE import_runs ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN bytes_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN bytes_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_runs ADD COLUMN current_file TEXT NOT NULL DEFAULT '';
ALTER TABLE import_runs ADD COLUMN message TEXT NOT NULL DEFAULT '';
ALTER TABLE import_runs ADD COLUMN updated_at TEXT;
CREATE INDEX import_runs_by_state ON import_runs(state);
PRAGMA user_version = 4;
COMMIT;
PRAGMA foreign_keys=ON;
INSERT INTO import_runs (id, source, volume, started_at, state, total, done, message)
  VALUES (7, '/media/EOS', 'EOS_R6 (6BC2-526B)', '2026-11-29T10:00:00Z', 'cancelled', 240, 130, 'card removed');
INSERT INTO import_rejections (run_id, file, reason) VALUES (7, 'DCIM/100CANON/IMG_0099.JPG', 'truncated');
INSERT INTO photos (id, sha256, format, width, height, imported_at, import_run_id)
  VALUES (1, 'aa', 'jpeg', 10, 10, '2026-11-29T10:00:01Z', 7);
INSERT INTO card_files (volume, source_path, bytes, run_id) VALUES ('EOS_R6 (6BC2-526B)', 'DCIM/a.jpg', 5, 7);
)sql");
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("catalog schema 5: import runs are rebuilt with disk_full and reader - nothing that points at them is lost",
          "[catalog]") {
  testing::TempDir dir;
  const fs::path file = dir / "catalog.db";
  write_schema_4_catalog(file);

  catalog::SystemClock clock;
  auto opened = catalog::Catalog::open(file, clock);
  INFO((opened ? std::string() : opened.error().describe()));
  REQUIRE(opened.ok());
  auto& c = **opened;
  auto runs = c.recent_import_runs();
  REQUIRE(runs.ok());
  REQUIRE(runs->size() == 1);
  CHECK(runs->front().id == 7);
  CHECK(runs->front().done == 130);
  CHECK(runs->front().message == "card removed");
  CHECK(runs->front().reader.empty());

  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  CHECK(value(db, "PRAGMA user_version") == std::to_string(catalog::Catalog::schema_version()));
  // Neither cascaded nor nulled by the rebuild.
  CHECK(value(db, "SELECT COUNT(*) FROM import_rejections WHERE run_id = 7") == "1");
  CHECK(value(db, "SELECT import_run_id FROM photos WHERE id = 1") == "7");
  CHECK(value(db, "SELECT COUNT(*) FROM card_files WHERE run_id = 7") == "1");
  CHECK(value(db, "PRAGMA foreign_key_check").empty());
  CHECK(value(db, "PRAGMA integrity_check") == "ok");
  sqlite3_close(db);

  // The new state and column work through the catalog API, and foreign keys are on again.
  auto run = c.begin_import_run("/media/EOS", "EOS_R6", 10, "Generic USB Storage 05e3:0749 serial 000000001206");
  REQUIRE(run.ok());
  catalog::ImportRunRecord r = **c.import_run(*run);
  r.state = "disk_full";
  REQUIRE(c.update_import_progress(r).ok());
  CHECK((*c.import_run(*run))->state == "disk_full");
  CHECK((*c.import_run(*run))->reader == "Generic USB Storage 05e3:0749 serial 000000001206");
  r.state = "sleeping";
  CHECK_FALSE(c.update_import_progress(r).ok());                // the CHECK still guards the state
  CHECK_FALSE(c.record_rejection(999, {"x.jpg", "bad"}).ok());  // no run 999: foreign keys on
}
