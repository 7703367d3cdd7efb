// The KMS dumb-buffer driver: the parts that run without a DRM device (this machine and CI
// have no /dev/dri). The page-flip path itself is measured on a board, see docs/display.md.
#include <catch2/catch.hpp>

#include "display/driver.h"

using namespace vk;
using display::DisplayMode;

TEST_CASE("The dumb-buffer driver sets the screen's preferred mode, else the largest", "[drm]") {
  CHECK(display::choose_display_mode({}).size == image::Size{0, 0});
  const std::vector<DisplayMode> with_preferred = {
      {{3840, 2160}, 30, false}, {{1920, 1080}, 60, true}, {{1280, 720}, 60, false}};
  CHECK(display::choose_display_mode(with_preferred).size == image::Size{1920, 1080});
  const std::vector<DisplayMode> without = {
      {{1280, 720}, 60, false}, {{1920, 1080}, 50, false}, {{1920, 1080}, 60, false}};
  const auto chosen = display::choose_display_mode(without);
  CHECK(chosen.size == image::Size{1920, 1080});
  CHECK(chosen.refresh_hz == 60);
}

TEST_CASE("The dumb-buffer driver reports a missing or wrong device as an error naming it", "[drm]") {
  display::DriverOptions options;
  options.drm_device = 97;  // no /dev/dri/card97 anywhere
  auto missing = display::make_dumb_buffer_driver(options);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().describe().find("/dev/dri/card97") != std::string::npos);
}
