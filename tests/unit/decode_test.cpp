#include "image/decode.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "fixtures.h"
#include "image/transform.h"
#include "image_checks.h"
#include "read_file.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::image;
namespace fx = vk::fixtures;

namespace {

Image decode_upright(const std::vector<std::uint8_t>& bytes, Size cover = {4096, 4096}) {
  auto info = probe(bytes);
  REQUIRE(info.ok());
  auto img = decode(bytes, *info, cover);
  REQUIRE(img.ok());
  return apply_orientation(std::move(img).value(), info->metadata.orientation);
}

}  // namespace

TEST_CASE("JPEG decodes at the smallest DCT scale that still covers the target", "[decode]") {
  const auto jpeg = fx::make_jpeg({.width = 6000, .height = 4000, .quality = 70});
  SECTION("screen: 1620x1080 needs 3/8 = 2250x1500") {
    const auto img = decode_jpeg(jpeg, {1920, 1080});
    REQUIRE(img.ok());
    CHECK(img->size() == Size{2250, 1500});
  }
  SECTION("thumb: 400x267 needs 1/8 = 750x500") {
    const auto img = decode_jpeg(jpeg, {400, 400});
    REQUIRE(img.ok());
    CHECK(img->size() == Size{750, 500});
  }
  SECTION("a small photo decodes at full size") {
    const auto img = decode_jpeg(fx::make_jpeg({.width = 800, .height = 600}), {1920, 1080});
    REQUIRE(img.ok());
    CHECK(img->size() == Size{800, 600});
  }
}

TEST_CASE("decoded pixels match the fixture colours in every JPEG flavour", "[decode]") {
  SECTION("baseline and progressive") {
    const bool progressive = GENERATE(false, true);
    CHECK(testing::shows_upright_quadrants(decode_upright(fx::make_jpeg({.progressive = progressive}))));
  }
  SECTION("grayscale") {
    const Image img = decode_upright(fx::make_jpeg({.colorspace = fx::Colorspace::gray}));
    CHECK(testing::near(testing::sample(img, 0.25, 0.25), {fx::kGrayTopLeft, fx::kGrayTopLeft, fx::kGrayTopLeft}));
    CHECK(testing::near(testing::sample(img, 0.75, 0.75),
                        {fx::kGrayBottomRight, fx::kGrayBottomRight, fx::kGrayBottomRight}));
  }
  SECTION("CMYK (Adobe, inverted) from our fixture builder") {
    CHECK(testing::shows_upright_quadrants(decode_upright(fx::make_jpeg({.colorspace = fx::Colorspace::cmyk}))));
  }
  SECTION("CMYK written by ImageMagick") {
    testing::TempDir dir;
    fx::write_file(dir / "in.png", fx::make_png(400, 300));
    const std::string cmd =
        "convert " + (dir / "in.png").string() + " -colorspace CMYK -quality 95 " + (dir / "cmyk.jpg").string();
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(dir / "cmyk.jpg", std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    CHECK(testing::shows_upright_quadrants(decode_upright(bytes)));
  }
}

TEST_CASE("PNG goes through SDL2_image - transparency flattened onto white", "[decode]") {
  CHECK(testing::shows_upright_quadrants(decode_upright(fx::make_png(320, 240))));
  const Image alpha = decode_upright(fx::make_png(320, 240, fx::Pattern::quadrants, true));
  // Right half is 50% transparent: green blended with white gets lighter, still greenish.
  const auto tr = testing::sample(alpha, 0.75, 0.25);
  CHECK(tr.g > tr.r);
  CHECK(tr.r > 100);
}

TEST_CASE("a PNG that ends inside a chunk is refused before SDL2_image - which would read it forever", "[decode]") {
  // The image data is whole; the file ends 100 bytes into a zTXt chunk that claims 1,000 and
  // has no IEND after it, as a copy cut short can. SDL2_image's reader ignores short reads, so
  // libpng would go on parsing a stale buffer (this one it happened to decode anyway).
  auto bytes = fx::make_png(64, 48);
  REQUIRE(bytes.size() > 12);
  bytes.resize(bytes.size() - 12);  // IEND gone
  const std::uint8_t header[] = {0x00, 0x00, 0x03, 0xE8, 'z', 'T', 'X', 't'};
  bytes.insert(bytes.end(), std::begin(header), std::end(header));
  bytes.insert(bytes.end(), 100, 0x41);
  auto info = probe(bytes);
  REQUIRE(info.ok());
  auto decoded = decode(bytes, *info, {64, 48}, Limits{});
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error().code == ErrorCode::truncated);
  CHECK(decoded.error().message.find("truncated") != std::string::npos);
  // What fuzz_image found: a PNG whose zTXt chunk claims more bytes than the file has. Before
  // the walk, libpng warned "zTXt: CRC error" 90,000 times a second and never returned.
  const auto found = testing::read_all(VK_SOURCE_DIR "/tests/fuzz/corpus/hang-sdl-image-png-stale-read.png");
  REQUIRE(found.size() > 1000);
  auto found_info = probe(found);
  REQUIRE(found_info.ok());
  auto found_decoded = decode(found, *found_info, {64, 48}, Limits{});
  REQUIRE_FALSE(found_decoded.ok());
  CHECK(found_decoded.error().code == ErrorCode::truncated);
  // The same file whole decodes.
  const auto whole = fx::make_png(64, 48);
  auto whole_info = probe(whole);
  REQUIRE(whole_info.ok());
  CHECK(decode(whole, *whole_info, {64, 48}, Limits{}).ok());
}

