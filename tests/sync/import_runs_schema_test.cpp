// Catalog schema step 5 rebuilds import_runs (a new CHECK allows the 'disk_full' state, a new
// column records the card reader). A catalog written at schema 4, with runs that rejections,
// photos and card files point at, must come through with every row and reference intact.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <string>

#include "catalog/catalog.h"
#include "sql_value.h"
#include "temp_dir.h"

using namespace vk;
using testing::sql_value;
namespace fs = std::filesystem;

namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO(sql << ": " << (error != nullptr ? error : ""));
  sqlite3_free(error);
  REQUIRE(rc == SQLITE_OK);
}

// A catalog as schema 4 wrote it (the frozen steps 1-4, tests/sync/data), with rows that
// reference a run.
void write_schema_4_catalog(const fs::path& file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  std::ifstream in(fs::path(VK_SOURCE_DIR) / "tests/sync/data/catalog_schema_4.sql");
  const std::string schema_4((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(!schema_4.empty());
  exec(db, "BEGIN;" + schema_4 + "PRAGMA user_version = 4; COMMIT;");
  exec(db, R"sql(
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
  CHECK(sql_value(db, "PRAGMA user_version") == std::to_string(catalog::Catalog::schema_version()));
  // Neither cascaded nor nulled by the rebuild.
  CHECK(sql_value(db, "SELECT COUNT(*) FROM import_rejections WHERE run_id = 7") == "1");
  CHECK(sql_value(db, "SELECT import_run_id FROM photos WHERE id = 1") == "7");
  CHECK(sql_value(db, "SELECT COUNT(*) FROM card_files WHERE run_id = 7") == "1");
  CHECK(sql_value(db, "PRAGMA foreign_key_check").empty());
  CHECK(sql_value(db, "PRAGMA integrity_check") == "ok");
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
