#include "image/probe.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "fixtures.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::image;
namespace fx = vk::fixtures;

namespace {

// Encodes the fixture PNG with ImageMagick into another format: an encoder that is not ours.
std::vector<std::uint8_t> convert_png_to(const std::string& format, int w, int h) {
  testing::TempDir dir;
  fx::write_file(dir / "in.png", fx::make_png(w, h));
  const auto out = dir / ("out." + format);
  const std::string cmd = "convert " + (dir / "in.png").string() + " " + out.string() + " 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(out, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("probe tells formats apart by content and reads sizes from headers", "[probe]") {
  SECTION("JPEG") {
    const auto info = probe(fx::make_jpeg({.width = 640, .height = 480}));
    REQUIRE(info.ok());
    CHECK(info->format == Format::jpeg);
    CHECK(info->stored == Size{640, 480});
  }
  SECTION("PNG") {
    const auto info = probe(fx::make_png(300, 200));
    REQUIRE(info.ok());
    CHECK(info->format == Format::png);
    CHECK(info->stored == Size{300, 200});
  }
  SECTION("GIF, BMP and WebP made by ImageMagick") {
    const auto [name, format] =
        GENERATE(table<std::string, Format>({{"gif", Format::gif}, {"bmp", Format::bmp}, {"webp", Format::webp}}));
    const auto info = probe(convert_png_to(name, 321, 123));
    REQUIRE(info.ok());
    CHECK(info->format == format);
    CHECK(info->stored == Size{321, 123});
  }
  SECTION("DNG through libraw, with camera and orientation") {
    const auto info = probe(fx::make_dng({.preview_width = 600, .preview_height = 400, .orientation = 6}));
    REQUIRE(info.ok());
    CHECK(info->format == Format::raw);
    CHECK(info->raw_kind == RawKind::dng);
    CHECK(info->metadata.camera_make == "Canon");
    CHECK(info->metadata.orientation == 6);
    CHECK_FALSE(info->metadata.photographer);  // no Artist written
  }
  SECTION("a RAW names its photographer from its own Artist, cleaned like EXIF's") {
    const auto info = probe(fx::make_dng({.artist = "  Jane Doe\t"}));
    REQUIRE(info.ok());
    CHECK(info->metadata.photographer == "Jane Doe");
    const auto blank = probe(fx::make_dng({.artist = "   "}));
    REQUIRE(blank.ok());
    CHECK_FALSE(blank->metadata.photographer);
  }
}

TEST_CASE("probe reports the EXIF orientation and the upright size", "[probe]") {
  const int orientation = GENERATE(1, 2, 3, 4, 5, 6, 7, 8);
  const auto info = probe(fx::make_jpeg({.width = 400, .height = 300, .exif = {.orientation = orientation}}));
  REQUIRE(info.ok());
  CHECK(info->metadata.orientation == orientation);
  CHECK(info->displayed() == Size{400, 300});
  if (orientation >= 5) CHECK(info->stored == Size{300, 400});
}

TEST_CASE("probe refuses bad input with a reason a person understands", "[probe]") {
  SECTION("empty") {
    const auto r = probe(std::vector<std::uint8_t>{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("empty") != std::string::npos);
  }
  SECTION("random bytes named .JPG") {
    const auto r = probe(fx::make_random_bytes(4096, 7));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_input);
    CHECK(r.error().message.find("not a photo") != std::string::npos);
  }
  SECTION("a JPEG header claiming 60000x60000 is refused before decoding") {
    const auto r = probe(fx::make_huge_claim_jpeg());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::too_large);
    CHECK(r.error().message.find("60000x60000") != std::string::npos);
  }
  SECTION("a PNG header claiming 60000x60000") {
    const auto r = probe(fx::make_huge_claim_png());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::too_large);
  }
  SECTION("the limit is configurable") {
    const auto r = probe(fx::make_jpeg({.width = 2000, .height = 1000}), Limits{.max_pixels = 1'000'000});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::too_large);
  }
  SECTION("a JPEG cut inside its header") {
    auto jpeg = fx::make_jpeg({});
    jpeg.resize(40);
    const auto r = probe(jpeg);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("damaged") != std::string::npos);
  }
  SECTION("a plain TIFF that is not a camera RAW") {
    std::vector<std::uint8_t> tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0};
    const auto r = probe(tiff);
    REQUIRE_FALSE(r.ok());
  }
}

TEST_CASE("probe: a bad JPEG does not spoil the next one on the same thread", "[probe]") {
  // Found by the fuzzer: a reused TurboJPEG handle stayed broken after an error.
  const std::vector<std::uint8_t> bad = {0xFF, 0xD8, 0xFF, 0x9D};
  REQUIRE_FALSE(probe(bad).ok());
  auto header_only = fx::make_jpeg({});
  header_only.resize(200);
  (void)probe(header_only);
  const auto good = probe(fx::make_jpeg({.width = 320, .height = 200}));
  REQUIRE(good.ok());
  CHECK(good->stored == Size{320, 200});
}
