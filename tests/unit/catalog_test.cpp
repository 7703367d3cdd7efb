#include "catalog/catalog.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "temp_dir.h"

using namespace vk;
using namespace vk::catalog;

namespace {

PhotoRecord sample_photo(const std::string& sha) {
  PhotoRecord p;
  p.sha256 = sha;
  p.format = "JPEG";
  p.width = 6000;
  p.height = 4000;
  p.captured_at = "2026-06-14T15:02:11";
  p.camera_make = "Canon";
  p.source_volume = "EOS_R6";
  p.source_path = "DCIM/100CANON/IMG_0001.JPG";
  p.files = {{FileRole::original, PhotoStore::relative_path(FileRole::original, sha, "jpg"), 8000000, 6000, 4000, sha},
             {FileRole::screen, PhotoStore::relative_path(FileRole::screen, sha, "jpg"), 300000, 1620, 1080, "s" + sha},
             {FileRole::thumb, PhotoStore::relative_path(FileRole::thumb, sha, "jpg"), 30000, 400, 267, "t" + sha}};
  return p;
}

const std::string kShaA(64, 'a');
const std::string kShaB(64, 'b');

}  // namespace

TEST_CASE("catalog: a new file gets the current schema in WAL mode", "[catalog]") {
  testing::TempDir dir;
  SystemClock clock;
  auto catalog = Catalog::open(dir / "catalog.db", clock);
  REQUIRE(catalog.ok());
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "catalog.db").c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  CHECK(sqlite3_column_int(stmt, 0) == Catalog::schema_version());
  sqlite3_finalize(stmt);
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_CASE("catalog: photos - files and upload jobs go in together - the hash is unique", "[catalog]") {
  testing::TempDir dir;
  ManualClock clock(std::chrono::sys_days{std::chrono::year{2026} / 6 / 14} + std::chrono::hours{15});
  auto catalog = Catalog::open(dir / "catalog.db", clock);
  REQUIRE(catalog.ok());
  Catalog& c = **catalog;

  auto added = c.add_photo(sample_photo(kShaA));
  REQUIRE(added.ok());
  CHECK(*added == AddResult::added);
  auto again = c.add_photo(sample_photo(kShaA));
  REQUIRE(again.ok());
  CHECK(*again == AddResult::already_present);
  REQUIRE(c.add_photo(sample_photo(kShaB)).ok());
  CHECK(*c.photo_count() == 2);

  auto id = c.find_photo(kShaA);
  REQUIRE(id.ok());
  REQUIRE(id->has_value());
  auto photo = c.photo(**id);
  REQUIRE(photo.ok());
  REQUIRE(photo->has_value());
  const PhotoRecord& p = **photo;
  CHECK(p.imported_at == "2026-06-14T15:00:00Z");
  CHECK(p.camera_make == "Canon");
  CHECK(p.files.size() == 3);
  CHECK(*c.has_file(kShaA));
  CHECK_FALSE(*c.has_file(std::string(64, 'c')));

  StoredFileRecord raw{FileRole::raw, "originals/cc/x.cr2", 25000000, 0, 0, std::string(64, 'c')};
  REQUIRE(c.attach_file(**id, raw).ok());
  REQUIRE(c.attach_file(**id, raw).ok());  // idempotent
  CHECK((*c.photo(**id))->files.size() == 4);
  CHECK(*c.has_file(std::string(64, 'c')));
  CHECK(*c.integrity_check() == "ok");
}

TEST_CASE("catalog: import runs record counts and rejections", "[catalog]") {
  testing::TempDir dir;
  SystemClock clock;
  auto catalog = Catalog::open(dir / "catalog.db", clock);
  REQUIRE(catalog.ok());
  auto run = (*catalog)->begin_import_run("/media/card", "EOS_R6", 10);
  REQUIRE(run.ok());
  REQUIRE((*catalog)->record_rejection(*run, {"DCIM/100CANON/BAD.JPG", "the file is empty (0 bytes)"}).ok());
  ImportRunRecord r;
  r.id = *run;
  r.state = "done";
  r.total = 10;
  r.imported = 8;
  r.rejected = 1;
  r.skipped = 1;
  REQUIRE((*catalog)->finish_import_run(r).ok());
  auto back = (*catalog)->import_run(*run);
  REQUIRE(back.ok());
  REQUIRE(back->has_value());
  CHECK((*back)->state == "done");
  CHECK((*back)->imported == 8);
  CHECK((*back)->volume == "EOS_R6");
  CHECK_FALSE((*back)->finished_at.empty());
}

TEST_CASE("catalog: a file that is not a catalog is refused in plain words", "[catalog]") {
  testing::TempDir dir;
  std::ofstream(dir / "catalog.db") << "this is not a database, it is a shopping list";
  SystemClock clock;
  auto catalog = Catalog::open(dir / "catalog.db", clock);
  REQUIRE_FALSE(catalog.ok());
  CHECK(catalog.error().message.find("not a venuekiosk catalog") != std::string::npos);
}

TEST_CASE("catalog: a catalog from a newer venuekiosk is refused - not damaged", "[catalog]") {
  testing::TempDir dir;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "catalog.db").c_str(), &db) == SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  SystemClock clock;
  auto catalog = Catalog::open(dir / "catalog.db", clock);
  REQUIRE_FALSE(catalog.ok());
  CHECK(catalog.error().message.find("newer venuekiosk") != std::string::npos);
}
