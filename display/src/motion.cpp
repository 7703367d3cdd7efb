#include "display/motion.h"

#include <algorithm>
#include <cmath>

namespace vk::display {

MotionChoice choose_motion(const std::string& configured, const std::string& driver) {
  if (configured == "pan") return {Motion::pan, {}};
  if (configured == "pan-zoom") {
    // Zoom resamples the whole frame every frame: ~16 ms a 1080p frame when SDL scales in
    // software, far over the 2.5 ms budget; on the GPU it is not built yet.
    return {Motion::pan, "screen.motion = \"pan-zoom\": zoom is not built on the " + driver +
                             " driver (docs/display.md), the photos pan without zooming"};
  }
  return {Motion::off, {}};
}

image::Size slide_canvas_size(image::Size screen, Motion motion) {
  if (motion == Motion::off) return screen;
  const auto grow = [](int side) { return side + 2 * static_cast<int>(std::lround(side * kPanMargin / 2)); };
  return {grow(screen.width), grow(screen.height)};
}

Offset pan_offset(image::Size canvas, image::Size screen, int path, double progress) {
  // Start and end of each path as fractions of the free range (0: left/top, 1: right/bottom).
  struct Path {
    double x0, y0, x1, y1;
  };
  static constexpr Path kPaths[kPanPaths] = {
      {0.0, 0.5, 1.0, 0.5},  // left to right
      {1.0, 0.0, 0.0, 1.0},  // top-right to bottom-left
      {1.0, 0.5, 0.0, 0.5},  // right to left
      {0.0, 1.0, 1.0, 0.0},  // bottom-left to top-right
  };
  const Path& p = kPaths[((path % kPanPaths) + kPanPaths) % kPanPaths];
  const double f = std::isfinite(progress) ? std::clamp(progress, 0.0, 1.0) : 0.0;
  const int range_x = std::max(0, canvas.width - screen.width);
  const int range_y = std::max(0, canvas.height - screen.height);
  return {static_cast<int>(std::lround((p.x0 + (p.x1 - p.x0) * f) * range_x)),
          static_cast<int>(std::lround((p.y0 + (p.y1 - p.y0) * f) * range_y))};
}

Offset centred_offset(image::Size canvas, image::Size screen) {
  return {std::max(0, canvas.width - screen.width) / 2, std::max(0, canvas.height - screen.height) / 2};
}

}  // namespace vk::display
