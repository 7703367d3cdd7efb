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

TEST_CASE("The dumb-buffer driver looks at its screen again on a DRM hotplug uevent only", "[drm]") {
  using namespace std::string_view_literals;
  // What the kernel sends when an HDMI screen is plugged in or out (udevadm monitor --kernel).
  CHECK(display::is_drm_hotplug_uevent(
      "change@/devices/platform/gpu/drm/card1\0ACTION=change\0DEVPATH=/devices/platform/gpu/drm/card1\0"
      "SUBSYSTEM=drm\0HOTPLUG=1\0CONNECTOR=32\0DEVNAME=/dev/dri/card1\0DEVTYPE=drm_minor\0SEQNUM=4711\0"sv));
  // A USB card reader arriving, and a DRM change that is not a hotplug (a lease, for one).
  CHECK_FALSE(display::is_drm_hotplug_uevent("add@/devices/usb1/1-1\0ACTION=add\0SUBSYSTEM=usb\0HOTPLUG=1\0"sv));
  CHECK_FALSE(display::is_drm_hotplug_uevent("change@/devices/drm/card0\0ACTION=change\0SUBSYSTEM=drm\0LEASE=1\0"sv));
  CHECK_FALSE(display::is_drm_hotplug_uevent(""sv));
  CHECK_FALSE(display::is_drm_hotplug_uevent("SUBSYSTEM=drmx\0HOTPLUG=10"sv));
}