TEST_CASE("RAW decodes its embedded preview", "[decode]") {
  const auto dng = fx::make_dng({.preview_width = 1024, .preview_height = 683, .orientation = 6});
  const Image img = decode_upright(dng, {1920, 1080});
  CHECK(img.size() == Size{1024, 683});
  CHECK(testing::shows_upright_quadrants(img));
}

TEST_CASE("a RAW whose preview is not an embedded JPEG is refused - never unpacked by LibRaw", "[decode]") {
  // A fuzzed DNG: its altered preview IFD made LibRaw 0.20 write past its own buffer (ASan
  // catches it in the sanitizer build if the guard is ever lost).
  const auto bytes =
      testing::read_all(VK_SOURCE_DIR "/tests/fuzz/corpus/crash-libraw-bitmap-preview-heap-overflow.dng");
  REQUIRE(bytes.size() > 1000);
  auto info = probe(bytes);
  REQUIRE(info.ok());
  const auto img = decode(bytes, *info, {1920, 1080});
  REQUIRE_FALSE(img.ok());
  CHECK(img.error().message.find("preview") != std::string::npos);
}

#if defined(__SANITIZE_ADDRESS__)
// Only the sanitizer build sees this file crash LibRaw every time (in a release build its wild
// read may land on mapped memory); the guard itself is tested in isolated_test.cpp.
TEST_CASE("a RAW file that crashes LibRaw is one damaged file - the process lives on", "[decode]") {
  // A fuzzed DNG on which LibRaw 0.20's TIFF parser reads a wild pointer: LibRaw runs in a
  // child process, so this is a plain-words error here instead of the end of the import.
  const auto bytes = testing::read_all(VK_SOURCE_DIR "/tests/fuzz/corpus/crash-libraw-parse-tiff-ifd-segv.dng");
  REQUIRE(bytes.size() > 1000);
  const auto info = probe(bytes);
  REQUIRE_FALSE(info.ok());
  CHECK(info.error().code == ErrorCode::invalid_input);
  CHECK(info.error().message.find("the RAW file is damaged") == 0);
}
#endif

TEST_CASE("broken JPEG data is refused with a reason", "[decode]") {
  SECTION("truncated") {
    const auto bytes = fx::make_truncated_jpeg();
    auto info = probe(bytes);
    REQUIRE(info.ok());
    const auto img = decode(bytes, *info, {1920, 1080});
    REQUIRE_FALSE(img.ok());
    CHECK(img.error().code == ErrorCode::truncated);
    CHECK(img.error().message.find("truncated") != std::string::npos);
  }
  SECTION("entropy data overwritten with garbage") {
    auto bytes = fx::make_jpeg({.width = 800, .height = 600});
    for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] = 0xFF;
    auto info = probe(bytes);
    REQUIRE(info.ok());
    const auto img = decode(bytes, *info, {1920, 1080});
    // libjpeg may recover from some corruption with a warning; what matters is no crash
    // and either a full image or a clear refusal.
    if (img.ok()) {
      CHECK(img->size() == Size{800, 600});
    } else {
      CHECK_FALSE(img.error().message.empty());
    }
  }
}

TEST_CASE("GIF decodes through giflib and refuses frames outside the canvas", "[decode]") {
  vk::testing::TempDir dir;
  fx::write_file(dir / "in.png", fx::make_png(120, 80));
  REQUIRE(std::system(("convert " + (dir / "in.png").string() + " " + (dir / "a.gif").string()).c_str()) == 0);
  std::ifstream in(dir / "a.gif", std::ios::binary);
  const std::vector<std::uint8_t> gif{std::istreambuf_iterator<char>(in), {}};
  CHECK(vk::testing::shows_upright_quadrants(decode_upright(gif)));

  // The fuzzer's case: the canvas says 24x16, the first frame claims 57855x62155.
  const std::vector<std::uint8_t> lying = {'G',  'I',  'F',  '8',  '9', 'a', 24,  0,    16,   0, 0x80, 0,
                                           0,    0,    0,    0,    255, 255, 255, 0x2C, 0,    0, 0,    0,
                                           0xFF, 0xE1, 0xCB, 0xF2, 0,   2,   2,   0x44, 0x01, 0, 0x3B};
  auto info = probe(lying);
  REQUIRE(info.ok());
  const auto img = decode(lying, *info, {1920, 1080});
  REQUIRE_FALSE(img.ok());
  CHECK(img.error().message.find("GIF") != std::string::npos);
}
