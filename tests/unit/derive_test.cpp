#include "image/derive.h"

#include <catch2/catch.hpp>

#include "fixtures.h"
#include "image/decode.h"
#include "image/exif.h"
#include "image_checks.h"

using namespace vk::image;
namespace fx = vk::fixtures;

namespace {

Image decode_plain(const std::vector<std::uint8_t>& jpeg) {
  auto img = decode_jpeg(jpeg, {100000, 100000});
  REQUIRE(img.ok());
  return std::move(img).value();
}

Derivatives derive_ok(const std::vector<std::uint8_t>& bytes) {
  auto info = probe(bytes);
  REQUIRE(info.ok());
  auto out = derive(bytes, *info);
  REQUIRE(out.ok());
  return std::move(out).value();
}

}  // namespace

TEST_CASE("derive: screen and thumb are upright for all 8 orientations", "[derive]") {
  const int orientation = GENERATE(1, 2, 3, 4, 5, 6, 7, 8);
  CAPTURE(orientation);
  const auto d = derive_ok(fx::make_jpeg({.width = 3000, .height = 2000, .exif = {.orientation = orientation}}));
  CHECK(d.screen.size == Size{1620, 1080});
  CHECK(d.thumb.size == Size{400, 267});
  CHECK(vk::testing::shows_upright_quadrants(decode_plain(d.screen.jpeg)));
  CHECK(vk::testing::shows_upright_quadrants(decode_plain(d.thumb.jpeg)));
}

TEST_CASE("derive: portrait photos fit the screen box by height", "[derive]") {
  const auto d = derive_ok(fx::make_jpeg({.width = 2000, .height = 3000, .exif = {.orientation = 6}}));
  CHECK(d.screen.size == Size{720, 1080});
  CHECK(d.thumb.size == Size{267, 400});
}

TEST_CASE("derive: derived files carry no metadata - so GPS never leaves through them", "[derive]") {
  const auto source = fx::make_jpeg({.width = 1600,
                                     .height = 1200,
                                     .exif = {.orientation = 1, .gps = true, .make = "Canon", .model = "R6"}});
  REQUIRE(read_metadata(source).has_gps);
  const auto d = derive_ok(source);
  CHECK(vk::testing::jpeg_has_no_metadata(d.screen.jpeg));
  CHECK(vk::testing::jpeg_has_no_metadata(d.thumb.jpeg));
  CHECK_FALSE(read_metadata(d.screen.jpeg).has_gps);
  CHECK_FALSE(read_metadata(d.thumb.jpeg).camera_make.has_value());
}

TEST_CASE("derive: a RAW-only photo gets screen and thumb from its preview", "[derive]") {
  const auto d = derive_ok(fx::make_dng({.preview_width = 1600, .preview_height = 1067, .orientation = 8}));
  CHECK(d.screen.size == Size{1600, 1067});
  CHECK(vk::testing::shows_upright_quadrants(decode_plain(d.screen.jpeg)));
  CHECK(vk::testing::shows_upright_quadrants(decode_plain(d.thumb.jpeg)));
}

TEST_CASE("derive: small images are never upscaled", "[derive]") {
  const auto d = derive_ok(fx::make_png(300, 200));
  CHECK(d.screen.size == Size{300, 200});
  CHECK(d.thumb.size == Size{300, 200});
}
