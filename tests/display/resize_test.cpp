// A resolution change (HDMI replugged) on SDL's offscreen driver: the window changes size in
// the middle of a show; the frames after it must be drawn at the new size, photos included,
// with a QR that still scans.
#include <SDL.h>
#include <catch2/catch.hpp>

#include <algorithm>

#include "display/show.h"
#include "event_fixture.h"
#include "zbar_decode.h"

using namespace vk;

namespace {

// The show's window: SDL2 has no way to list windows, but ids are small and counted from 1.
SDL_Window* the_window() {
  for (Uint32 id = 1; id < 64; ++id) {
    if (SDL_Window* w = SDL_GetWindowFromID(id)) return w;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("After a resolution change the next frames are drawn at the new size with a scannable QR", "[show]") {
  testing::EventFixture event;
  event.add_solid({90, 120, 60});
  event.add_solid({150, 60, 40}, 1200, 1600);
  event.add_solid({60, 90, 130});

  display::ShowOptions o;
  o.config.data_dir = event.data_dir();
  o.config.event_title = "Resize";
  o.config.screen.gallery_url = "http://photos.venue/g/Resize1";
  o.driver = "surface";
  o.driver_options.video_driver = "offscreen";
  o.driver_options.window_size = {1920, 1080};
  o.simulated_clock = true;
  constexpr int kResizeAt = 100;
  o.frames = 300;

  bool resized = false;
  int first_new_size = -1, frames_after = 0, photo_frames_after = 0;
  image::Size before{}, last_size{};
  display::Canvas last;
  o.on_frame = [&](const display::FrameInfo& info, const display::FrameView& view) {
    if (info.frame == kResizeAt - 1) before = {view.width, view.height};
    if (info.frame == kResizeAt) {
      SDL_Window* window = the_window();
      REQUIRE(window != nullptr);
      SDL_SetWindowSize(window, 1280, 720);  // sends SDL_WINDOWEVENT_SIZE_CHANGED
      resized = true;
    }
    if (resized && info.frame > kResizeAt) {
      ++frames_after;
      if (first_new_size < 0 && view.width == 1280) first_new_size = info.frame;
      if (!info.showing.empty() && view.width == 1280) ++photo_frames_after;
    }
    if (info.frame + 1 == o.frames) {
      last_size = {view.width, view.height};
      last = display::Canvas(view.width, view.height);
      for (int y = 0; y < view.height; ++y)
        std::copy_n(view.row(y), view.width, last.px.data() + static_cast<std::ptrdiff_t>(y) * view.width);
    }
  };
  auto result = display::run_show(o);
  REQUIRE(result.ok());
  CHECK(before == image::Size{1920, 1080});
  REQUIRE(resized);
  // The event is seen at the top of the next frame.
  CHECK(first_new_size == kResizeAt + 1);
  CHECK(last_size == image::Size{1280, 720});
  CHECK(photo_frames_after > 0);  // photos composed again for the new size, not only the welcome screen
  const auto codes = testing::decode_qr_codes(last);
  CHECK(std::find(codes.begin(), codes.end(), "http://photos.venue/g/Resize1") != codes.end());
}
