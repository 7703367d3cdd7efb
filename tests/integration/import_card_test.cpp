// `venuekiosk import` against a real FAT32 card image mounted read-only with fusefat.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <set>

#include "catalog/sha256.h"
#include "fixtures.h"
#include "image/decode.h"
#include "image_checks.h"
#include "read_file.h"
#include "run_command.h"
#include "sql_value.h"
#include "temp_dir.h"

using namespace vk;
using nlohmann::json;
namespace fx = vk::fixtures;
namespace fs = std::filesystem;

namespace {

using testing::read_all;

struct Row {
  std::string sha, path, role;
  std::int64_t bytes;
  int had_gps;
  std::string source_path;
};

std::vector<Row> catalog_files(const fs::path& db_path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT f.sha256, f.relative_path, f.role, f.bytes, p.had_gps, p.source_path "
                             "FROM photo_files f JOIN photos p ON p.id = f.photo_id",
                             -1, &st, nullptr) == SQLITE_OK);
  std::vector<Row> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    auto text = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c))); };
    rows.push_back({text(0), text(1), text(2), sqlite3_column_int64(st, 3), sqlite3_column_int(st, 4), text(5)});
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

json import_json(const fs::path& data, const std::string& paths, int expected_exit) {
  const auto r = testing::run_command(testing::venuekiosk() + " --data-dir " + data.string() + " import " + paths +
                                      " --json 2>/dev/null");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == expected_exit);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("import: a FAT32 card mounted with fusefat imports through the real binary", "[integration]") {
  testing::TempDir dir;
  const auto manifest = fx::write_demo_card(dir / "src", 12);
  auto card = fx::CardImage::create(dir / "card.img", dir / "src", "EOS_R6");
  card.mount(dir / "mnt");
  const fs::path data = dir / "data";

  const json first = import_json(data, (dir / "mnt").string(), 1);  // 1: some files were rejected
  CHECK(first["imported"] == manifest.photos);
  CHECK(first["duplicates"] == 0);
  REQUIRE(first["rejected"].size() == static_cast<std::size_t>(manifest.bad));
  std::set<std::string> rejected_names;
  for (const auto& r : first["rejected"]) {
    rejected_names.insert(fs::path(r["file"].get<std::string>()).filename().string());
    CHECK_FALSE(r["reason"].get<std::string>().empty());
  }
  for (const auto& bad : manifest.bad_files) CHECK(rejected_names.count(fs::path(bad).filename().string()) == 1);
  CHECK(first["skipped"].size() == static_cast<std::size_t>(manifest.videos));

  SECTION("the catalog names only complete files whose hashes match the card") {
    const auto rows = catalog_files(data / "catalog.db");
    int originals = 0;
    for (const auto& row : rows) {
      CAPTURE(row.path);
      const auto bytes = read_all(data / row.path);
      CHECK(static_cast<std::int64_t>(bytes.size()) == row.bytes);
      CHECK(catalog::sha256_hex(bytes) == row.sha);
      if (row.role == "original") {
        ++originals;
        // Byte-for-byte the card's file.
        CHECK(catalog::sha256_hex(read_all(dir / "mnt" / row.source_path)) == row.sha);
      }
    }
    CHECK(originals == manifest.photos);
    CHECK(testing::sql_value(data / "catalog.db", "PRAGMA integrity_check") == "ok");
    CHECK(fs::is_empty(data / "tmp"));
  }

  SECTION("derived files carry no metadata: exiftool finds no GPS and no EXIF in them") {
    const auto r = testing::run_command("exiftool -json -n -GPS:all -EXIF:all -r " + (data / "screen").string() + " " +
                                        (data / "thumb").string() + " 2>/dev/null");
    const json tags = json::parse(r.out);
    REQUIRE(tags.size() == static_cast<std::size_t>(2 * manifest.photos));
    for (const auto& file : tags) {
      CAPTURE(file["SourceFile"]);
      CHECK(file.size() == 1);  // only SourceFile: no EXIF, no GPS tag at all
    }
    CHECK(testing::sql_value(data / "catalog.db", "SELECT COUNT(*) FROM photos WHERE had_gps = 1") != "0");
  }

  SECTION("the same card again imports nothing new") {
    const json second = import_json(data, (dir / "mnt").string(), 1);
    CHECK(second["imported"] == 0);
    CHECK(second["duplicates"] == manifest.photos);
    CHECK(testing::sql_value(data / "catalog.db", "SELECT COUNT(*) FROM photos") == std::to_string(manifest.photos));
  }
}

TEST_CASE("import: orientation is applied end to end for all 8 EXIF values", "[integration]") {
  testing::TempDir dir;
  for (int o = 1; o <= 8; ++o) {
    fx::write_file(
        dir / "src/DCIM/100CANON" / ("IMG_000" + std::to_string(o) + ".JPG"),
        fx::make_jpeg(
            {.width = 2400, .height = 1600, .exif = {.orientation = o}, .seed = static_cast<std::uint32_t>(o)}));
  }
  auto card = fx::CardImage::create(dir / "card.img", dir / "src", "ORIENT");
  card.mount(dir / "mnt");
  const json result = import_json(dir / "data", (dir / "mnt").string(), 0);
  REQUIRE(result["imported"] == 8);
  REQUIRE(result["rejected"].empty());
  for (const auto& row : catalog_files(dir / "data" / "catalog.db")) {
    if (row.role != "screen" && row.role != "thumb") continue;
    CAPTURE(row.source_path, row.role);
    auto img = image::decode_jpeg(read_all(dir / "data" / row.path), {100000, 100000});
    REQUIRE(img.ok());
    CHECK(testing::shows_upright_quadrants(*img));
    CHECK(img->width > img->height);
  }
}

TEST_CASE("import: contract exit codes and plain output", "[integration]") {
  testing::TempDir dir;
  SECTION("usage error exits 2") {
    CHECK(testing::run_command(testing::venuekiosk() + " import 2>/dev/null").exit_code == 2);
    CHECK(testing::run_command(testing::venuekiosk() + " import --bogus x 2>/dev/null").exit_code == 2);
  }
  SECTION("a clean folder exits 0") {
    fx::write_file(dir / "photos/a.jpg", fx::make_jpeg({}));
    const json r = import_json(dir / "data", (dir / "photos").string(), 0);
    CHECK(r["imported"] == 1);
  }
  SECTION("a missing path is reported as rejected, not a crash") {
    const json r = import_json(dir / "data", (dir / "nowhere").string(), 1);
    REQUIRE(r["rejected"].size() == 1);
    CHECK(r["rejected"][0]["reason"].get<std::string>().find("no such folder") != std::string::npos);
  }
  SECTION("without --json a person gets sentences") {
    fx::write_file(dir / "photos/a.jpg", fx::make_jpeg({}));
    fx::write_file(dir / "photos/b.jpg", std::vector<std::uint8_t>{});
    const auto r = testing::run_command(testing::venuekiosk() + " --data-dir " + (dir / "data").string() + " import " +
                                        (dir / "photos").string());
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("Imported 1 photo") != std::string::npos);
    CHECK(r.out.find("b.jpg: the file is empty (0 bytes)") != std::string::npos);
  }
  SECTION("relative paths work from any folder - a data dir that does not exist yet included") {
    fx::write_file(dir / "photos/a.jpg", fx::make_jpeg({}));
    const auto r = testing::run_command("cd " + dir.path().string() + " && " + testing::venuekiosk() +
                                        " --data-dir data import photos");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Imported 1 photo") != std::string::npos);
    CHECK(fs::is_directory(dir / "data/originals"));
  }
}
