// Motion (screen.motion, issue 5): the config key, the pan path, slide canvas sizes, windows of a
// canvas, faded overlays. Plain functions; the show itself is in motion_show_test.cpp.
#include "display/motion.h"

#include <catch2/catch.hpp>

#include "catalog/config.h"
#include "display/blend.h"
#include "display/panels.h"

using namespace vk;

TEST_CASE("screen.motion accepts off, pan and pan-zoom, defaults to off, and names itself in errors", "[motion]") {
  auto defaults = catalog::parse_config("");
  REQUIRE(defaults.ok());
  CHECK(defaults->screen.motion == "off");
  for (const std::string value : {"off", "pan", "pan-zoom"}) {
    auto c = catalog::parse_config("[screen]\nmotion = \"" + value + "\"\n");
    REQUIRE(c.ok());
    CHECK(c->screen.motion == value);
  }
  for (const char* bad :
       {"[screen]\nmotion = \"zoom\"\n", "[screen]\nmotion = true\n", "[screen]\nmotion = \"PAN\"\n"}) {
    CAPTURE(bad);
    auto c = catalog::parse_config(bad);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("screen.motion") != std::string::npos);
    CHECK(c.error().message.find("line 2") != std::string::npos);
    CHECK(c.error().message.find("\"pan-zoom\"") != std::string::npos);  // says what is allowed
  }
  CHECK(catalog::config_reference().find("screen.motion") != std::string::npos);
}

TEST_CASE("pan-zoom zooms where the driver scales layers, runs as pan elsewhere and says so", "[motion]") {
  CHECK(display::choose_motion("off", "surface", false).motion == display::Motion::off);
  CHECK(display::choose_motion("off", "renderer", true).motion == display::Motion::off);
  CHECK(display::choose_motion("off", "surface", false).note.empty());
  CHECK(display::choose_motion("pan", "dumb", false).motion == display::Motion::pan);
  CHECK(display::choose_motion("pan", "renderer", true).motion == display::Motion::pan);
  CHECK(display::choose_motion("pan", "dumb", false).note.empty());
  const auto gpu = display::choose_motion("pan-zoom", "renderer", true);
  CHECK(gpu.motion == display::Motion::pan_zoom);
  CHECK(gpu.note.empty());
  for (const char* driver : {"surface", "dumb", "renderer", "memory"}) {
    const auto choice = display::choose_motion("pan-zoom", driver, false);
    CHECK(choice.motion == display::Motion::pan);
    CHECK(choice.note.find(driver) != std::string::npos);
    CHECK(choice.note.find("pan-zoom") != std::string::npos);
    CHECK(choice.note.find("GPU") != std::string::npos);
  }
  CHECK(display::slide_canvas_size({1920, 1080}, display::Motion::pan_zoom) == image::Size{2074, 1166});
}

TEST_CASE("The zoom goes between the whole slide and a screen-sized part of it, evenly, inside the slide", "[motion]") {
  const image::Size canvas{2074, 1166}, screen{1920, 1080};
  const double aspect = 1080.0 / 1920.0;
  // Even paths zoom in: the whole slide's width first (its height is the limit: 1166 / aspect),
  // a screen-sized part at the end; odd paths the other way round.
  for (int path = 0; path < display::kPanPaths; ++path) {
    CAPTURE(path);
    const auto start = display::zoom_window(canvas, screen, path, 0.0);
    const auto end = display::zoom_window(canvas, screen, path, 1.0);
    const auto big = path % 2 == 0 ? start : end;
    const auto small = path % 2 == 0 ? end : start;
    CHECK(big.width == Approx(2072.9).margin(0.1));
    CHECK(big.height == Approx(1166.0).margin(0.01));
    CHECK(small.width == Approx(1920.0));
    CHECK(small.height == Approx(1080.0));
    // Past the ends it stays there.
    CHECK(display::zoom_window(canvas, screen, path, 3.0) == end);
    CHECK(display::zoom_window(canvas, screen, path, -1.0) == start);
    // Every instant: the screen's shape, inside the slide, and no jump between close instants
    // (at 60 fps over 9 s a frame moves the edges by about a fiftieth of a pixel).
    display::Window last = start;
    for (int i = 0; i <= 540; ++i) {
      const auto w = display::zoom_window(canvas, screen, path, i / 540.0);
      CHECK(w.height / w.width == Approx(aspect));
      CHECK(w.x >= 0);
      CHECK(w.y >= 0);
      CHECK(w.x + w.width <= canvas.width + 1e-9);
      CHECK(w.y + w.height <= canvas.height + 1e-9);
      CHECK(std::abs(w.x - last.x) <= 0.5);
      CHECK(std::abs(w.y - last.y) <= 0.5);
      CHECK(std::abs(w.width - last.width) <= 0.5);
      last = w;
    }
  }
  // Paths drift towards different parts of the picture.
  CHECK(display::zoom_window(canvas, screen, 0, 1.0).x < display::zoom_window(canvas, screen, 2, 1.0).x);
  CHECK(display::zoom_window(canvas, screen, 5, 0.4) == display::zoom_window(canvas, screen, 1, 0.4));
  // A screen-sized canvas (the welcome screen) is shown whole, and so is one of a smaller screen.
  CHECK(display::zoom_window(screen, screen, 0, 0.5) == display::Window{0, 0, 1920, 1080});
  CHECK(display::zoom_window({1280, 720}, screen, 0, 0.5) == display::Window{0, 0, 1280, 720});
}

