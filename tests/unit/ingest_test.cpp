#include "catalog/ingest.h"

#include <catch2/catch.hpp>

#include <cstdlib>

#include "catalog/sha256.h"
#include "fault_fs.h"
#include "fixtures.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::catalog;
namespace fx = vk::fixtures;

namespace {

struct Setup {
  testing::TempDir dir;
  testing::FaultyFileSystem fs;
  SystemClock clock;
  PhotoStore store{dir / "data", fs};
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Ingester> ingester;

  Setup() {
    REQUIRE(store.open().ok());
    auto c = Catalog::open(dir / "data" / "catalog.db", clock);
    REQUIRE(c.ok());
    catalog = std::move(c).value();
    ingester = std::make_unique<Ingester>(*catalog, store, IngestOptions{});
  }
  std::filesystem::path card_file(const std::string& name, const std::vector<std::uint8_t>& bytes) {
    const auto path = dir / "card" / name;
    fx::write_file(path, bytes);
    return path;
  }
  int files_in(const std::string& sub) {
    int n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "data" / sub)) n += e.is_regular_file();
    return n;
  }
};

}  // namespace

TEST_CASE("ingest: a camera JPEG becomes a photo with original - screen and thumb", "[ingest]") {
  Setup s;
  const auto bytes = fx::make_jpeg({.width = 3000,
                                    .height = 2000,
                                    .exif = {.orientation = 6,
                                             .gps = true,
                                             .datetime_original = "2026:06:14 15:02:11",
                                             .make = "Canon",
                                             .model = "EOS R6",
                                             .rating = 3}});
  const auto file = s.card_file("IMG_0001.JPG", bytes);
  auto outcome = s.ingester->ingest({file, std::nullopt, "EOS_R6", "DCIM/100CANON/IMG_0001.JPG", true, std::nullopt});
  REQUIRE(outcome.ok());
  CHECK(outcome->kind == IngestOutcome::Kind::imported);

  auto photo = s.catalog->photo(outcome->photo);
  REQUIRE(photo.ok());
  REQUIRE(photo->has_value());
  const PhotoRecord& p = **photo;
  CHECK(p.sha256 == sha256_hex(bytes));
  CHECK(p.width == 3000);  // the fixture size is the upright size
  CHECK(p.height == 2000);
  CHECK(p.captured_at == "2026-06-14T15:02:11");
  CHECK(p.camera_model == "EOS R6");
  CHECK(p.rating == 3);
  CHECK(p.had_gps);
  CHECK(p.protected_on_card);
  CHECK(p.source_volume == "EOS_R6");
  REQUIRE(p.files.size() == 3);
  for (const auto& f : p.files) {
    const auto path = s.store.absolute(f.relative_path);
    REQUIRE(std::filesystem::exists(path));
    CHECK(std::filesystem::file_size(path) == f.bytes);
    if (f.role == FileRole::screen) CHECK((f.width == 1620 && f.height == 1080));
    if (f.role == FileRole::thumb) CHECK((f.width == 400 && f.height == 267));
  }
  CHECK(std::filesystem::is_empty(s.dir / "data" / "tmp"));
}

TEST_CASE("ingest: the same content twice is one photo", "[ingest]") {
  Setup s;
  const auto bytes = fx::make_jpeg({});
  const auto a = s.card_file("A.JPG", bytes);
  const auto b = s.card_file("copy/B.JPG", bytes);
  REQUIRE(s.ingester->ingest({a, {}, "card1", "A.JPG", false, {}})->kind == IngestOutcome::Kind::imported);
  auto second = s.ingester->ingest({b, {}, "card2", "B.JPG", false, {}});
  REQUIRE(second.ok());
  CHECK(second->kind == IngestOutcome::Kind::duplicate);
  CHECK(*s.catalog->photo_count() == 1);
}

TEST_CASE("ingest: RAW + JPEG pair is one photo with two originals", "[ingest]") {
  Setup s;
  const auto jpg = s.card_file("IMG_0100.JPG", fx::make_jpeg({.width = 1024, .height = 683}));
  const auto dng = s.card_file("IMG_0100.DNG", fx::make_dng({}));
  auto outcome = s.ingester->ingest({jpg, dng, "card", "IMG_0100.JPG", false, {}});
  REQUIRE(outcome.ok());
  REQUIRE(outcome->kind == IngestOutcome::Kind::imported);
  const auto p = **s.catalog->photo(outcome->photo);
  CHECK(p.format == "JPEG");
  REQUIRE(p.files.size() == 4);
  bool has_raw = false;
  for (const auto& f : p.files) {
    if (f.role == FileRole::raw) {
      has_raw = true;
      CHECK(f.relative_path.ends_with(".dng"));
      CHECK(std::filesystem::file_size(s.store.absolute(f.relative_path)) == std::filesystem::file_size(dng));
    }
  }
  CHECK(has_raw);
}

