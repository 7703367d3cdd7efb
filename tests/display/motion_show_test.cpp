// The show with motion on (screen.motion = "pan") on the memory driver, a real catalog and a
// fixture photo of known colours: consecutive frames of a dwell are the same picture shifted by
// whole pixels, the QR still scans while the picture moves and in the middle of a fade, and
// with motion off the dwell stands still as before.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "display/show.h"
#include "event_fixture.h"
#include "zbar_decode.h"

using namespace vk;
using testing::EventFixture;

namespace {

constexpr image::Size kScreen{1920, 1080};

display::ShowOptions options_for(const std::filesystem::path& data, const std::string& motion, int frames) {
  auto o = testing::memory_show(data, kScreen, frames);
  o.config.screen.gallery_url = "http://photos.venue/g/Pan5";
  o.config.screen.motion = motion;
  return o;
}

struct Shot {
  display::Canvas frame;
  display::FrameInfo info;
};

// The fixture photo with red, green / blue, white quadrants at the screen's aspect.
catalog::PhotoId add_quadrants(EventFixture& event) {
  fixtures::JpegSpec spec;
  spec.width = kScreen.width;
  spec.height = kScreen.height;
  return event.add(spec);
}

// Runs the show and keeps the frames asked for.
std::map<int, Shot> run_and_keep(const display::ShowOptions& options, const std::vector<int>& keep) {
  std::map<int, Shot> out;
  auto o = options;
  o.on_frame = [&](const display::FrameInfo& info, const display::FrameView& view) {
    if (std::find(keep.begin(), keep.end(), info.frame) == keep.end()) return;
    Shot shot{display::Canvas(view.width, view.height), info};
    for (int y = 0; y < view.height; ++y) std::copy_n(view.row(y), view.width, shot.frame.px.data() + y * view.width);
    out[info.frame] = std::move(shot);
  };
  REQUIRE(display::run_show(o).ok());
  return out;
}

// The red -> green edge (top-left and top-right quadrants of the fixture) in row y: the first
// column where green outweighs red.
int red_green_edge(const display::Canvas& c, int y) {
  for (int x = 0; x < c.width; ++x) {
    const auto p = c.at(x, y);
    if (display::green_of(p) > display::red_of(p)) return x;
  }
  return -1;
}

// Rows y0..y1 of `later` equal those of `earlier` moved left by dx (the window moved right).
bool shifted_left(const display::Canvas& earlier, const display::Canvas& later, int dx, int y0, int y1) {
  for (int y = y0; y < y1; ++y) {
    for (int x = 0; x + dx < earlier.width; ++x) {
      if (later.at(x, y) != earlier.at(x + dx, y)) return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("With motion on, consecutive frames of a dwell are the picture shifted by whole pixels", "[show][motion]") {
  EventFixture event;
  const auto photo = add_quadrants(event);
  // The slide is cut in at start-up and dwells 7 s (420 frames): these are all within it.
  const auto frames = run_and_keep(options_for(event.data_dir(), "pan", 300), {100, 101, 160, 220, 280});
  for (const auto& [n, shot] : frames) {
    CAPTURE(n);
    REQUIRE(shot.info.showing == std::vector<std::int64_t>{photo});
  }
  // Rows 300-500 hold only the photo (the title is above, the QR panel below): left to right on
  // the first path, so the picture moves left, about 17 px/s (154 px over 7 + 2 x 1 s).
  const int y = 400;
  const int e100 = red_green_edge(frames.at(100).frame, y), e220 = red_green_edge(frames.at(220).frame, y);
  CHECK(e100 > 0);
  CHECK(e220 < e100);
  CHECK(e100 - e220 >= 25);  // 2 s at ~17 px/s
  CHECK(e100 - e220 <= 45);
  // Each frame is the earlier one moved by a whole number of pixels: a copy, not a resampling.
  for (const auto& [a, b] : {std::pair{100, 160}, std::pair{160, 220}, std::pair{220, 280}}) {
    CAPTURE(a, b);
    const auto& earlier = frames.at(a).frame;
    const auto& later = frames.at(b).frame;
    const int dx = red_green_edge(earlier, y) - red_green_edge(later, y);
    CHECK(dx >= 1);
    CHECK(shifted_left(earlier, later, dx, 300, 500));
  }
  // Between two frames a sixtieth of a second apart it moves at most one pixel.
  const int step = red_green_edge(frames.at(100).frame, y) - red_green_edge(frames.at(101).frame, y);
  CHECK((step == 0 || step == 1));
  // The vertical position does not change on this path: the red -> blue edge stays put.
  auto red_blue_edge = [](const display::Canvas& c, int x) {
    for (int yy = 0; yy < c.height; ++yy) {
      if (display::blue_of(c.at(x, yy)) > display::red_of(c.at(x, yy))) return yy;
    }
    return -1;
  };
  CHECK(red_blue_edge(frames.at(100).frame, 600) == red_blue_edge(frames.at(280).frame, 600));
}

TEST_CASE("With motion on the QR scans while the picture moves and in the middle of a fade", "[show][motion]") {
  EventFixture event;
  add_quadrants(event);
  event.add_solid({200, 180, 60});
  // Dwell 2 s, fade 1 s: the first fade runs over frames ~120-180.
  auto o = options_for(event.data_dir(), "pan-zoom", 200);
  o.config.screen.dwell_seconds = 2;
  const auto frames = run_and_keep(o, {60, 150});
  REQUIRE(frames.at(60).info.fading_in.empty());
  REQUIRE_FALSE(frames.at(150).info.fading_in.empty());  // mid-fade
  for (const int n : {60, 150}) {
    CAPTURE(n);
    auto frame = frames.at(n).frame;
    const auto codes = testing::decode_qr_codes(frame);
    CHECK(std::find(codes.begin(), codes.end(), "http://photos.venue/g/Pan5") != codes.end());
  }
}

TEST_CASE("With motion off a dwell stands still, as before motion existed", "[show][motion]") {
  EventFixture event;
  add_quadrants(event);
  const auto off = run_and_keep(options_for(event.data_dir(), "off", 300), {100, 280});
  CHECK(off.at(100).frame.px == off.at(280).frame.px);
  // The photo fills the screen exactly: its red -> green edge is at the middle.
  CHECK(std::abs(red_green_edge(off.at(100).frame, 400) - 960) <= 2);
  const auto pan = run_and_keep(options_for(event.data_dir(), "pan", 300), {100, 280});
  CHECK(pan.at(100).frame.px != pan.at(280).frame.px);
}

TEST_CASE("SIGHUP turns motion on and off without leaving the slide on screen", "[show][motion]") {
  EventFixture event;
  add_quadrants(event);
  event.add_solid({40, 40, 160});
  auto o = options_for(event.data_dir(), "off", 600);
  o.memory_size = {1280, 720};
  o.config.screen.dwell_seconds = 1;
  int reloads = 0;
  o.reload = [&]() -> std::optional<catalog::Config> {
    ++reloads;  // called once a frame
    if (reloads != 200 && reloads != 400) return std::nullopt;
    auto c = o.config;
    c.screen.motion = reloads == 200 ? "pan" : "off";
    return c;
  };
  // Row 360 of every frame: it moves while the picture pans.
  std::vector<std::uint32_t> last_row;
  std::vector<std::int64_t> last_showing;
  int moved_off = 0, moved_pan = 0, welcome_after_photo = 0;
  bool photo_seen = false;
  o.on_frame = [&](const display::FrameInfo& info, const display::FrameView& view) {
    std::vector<std::uint32_t> row(view.row(360), view.row(360) + view.width);
    const bool steady = info.fading_in.empty() && !info.welcome;
    if (steady && info.showing == last_showing && row != last_row) {
      (info.frame > 200 && info.frame < 400 ? moved_pan : moved_off)++;
    }
    photo_seen = photo_seen || !info.showing.empty();
    // The welcome screen (not designed while photos come: its plain colour 14,26,48), also as
    // the start of a fade back into a photo.
    const auto p = view.row(200)[320];
    const bool welcome_colour = std::abs(display::red_of(p) - 14) <= 6 && std::abs(display::green_of(p) - 26) <= 6 &&
                                std::abs(display::blue_of(p) - 48) <= 6;
    if (photo_seen && (info.welcome || welcome_colour)) ++welcome_after_photo;
    last_row = std::move(row);
    last_showing = steady ? info.showing : std::vector<std::int64_t>{};
  };
  REQUIRE(display::run_show(o).ok());
  CHECK(welcome_after_photo == 0);
  CHECK(moved_off == 0);
  CHECK(moved_pan > 20);
}
