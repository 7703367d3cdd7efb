// What the screen reads from the catalog and writes on the photos: the sync line counts photos
// (not files), the caption names the photographer (EXIF Artist, stored at import since schema
// step 7), and a catalog written at schema 6 comes through step 7 with its photos intact.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "catalog/photo_feed.h"
#include "display/show.h"
#include "display/text.h"
#include "event_fixture.h"
#include "sql_value.h"

using namespace vk;
using testing::EventFixture;
using testing::sql_value;
namespace fs = std::filesystem;

namespace {

// The last frame of a short show of one solid photo, caption on or off.
display::Canvas last_frame(const fs::path& data, bool caption) {
  display::ShowOptions o;
  o.config.data_dir = data;
  o.config.event_title = "Anna & Ben";
  o.config.screen.qr_mode = "off";
  o.config.screen.show_caption = caption;
  o.driver = "memory";
  o.memory_size = {1280, 720};
  o.frames = 90;
  o.simulated_clock = true;
  display::Canvas out;
  o.on_frame = [&](const display::FrameInfo& info, const display::FrameView& view) {
    if (info.frame + 1 != o.frames) return;
    out = display::Canvas(view.width, view.height);
    for (int y = 0; y < view.height; ++y) std::copy_n(view.row(y), view.width, out.px.data() + y * view.width);
  };
  REQUIRE(display::run_show(o).ok());
  return out;
}

// The columns where two frames differ in the bottom eighth (where the caption sits).
std::pair<int, int> changed_columns(const display::Canvas& a, const display::Canvas& b) {
  int first = a.width, last = -1;
  for (int y = a.height * 7 / 8; y < a.height; ++y) {
    for (int x = 0; x < a.width; ++x) {
      if (a.at(x, y) != b.at(x, y)) first = std::min(first, x), last = std::max(last, x);
    }
  }
  return {first, last};
}

// The caption of the one photo the screen would show from `file`.
std::string only_caption(const fs::path& file) {
  auto feed = catalog::PhotoFeed::open(file);
  REQUIRE(feed.ok());
  auto visible = (*feed)->visible(false);
  REQUIRE(visible.ok());
  REQUIRE(visible->size() == 1);
  return visible->front().caption;
}

}  // namespace

TEST_CASE("The sync line counts photos: a RAW+JPEG pair is one photo to upload", "[show][feed]") {
  EventFixture event;
  event.add_raw_pair({});
  event.add_solid({90, 120, 60});
  const fs::path db = event.data_dir() / "catalog.db";
  REQUIRE(sql_value(db, "SELECT count(*) FROM upload_jobs WHERE state = 'pending'") == "3");  // files
  auto feed = catalog::PhotoFeed::open(db);
  REQUIRE(feed.ok());
  auto status = (*feed)->status(false);
  REQUIRE(status.ok());
  CHECK(status->visible == 2);
  CHECK(status->uploads_pending == 2);  // photos: "2 photos · ↑ 2 to upload", not 3
  event.sql("UPDATE upload_jobs SET state = 'failed' WHERE role = 'raw'");
  status = (*feed)->status(false);
  REQUIRE(status.ok());
  CHECK(status->uploads_pending == 2);  // the pair's JPEG still waits
  CHECK(status->uploads_failed == 1);
}

TEST_CASE("Captions say photographer and camera", "[feed]") {
  CHECK(catalog::caption_for("Jane Doe", "Canon", "Canon EOS R6") == "Jane Doe \xC2\xB7 Canon EOS R6");
  CHECK(catalog::caption_for("", "FUJIFILM", "X-T5") == "FUJIFILM X-T5");
  CHECK(catalog::caption_for("", "NIKON CORPORATION", "NIKON Z 6_2") == "NIKON Z 6_2");
  CHECK(catalog::caption_for("Jane Doe", "", "") == "Jane Doe");
  CHECK(catalog::caption_for("", "", "").empty());
}