TEST_CASE("Slides are composed 8 % larger than the screen to pan, and at the screen's size without motion",
          "[motion]") {
  CHECK(display::slide_canvas_size({1920, 1080}, display::Motion::off) == image::Size{1920, 1080});
  CHECK(display::slide_canvas_size({1920, 1080}, display::Motion::pan) == image::Size{2074, 1166});
  CHECK(display::slide_canvas_size({1080, 1920}, display::Motion::pan) == image::Size{1166, 2074});
  CHECK(display::slide_canvas_size({1280, 720}, display::Motion::pan) == image::Size{1382, 778});
}

TEST_CASE("The pan crosses the whole margin at constant speed, a different way on each path", "[motion]") {
  const image::Size canvas{2074, 1166}, screen{1920, 1080};
  using display::Offset;
  CHECK(display::pan_offset(canvas, screen, 0, 0.0) == Offset{0, 43});
  CHECK(display::pan_offset(canvas, screen, 0, 0.5) == Offset{77, 43});
  CHECK(display::pan_offset(canvas, screen, 0, 1.0) == Offset{154, 43});
  CHECK(display::pan_offset(canvas, screen, 0, 7.0) == Offset{154, 43});  // a long dwell: stays at the end
  CHECK(display::pan_offset(canvas, screen, 0, -1.0) == Offset{0, 43});
  CHECK(display::pan_offset(canvas, screen, 1, 0.0) == Offset{154, 0});
  CHECK(display::pan_offset(canvas, screen, 1, 1.0) == Offset{0, 86});
  CHECK(display::pan_offset(canvas, screen, 2, 0.0) == Offset{154, 43});
  CHECK(display::pan_offset(canvas, screen, 3, 1.0) == Offset{154, 0});
  CHECK(display::pan_offset(canvas, screen, 4, 0.5) == display::pan_offset(canvas, screen, 0, 0.5));
  // Never more than one pixel per axis between two close instants: no jumps.
  Offset last = display::pan_offset(canvas, screen, 1, 0);
  for (int i = 1; i <= 540; ++i) {
    const Offset o = display::pan_offset(canvas, screen, 1, i / 540.0);
    CHECK(std::abs(o.x - last.x) <= 1);
    CHECK(std::abs(o.y - last.y) <= 1);
    last = o;
  }
  // The GPU's window is the same path to fractions of a pixel: rounded, it is pan_offset().
  for (int i = 0; i <= 540; ++i) {
    const auto w = display::pan_window(canvas, screen, 3, i / 540.0);
    const auto o = display::pan_offset(canvas, screen, 3, i / 540.0);
    CHECK(std::abs(w.x - o.x) <= 0.5);
    CHECK(std::abs(w.y - o.y) <= 0.5);
    CHECK(w.width == 1920);
    CHECK(w.height == 1080);
  }
  CHECK(display::pan_window(canvas, screen, 0, 0.25).x == Approx(38.5));  // between pixels
  // A screen-sized canvas (the welcome screen) does not move; a larger one without motion is centred.
  CHECK(display::pan_offset(screen, screen, 2, 0.3) == Offset{0, 0});
  CHECK(display::centred_offset(canvas, screen) == Offset{77, 43});
}