TEST_CASE("ingest: a RAW-only photo imports through its preview", "[ingest]") {
  Setup s;
  const auto dng = s.card_file("IMG_0101.DNG", fx::make_dng({.artist = "Jane Doe"}));
  auto outcome = s.ingester->ingest({dng, {}, "card", "IMG_0101.DNG", false, {}});
  REQUIRE(outcome.ok());
  CHECK(outcome->kind == IngestOutcome::Kind::imported);
  const auto p = **s.catalog->photo(outcome->photo);
  CHECK(p.format == "DNG");
  CHECK(p.camera_make == "Canon");
  CHECK(p.photographer == "Jane Doe");  // from the RAW's own Artist: there is no JPEG to read
}

TEST_CASE("ingest: bad files are rejected with a reason and leave nothing behind", "[ingest]") {
  Setup s;
  struct Case {
    const char* name;
    std::vector<std::uint8_t> bytes;
    const char* reason_part;
  };
  const Case cases[] = {{"EMPTY.JPG", {}, "empty"},
                        {"RANDOM.JPG", fx::make_random_bytes(5000, 3), "not a photo"},
                        {"TRUNC.JPG", fx::make_truncated_jpeg(), "truncated"},
                        {"HUGE.JPG", fx::make_huge_claim_jpeg(), "too large"}};
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto outcome = s.ingester->ingest({s.card_file(c.name, c.bytes), {}, "card", c.name, false, {}});
    REQUIRE(outcome.ok());
    CHECK(outcome->kind == IngestOutcome::Kind::rejected);
    CHECK(outcome->reason.find(c.reason_part) != std::string::npos);
  }
  CHECK(*s.catalog->photo_count() == 0);
  CHECK(s.files_in("originals") == 0);
  CHECK(s.files_in("screen") == 0);
}

TEST_CASE("ingest: disk full is an error of the box - and leaves no partial photo", "[ingest]") {
  Setup s;
  const auto file = s.card_file("IMG_0001.JPG", fx::make_jpeg({}));
  s.fs.writes_before_disk_full = 2;  // original and screen fit, the thumb does not
  auto outcome = s.ingester->ingest({file, {}, "card", "IMG_0001.JPG", false, {}});
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().code == ErrorCode::no_space);
  CHECK(*s.catalog->photo_count() == 0);
  CHECK(s.files_in("originals") == 0);
  CHECK(s.files_in("screen") == 0);
  CHECK(s.files_in("tmp") == 0);

  s.fs.writes_before_disk_full = -1;  // space freed: the same file imports
  auto retry = s.ingester->ingest({file, {}, "card", "IMG_0001.JPG", false, {}});
  REQUIRE(retry.ok());
  CHECK(retry->kind == IngestOutcome::Kind::imported);
}

TEST_CASE("ingest: a card pulled mid-read is an error of the box - not a bad photo", "[ingest]") {
  Setup s;
  const auto file = s.card_file("IMG_0002.JPG", fx::make_jpeg({}));
  s.fs.unreadable_names.insert("IMG_0002.JPG");
  auto outcome = s.ingester->ingest({file, {}, "card", "IMG_0002.JPG", false, {}});
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().message.find("card was pulled out") != std::string::npos);
  CHECK(*s.catalog->photo_count() == 0);
}

TEST_CASE("ingest: a RAW reader that cannot start is an error of the box - not a bad photo", "[ingest]") {
  Setup s;
  const auto dng = s.card_file("IMG_0101.DNG", fx::make_dng({}));
  const std::string reader = std::getenv("VK_RAW_READER");
  ::setenv("VK_RAW_READER", "/nonexistent/venuekiosk-raw-reader", 1);
  auto outcome = s.ingester->ingest({dng, {}, "card", "IMG_0101.DNG", false, {}});
  ::setenv("VK_RAW_READER", reader.c_str(), 1);
  REQUIRE_FALSE(outcome.ok());
  CHECK(outcome.error().code == ErrorCode::io);
  CHECK(outcome.error().message.find("cannot start the RAW file reader /nonexistent/venuekiosk-raw-reader") == 0);
  CHECK(*s.catalog->photo_count() == 0);

  auto retry = s.ingester->ingest({dng, {}, "card", "IMG_0101.DNG", false, {}});  // the reader is back
  REQUIRE(retry.ok());
  CHECK(retry->kind == IngestOutcome::Kind::imported);
}