TEST_CASE("The photographer in EXIF Artist is stored at import and shown in the caption", "[show][feed]") {
  EventFixture event;
  fixtures::JpegSpec spec;
  spec.width = 1600;
  spec.height = 1200;
  spec.pattern = fixtures::Pattern::solid;
  spec.solid = {70, 90, 120};
  spec.exif.make = "Canon";
  spec.exif.model = "Canon EOS R6";
  spec.exif.artist = "Jane Doe";
  const auto id = event.add(spec);

  auto photo = event.catalog().photo(id);
  REQUIRE(photo.ok());
  REQUIRE(photo->has_value());
  CHECK((*photo)->photographer == "Jane Doe");
  auto feed = catalog::PhotoFeed::open(event.data_dir() / "catalog.db");
  REQUIRE(feed.ok());
  auto visible = (*feed)->visible(false);
  REQUIRE(visible.ok());
  REQUIRE(visible->size() == 1);
  CHECK(visible->front().photographer == "Jane Doe");
  const std::string caption = "Jane Doe \xC2\xB7 Canon EOS R6";
  CHECK(visible->front().caption == caption);

  // On screen: the caption is as wide as that text (with its shadow), centred at the bottom.
  const auto plain = last_frame(event.data_dir(), false);
  const auto captioned = last_frame(event.data_dir(), true);
  const auto [first, last] = changed_columns(plain, captioned);
  REQUIRE(last > first);
  auto text = display::TextRenderer::create();
  REQUIRE(text.ok());
  const int size = std::max(14, 720 / 42);  // Overlays' caption size at 720 px
  const auto expected = (*text)->render(caption, {size, 0xE8ECF0, false, true});
  const auto camera_only = (*text)->render("Canon EOS R6", {size, 0xE8ECF0, false, true});
  CAPTURE(first, last, expected.width, camera_only.width);
  CHECK(std::abs((last - first + 1) - expected.width) <= 6);
  CHECK(std::abs((first + last) / 2 - 640) <= 4);
}

TEST_CASE("catalog schema 7: a schema-6 catalog gains the photographer column with every photo intact", "[feed]") {
  testing::TempDir dir;
  const fs::path file = dir / "catalog.db";
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    std::ifstream in(fs::path(VK_SOURCE_DIR) / "tests/display/data/catalog_schema_6.sql");
    const std::string schema_6((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(!schema_6.empty());
    const std::string sql = "BEGIN;" + schema_6 + R"sql(
PRAGMA user_version = 6;
INSERT INTO photos (id, sha256, format, width, height, imported_at, camera_make, camera_model)
  VALUES (1, 'aa', 'JPEG', 1600, 1200, '2026-11-29T10:00:01Z', 'NIKON CORPORATION', 'NIKON Z 6_2');
INSERT INTO photo_files (photo_id, role, relative_path, bytes, width, height, sha256)
  VALUES (1, 'screen', 'screen/aa/aa.jpg', 10, 1600, 1200, 'bb');
INSERT INTO upload_jobs (photo_id, role) VALUES (1, 'original');
COMMIT;)sql";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  // The screen reads a schema-6 catalog (it never migrates): camera only.
  CHECK(only_caption(file) == "NIKON Z 6_2");
  catalog::SystemClock clock;
  auto opened = catalog::Catalog::open(file, clock);
  INFO((opened ? std::string() : opened.error().describe()));
  REQUIRE(opened.ok());
  CHECK(catalog::Catalog::schema_version() == 7);
  CHECK(sql_value(file, "PRAGMA user_version") == "7");
  auto photo = (*opened)->photo(1);
  REQUIRE(photo.ok());
  REQUIRE(photo->has_value());
  CHECK((*photo)->camera_model == "NIKON Z 6_2");
  CHECK_FALSE((*photo)->photographer.has_value());  // originals are not read again
  CHECK(sql_value(file, "SELECT count(*) FROM upload_jobs") == "1");
  CHECK(sql_value(file, "SELECT n FROM photo_generation") == "2");  // step 6's triggers counted both rows
  CHECK(sql_value(file, "PRAGMA integrity_check") == "ok");
  // A photographer written now reads back through the feed.
  (*opened).reset();
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "UPDATE photos SET photographer = 'Jane Doe'", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  CHECK(only_caption(file) == "Jane Doe \xC2\xB7 NIKON Z 6_2");
}