TEST_CASE("A window of a canvas is a shifted view and a crossfade of windows blends them", "[motion]") {
  display::Canvas big(8, 4);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 8; ++x)
      big.px[static_cast<std::size_t>(y * 8 + x)] =
          display::xrgb(static_cast<std::uint8_t>(x * 10), static_cast<std::uint8_t>(y * 10), 0);
  const display::ConstView w = big.window(3, 1, {4, 2});
  CHECK(w.width == 4);
  CHECK(w.height == 2);
  CHECK(w.row(0)[0] == big.at(3, 1));
  CHECK(w.row(1)[3] == big.at(6, 2));
  CHECK(big.window(6, 3, {4, 2}).width == 2);  // clipped to the canvas
  CHECK(big.window(6, 3, {4, 2}).height == 1);
  display::Canvas out(4, 2);
  display::crossfade(big.window(0, 0, {4, 2}), big.window(2, 0, {4, 2}), 128, out.view());
  CHECK(display::red_of(out.at(1, 1)) == 20);  // (10 + 30) / 2
  display::copy_view(w, out.view());
  CHECK(out.at(0, 0) == big.at(3, 1));
}

TEST_CASE("Overlays of a fade: a sprite in both pictures is drawn as it is, the others fade", "[motion]") {
  auto solid = [](std::uint32_t argb) {
    auto s = std::make_shared<display::Sprite>();
    s->width = s->height = 2;
    s->px.assign(4, argb);
    return std::shared_ptr<const display::Sprite>(s);
  };
  const auto shared = solid(0xFFFFFFFFU);  // white, opaque (the QR panel)
  const auto old_caption = solid(0xFF0000FFU);
  const auto new_caption = solid(0xFFFF0000U);
  display::OverlayLayout from{{{shared, 0, 0}, {old_caption, 4, 0}}};
  display::OverlayLayout to{{{shared, 0, 0}, {new_caption, 4, 0}}};
  display::Canvas frame(8, 2, 0);
  display::draw_layout_fade(from, to, 64, frame.view());
  CHECK(frame.at(0, 0) == 0xFFFFFFU);                                         // at full opacity all through the fade
  CHECK(display::blue_of(frame.at(4, 0)) > display::red_of(frame.at(4, 0)));  // mostly the old caption
  CHECK(display::red_of(frame.at(4, 0)) > 0);                                 // the new one coming in
  display::Canvas end(8, 2, 0);
  display::draw_layout_fade(from, to, 256, end.view());
  CHECK(end.at(4, 0) == 0xFF0000U);  // the fade's end: only the new caption
}

TEST_CASE("A sprite drawn by its runs is the sprite drawn pixel by pixel, clipped too", "[motion]") {
  display::Sprite s;
  s.width = 37;
  s.height = 11;
  for (int i = 0; i < s.width * s.height; ++i) {
    // Runs of transparent, translucent and opaque pixels of several lengths (premultiplied).
    const std::uint32_t a = (i / 5) % 3 == 0 ? 0 : (i / 5) % 3 == 1 ? 128 : 255;
    const std::uint32_t c = a * static_cast<std::uint32_t>(i % 7) / 7;
    s.px.push_back((a << 24) | (c << 16) | ((a / 2) << 8) | (a == 0 ? 0 : 3));
  }
  display::Sprite indexed = s;
  display::index_runs(indexed);
  REQUIRE_FALSE(indexed.runs.empty());
  for (const auto& [x, y] : {std::pair{5, 4}, std::pair{-9, -3}, std::pair{30, 20}}) {
    CAPTURE(x, y);
    display::Canvas a(48, 24, display::xrgb(90, 10, 200)), b = a;
    display::draw_sprite(s, x, y, a.view());
    display::draw_sprite(indexed, x, y, b.view());
    CHECK(a.px == b.px);
  }
}
