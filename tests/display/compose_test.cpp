// Composition: fit, letterbox fill (a blurred dimmed copy, never black), pairs, crossfade.
#include "display/compose.h"

#include <catch2/catch.hpp>

#include "display/blend.h"
#include "fixtures.h"
#include "image/decode.h"
#include "image/probe.h"
#include "image/transform.h"

using namespace vk;

namespace {

image::Image upright_fixture(int w, int h, int orientation) {
  fixtures::JpegSpec spec;
  spec.width = w;
  spec.height = h;
  spec.exif.orientation = orientation;
  const auto bytes = fixtures::make_jpeg(spec);
  auto info = image::probe(bytes);
  REQUIRE(info.ok());
  auto img = image::decode(bytes, *info, {w, h});
  REQUIRE(img.ok());
  return image::apply_orientation(std::move(*img), info->metadata.orientation);
}

fixtures::Rgb at(const display::Canvas& c, double fx, double fy) {
  const auto p = c.at(static_cast<int>(fx * c.width), static_cast<int>(fy * c.height));
  return {display::red_of(p), display::green_of(p), display::blue_of(p)};
}

bool near(fixtures::Rgb a, fixtures::Rgb b, int tol = 30) {
  return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

}  // namespace

TEST_CASE("A 4:3 photo is fitted with its quadrants upright for every orientation", "[compose]") {
  for (int orientation = 1; orientation <= 8; ++orientation) {
    CAPTURE(orientation);
    const auto photo = upright_fixture(800, 600, orientation);
    const auto canvas = display::compose_single(photo, {1920, 1080});
    // The photo spans x 240..1680: quadrant centres.
    CHECK(near(at(canvas, 0.3125, 0.25), fixtures::kTopLeft));
    CHECK(near(at(canvas, 0.6875, 0.25), fixtures::kTopRight));
    CHECK(near(at(canvas, 0.3125, 0.75), fixtures::kBottomLeft));
    CHECK(near(at(canvas, 0.6875, 0.75), fixtures::kBottomRight));
  }
}

TEST_CASE("Letterbox bars are a dimmed copy of the photo and never black", "[compose]") {
  const auto photo = upright_fixture(800, 600, 1);
  const auto canvas = display::compose_single(photo, {1920, 1080});
  // Left bar, upper part: a dimmed red (the top-left quadrant stretched out), not black.
  const auto bar_top = at(canvas, 0.03, 0.2);
  CHECK(bar_top.r > 40);
  CHECK(bar_top.r > bar_top.g + 20);
  CHECK(bar_top.r < fixtures::kTopLeft.r - 60);  // dimmed
  // Left bar, lower part: a dimmed blue.
  const auto bar_bottom = at(canvas, 0.03, 0.8);
  CHECK(bar_bottom.b > 40);
  CHECK(bar_bottom.b > bar_bottom.r + 20);
  // Right bar, lower part: a dimmed white.
  const auto bar_white = at(canvas, 0.97, 0.8);
  CHECK(bar_white.r > 50);
  CHECK(bar_white.r < 200);
}

TEST_CASE("A portrait photo on a landscape screen is upright with filled bars", "[compose]") {
  const auto photo = upright_fixture(600, 900, 6);
  const auto canvas = display::compose_single(photo, {1920, 1080});
  // Fitted to 720x1080 at x 600..1320.
  CHECK(near(at(canvas, (600 + 180) / 1920.0, 0.25), fixtures::kTopLeft));
  CHECK(near(at(canvas, (600 + 540) / 1920.0, 0.75), fixtures::kBottomRight));
  const auto bar = at(canvas, 0.05, 0.5);
  CHECK((bar.r > 25 || bar.g > 25 || bar.b > 25));
}

TEST_CASE("Two portraits side by side each keep their own half", "[compose]") {
  const auto a = upright_fixture(600, 900, 1);
  const auto b = upright_fixture(600, 900, 8);
  const auto canvas = display::compose_pair(a, b, {1920, 1080});
  // Each half is 960 wide; a photo of 720x1080 sits at 120..840 and 1080..1800.
  CHECK(near(at(canvas, (120 + 180) / 1920.0, 0.25), fixtures::kTopLeft));
  CHECK(near(at(canvas, (1080 + 540) / 1920.0, 0.75), fixtures::kBottomRight));
}

TEST_CASE("Fitting upscales a small photo and keeps its aspect", "[compose]") {
  CHECK(display::fit_inside({960, 540}, {1920, 1080}) == image::Size{1920, 1080});
  CHECK(display::fit_inside({1000, 1500}, {1920, 1080}) == image::Size{720, 1080});
  CHECK(display::fit_inside({1920, 1080}, {1080, 1920}) == image::Size{1080, 608});
}

TEST_CASE("The crossfade blends linearly and ends on plain copies", "[compose]") {
  display::Canvas a(4, 2, display::xrgb(200, 0, 100)), b(4, 2, display::xrgb(0, 200, 100));
  display::Canvas out(4, 2);
  display::crossfade(a, b, 0, out.view());
  CHECK(out.at(1, 1) == a.at(1, 1));
  display::crossfade(a, b, 256, out.view());
  CHECK(out.at(1, 1) == b.at(1, 1));
  display::crossfade(a, b, 128, out.view());
  CHECK(display::red_of(out.at(2, 0)) == 100);
  CHECK(display::green_of(out.at(2, 0)) == 100);
  CHECK(display::blue_of(out.at(2, 0)) == 100);
}

TEST_CASE("The crossfade and the screen copy give the same bytes at every row alignment", "[compose]") {
  // Rows of 1..41 pixels starting 0..3 pixels into a canvas: the streaming path's unaligned head,
  // whole vectors and tail all run, and must match the per-byte formula.
  display::Canvas a(48, 4), b(48, 4);
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 48; ++x) {
      a.px[static_cast<std::size_t>(y * 48 + x)] =
          display::xrgb(static_cast<std::uint8_t>(x * 5 + y), static_cast<std::uint8_t>(255 - x), 7);
      b.px[static_cast<std::size_t>(y * 48 + x)] =
          display::xrgb(static_cast<std::uint8_t>(y * 60), static_cast<std::uint8_t>(x * 3), 250);
    }
  }
  const auto expected = [](std::uint32_t p, std::uint32_t q, int weight) {
    std::uint32_t out = 0;
    for (int shift = 0; shift < 24; shift += 8) {
      const std::uint32_t mixed = (((p >> shift) & 0xFF) * (256 - weight) + ((q >> shift) & 0xFF) * weight) >> 8;
      out |= mixed << shift;
    }
    return out;
  };
  for (const int weight : {1, 77, 128, 255}) {
    for (int start = 0; start < 4; ++start) {
      for (int width = 1; width <= 44 - start; width += 5) {
        display::Canvas out(48, 4, display::xrgb(1, 2, 3));
        const image::Size size{width, 4};
        display::crossfade(a.window(start, 0, size), b.window(start, 0, size), weight,
                           display::FrameView{out.px.data() + start, width, 4, 48});
        display::Canvas copied(48, 4, display::xrgb(1, 2, 3));
        display::copy_to_screen(b.window(start, 0, size), display::FrameView{copied.px.data() + start, width, 4, 48});
        for (int y = 0; y < 4; ++y) {
          for (int x = 0; x < 48; ++x) {
            const bool inside = x >= start && x < start + width;
            INFO("weight " << weight << ", start " << start << ", width " << width << ", pixel " << x << "," << y);
            REQUIRE(out.at(x, y) == (inside ? expected(a.at(x, y), b.at(x, y), weight) : display::xrgb(1, 2, 3)));
            REQUIRE(copied.at(x, y) == (inside ? b.at(x, y) : display::xrgb(1, 2, 3)));
          }
        }
      }
    }
  }
}
