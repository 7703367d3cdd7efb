#include "image/transform.h"

#include <catch2/catch.hpp>

using namespace vk::image;

namespace {

// A 3x2 image whose pixel values are their index, so every move is visible.
Image numbered(int w, int h) {
  Image img{w, h, {}};
  for (int i = 0; i < w * h; ++i) {
    for (int c = 0; c < 3; ++c) img.rgb.push_back(static_cast<std::uint8_t>(i));
  }
  return img;
}

int at(const Image& img, int x, int y) { return img.pixel(x, y)[0]; }

}  // namespace

TEST_CASE("apply_orientation turns each of the 8 EXIF orientations upright", "[transform]") {
  // Stored 3x2:  0 1 2 / 3 4 5
  const Image img = numbered(3, 2);
  SECTION("1 and unknown values leave it as is") {
    CHECK(apply_orientation(img, 1).rgb == img.rgb);
    CHECK(apply_orientation(img, 0).rgb == img.rgb);
    CHECK(apply_orientation(img, 9).rgb == img.rgb);
  }
  SECTION("2 mirrors") {
    const Image o = apply_orientation(img, 2);
    CHECK(at(o, 0, 0) == 2);
    CHECK(at(o, 2, 1) == 3);
  }
  SECTION("3 rotates 180") {
    const Image o = apply_orientation(img, 3);
    CHECK(at(o, 0, 0) == 5);
    CHECK(at(o, 2, 1) == 0);
  }
  SECTION("4 flips") {
    const Image o = apply_orientation(img, 4);
    CHECK(at(o, 0, 0) == 3);
    CHECK(at(o, 2, 1) == 2);
  }
  SECTION("5 transposes") {
    const Image o = apply_orientation(img, 5);
    REQUIRE(o.size() == Size{2, 3});
    CHECK(at(o, 0, 0) == 0);
    CHECK(at(o, 1, 0) == 3);
    CHECK(at(o, 0, 2) == 2);
  }
  SECTION("6 rotates 90 clockwise") {
    const Image o = apply_orientation(img, 6);
    REQUIRE(o.size() == Size{2, 3});
    CHECK(at(o, 0, 0) == 3);
    CHECK(at(o, 1, 0) == 0);
    CHECK(at(o, 1, 2) == 2);
  }
  SECTION("7 transverses") {
    const Image o = apply_orientation(img, 7);
    REQUIRE(o.size() == Size{2, 3});
    CHECK(at(o, 0, 0) == 5);
    CHECK(at(o, 1, 2) == 0);
  }
  SECTION("8 rotates 90 counter-clockwise") {
    const Image o = apply_orientation(img, 8);
    REQUIRE(o.size() == Size{2, 3});
    CHECK(at(o, 0, 0) == 2);
    CHECK(at(o, 0, 2) == 0);
    CHECK(at(o, 1, 2) == 3);
  }
}

TEST_CASE("fit_within keeps the aspect and never upscales", "[transform]") {
  CHECK(fit_within({6000, 4000}, {1920, 1080}) == Size{1620, 1080});
  CHECK(fit_within({4000, 6000}, {1920, 1080}) == Size{720, 1080});
  CHECK(fit_within({6000, 4000}, {400, 400}) == Size{400, 267});
  CHECK(fit_within({800, 600}, {1920, 1080}) == Size{800, 600});
  CHECK(fit_within({100000, 1}, {400, 400}) == Size{400, 1});
  CHECK(fit_within({0, 10}, {400, 400}) == Size{0, 0});
}

TEST_CASE("resize filters in linear light instead of skipping pixels", "[transform]") {
  // A 1-pixel black/white checkerboard: nearest-neighbour keeps black or white, a gamma-naive
  // filter gives ~128, a correct linear-light filter gives ~188 (50% light in sRGB).
  Image board{64, 64, {}};
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) {
      const std::uint8_t v = ((x + y) % 2) != 0 ? 255 : 0;
      board.rgb.insert(board.rgb.end(), {v, v, v});
    }
  }
  const Image small = resize(board, {16, 16});
  REQUIRE(small.size() == Size{16, 16});
  for (int y = 2; y < 14; ++y) {
    for (int x = 2; x < 14; ++x) {
      CHECK(small.pixel(x, y)[0] >= 180);
      CHECK(small.pixel(x, y)[0] <= 196);
    }
  }
}

TEST_CASE("resize keeps a flat colour flat", "[transform]") {
  Image flat{300, 200, std::vector<std::uint8_t>(300 * 200 * 3, 77)};
  const Image out = resize(flat, {97, 61});
  for (std::uint8_t v : out.rgb) CHECK(v == 77);
}

TEST_CASE("resize handles images narrower or shorter than the filter", "[transform]") {
  // Found by the fuzzer: a 1x100 PNG made the horizontal pass read past the row.
  Image narrow{1, 100, std::vector<std::uint8_t>(300, 200)};
  const Image out = resize(narrow, {1, 25});
  REQUIRE(out.size() == Size{1, 25});
  for (std::uint8_t v : out.rgb) CHECK(v == 200);
  Image flat_wide{100, 2, std::vector<std::uint8_t>(600, 10)};
  CHECK(resize(flat_wide, {40, 1}).rgb == std::vector<std::uint8_t>(120, 10));
}
