#include "sync/card_scan.h"

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::sync;
namespace fx = vk::fixtures;

namespace {

bool has_item(const CardScan& scan, const std::string& relative) {
  for (const auto& i : scan.items) {
    if (i.relative == relative) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("scan: a demo card yields exactly its photos - videos skipped - junk ignored", "[scan]") {
  testing::TempDir dir;
  const fx::CardManifest manifest = fx::write_demo_card(dir.path(), 12);
  auto scan = scan_source(dir.path());
  REQUIRE(scan.ok());
  CHECK(static_cast<int>(scan->items.size()) == manifest.photos + manifest.bad);
  CHECK(static_cast<int>(scan->skipped_videos.size()) == manifest.videos);
  for (const auto& photo : manifest.photo_files) CHECK(has_item(*scan, photo));
  for (const auto& bad : manifest.bad_files) CHECK(has_item(*scan, bad));
  for (const auto& item : scan->items) {
    CHECK_FALSE(item.relative.find("/._") != std::string::npos);
    CHECK_FALSE(item.relative.starts_with(".Trashes"));
    CHECK_FALSE(item.relative.ends_with(".THM"));
  }
}

TEST_CASE("scan: RAW and JPEG with the same stem pair up - a lone RAW stands alone", "[scan]") {
  testing::TempDir dir;
  fx::write_file(dir / "DCIM/100CANON/IMG_0100.JPG", fx::make_jpeg({}));
  fx::write_file(dir / "DCIM/100CANON/IMG_0100.CR2", fx::make_dng({}));
  fx::write_file(dir / "DCIM/100CANON/IMG_0101.DNG", fx::make_dng({}));
  auto scan = scan_source(dir.path());
  REQUIRE(scan.ok());
  REQUIRE(scan->items.size() == 2);
  CHECK(scan->items[0].relative == "DCIM/100CANON/IMG_0100.JPG");
  REQUIRE(scan->items[0].raw_companion.has_value());
  CHECK(scan->items[0].raw_companion->filename() == "IMG_0100.CR2");
  CHECK(scan->items[1].relative == "DCIM/100CANON/IMG_0101.DNG");
  CHECK_FALSE(scan->items[1].raw_companion.has_value());
}

TEST_CASE("scan: DCF folders in order - unknown names only when they look like images", "[scan]") {
  testing::TempDir dir;
  fx::write_file(dir / "DCIM/101MSDCF/DSC00001.JPG", fx::make_jpeg({}));
  fx::write_file(dir / "DCIM/100CANON/IMG_0001.JPG", fx::make_jpeg({}));
  fx::write_file(dir / "notes.txt", std::vector<std::uint8_t>{'h', 'i'});
  fx::write_file(dir / "export_without_extension", fx::make_png(10, 10));
  auto scan = scan_source(dir.path());
  REQUIRE(scan.ok());
  REQUIRE(scan->items.size() == 3);
  CHECK(scan->items[0].relative == "export_without_extension");
  CHECK(scan->items[1].relative == "DCIM/100CANON/IMG_0001.JPG");
  CHECK(scan->items[2].relative == "DCIM/101MSDCF/DSC00001.JPG");
  CHECK(scan->ignored == 1);
}

TEST_CASE("scan: symbolic links are never followed", "[scan]") {
  testing::TempDir dir;
  fx::write_file(dir / "card/IMG_0001.JPG", fx::make_jpeg({}));
  fx::write_file(dir / "elsewhere/SECRET.JPG", fx::make_jpeg({}));
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "card/link");
  std::filesystem::create_symlink(dir / "elsewhere/SECRET.JPG", dir / "card/IMG_0002.JPG");
  auto scan = scan_source(dir / "card");
  REQUIRE(scan.ok());
  REQUIRE(scan->items.size() == 1);
  CHECK(scan->items[0].relative == "IMG_0001.JPG");
}

TEST_CASE("scan: a missing card is an error - a single file is an item", "[scan]") {
  testing::TempDir dir;
  auto missing = scan_source(dir / "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
  fx::write_file(dir / "one.jpg", fx::make_jpeg({}));
  auto one = scan_source(dir / "one.jpg");
  REQUIRE(one.ok());
  CHECK(one->items.size() == 1);
}
