// An event's data dir for the screen tests: a real catalog and photo store filled through the
// real ingest path (fixture JPEGs), plus bulk rows for the big-catalog test.
#pragma once

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <fstream>
#include <string>

#include "catalog/catalog.h"
#include "catalog/clock.h"
#include "catalog/ingest.h"
#include "catalog/photo_store.h"
#include "display/show.h"
#include "fixtures.h"
#include "temp_dir.h"

namespace vk::testing {

class EventFixture {
 public:
  EventFixture() : store_(dir_.path(), catalog::posix_file_system()) {
    REQUIRE(store_.open().ok());
    auto opened = catalog::Catalog::open(dir_.path() / "catalog.db", clock_);
    REQUIRE(opened.ok());
    catalog_ = std::move(*opened);
    ingester_ = std::make_unique<catalog::Ingester>(*catalog_, store_, catalog::IngestOptions{});
  }

  [[nodiscard]] const std::filesystem::path& data_dir() const { return dir_.path(); }
  catalog::Catalog& catalog() { return *catalog_; }

  // Imports one fixture JPEG; returns its photo id.
  catalog::PhotoId add(const fixtures::JpegSpec& spec) {
    const auto file = dir_.path() / ("in-" + std::to_string(counter_++) + ".jpg");
    fixtures::write_file(file, fixtures::make_jpeg(spec));
    auto outcome = ingester_->ingest({file, std::nullopt, "test", file.filename().string(), false, std::nullopt});
    REQUIRE(outcome.ok());
    REQUIRE(outcome->kind == catalog::IngestOutcome::Kind::imported);
    std::filesystem::remove(file);
    return outcome->photo;
  }

  // Imports a JPEG with a RAW companion of the same stem (a camera set to RAW+JPEG): one photo,
  // two originals, two upload jobs.
  catalog::PhotoId add_raw_pair(const fixtures::JpegSpec& spec) {
    const auto stem = dir_.path() / ("pair-" + std::to_string(counter_++));
    const auto jpeg = stem.string() + ".jpg", raw = stem.string() + ".dng";
    fixtures::write_file(jpeg, fixtures::make_jpeg(spec));
    fixtures::write_file(raw, fixtures::make_dng({}));
    auto outcome = ingester_->ingest({jpeg, raw, "test", "pair.jpg", false, std::nullopt});
    REQUIRE(outcome.ok());
    REQUIRE(outcome->kind == catalog::IngestOutcome::Kind::imported);
    std::filesystem::remove(jpeg);
    std::filesystem::remove(raw);
    return outcome->photo;
  }

  catalog::PhotoId add_solid(fixtures::Rgb colour, int w = 1600, int h = 1200) {
    fixtures::JpegSpec spec;
    spec.width = w;
    spec.height = h;
    spec.pattern = fixtures::Pattern::solid;
    spec.solid = colour;
    return add(spec);
  }

  std::filesystem::path screen_file(catalog::PhotoId id) {
    auto photo = catalog_->photo(id);
    REQUIRE(photo.ok());
    REQUIRE(photo->has_value());
    for (const auto& f : (*photo)->files) {
      if (f.role == catalog::FileRole::screen) return dir_.path() / f.relative_path;
    }
    FAIL("no screen file");
    return {};
  }

  // Runs SQL on the catalog file from a separate connection (as the organizer console would).
  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir_.path() / "catalog.db").c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    REQUIRE(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }

  // `count` more rows that reuse the screen files of the photos already imported, in one
  // transaction (the real ingest path would take minutes for 10,000 photos).
  void add_bulk_rows(int count) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir_.path() / "catalog.db").c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    auto exec = [db](const std::string& sql) {
      REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    };
    exec("BEGIN");
    exec(
        "CREATE TEMP TABLE seed AS SELECT p.id AS id, f.relative_path AS path, f.bytes AS bytes, f.width AS w, "
        "f.height AS h FROM photos p JOIN photo_files f ON f.photo_id = p.id AND f.role = 'screen'");
    exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(count) +
         ") INSERT INTO photos (sha256, format, width, height, imported_at) "
         "SELECT printf('bulk%060d', i), 'JPEG', 1600, 1200, '2026-01-01T00:00:00Z' FROM n");
    exec(
        "INSERT INTO photo_files (photo_id, role, relative_path, bytes, width, height, sha256) "
        "SELECT p.id, 'screen', s.path, s.bytes, s.w, s.h, p.sha256 FROM photos p "
        "JOIN seed s ON s.id = 1 + (p.id % (SELECT count(*) FROM seed)) WHERE p.sha256 LIKE 'bulk%'");
    exec("COMMIT");
    sqlite3_close(db);
  }

 private:
  TempDir dir_;
  catalog::SystemClock clock_;
  catalog::PhotoStore store_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<catalog::Ingester> ingester_;
  int counter_ = 0;
};

// The show over `data` on the memory driver at `size`, for `frames` frames of the simulated
// 60 Hz clock: what every loop test starts from, before its own configuration.
inline display::ShowOptions memory_show(const std::filesystem::path& data, image::Size size, int frames) {
  display::ShowOptions o;
  o.config.data_dir = data;
  o.driver = "memory";
  o.memory_size = size;
  o.frames = frames;
  o.simulated_clock = true;
  return o;
}

}  // namespace vk::testing
