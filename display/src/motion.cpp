#include "display/motion.h"

#include <algorithm>
#include <cmath>

namespace vk::display {

MotionChoice choose_motion(const std::string& configured, const std::string& driver, bool driver_scales) {
  if (configured == "pan") return {Motion::pan, {}};
  if (configured == "pan-zoom") {
    if (driver_scales) return {Motion::pan_zoom, {}};
    // Zoom resamples the whole frame every frame: ~16 ms a 1080p frame when SDL scales in
    // software, far over the 2.5 ms budget.
    return {Motion::pan,
            "screen.motion = \"pan-zoom\": zoom runs only where a GPU draws the frame (the renderer "
            "driver on GLES2 or OpenGL), not on the " +
                driver + " driver here; the photos pan without zooming (docs/display.md)"};
  }
  return {Motion::off, {}};
}

image::Size slide_canvas_size(image::Size screen, Motion motion) {
  if (motion == Motion::off) return screen;
  const auto grow = [](int side) { return side + 2 * static_cast<int>(std::lround(side * kPanMargin / 2)); };
  return {grow(screen.width), grow(screen.height)};
}

Window pan_window(image::Size canvas, image::Size screen, int path, double progress) {
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
  return {(p.x0 + (p.x1 - p.x0) * f) * range_x, (p.y0 + (p.y1 - p.y0) * f) * range_y,
          static_cast<double>(std::min(canvas.width, screen.width)),
          static_cast<double>(std::min(canvas.height, screen.height))};
}

Offset pan_offset(image::Size canvas, image::Size screen, int path, double progress) {
  const Window w = pan_window(canvas, screen, path, progress);
  return {static_cast<int>(std::lround(w.x)), static_cast<int>(std::lround(w.y))};
}

Window zoom_window(image::Size canvas, image::Size screen, int path, double progress) {
  const Window whole{0, 0, static_cast<double>(canvas.width), static_cast<double>(canvas.height)};
  if (canvas.width <= screen.width || canvas.height <= screen.height || screen.width <= 0 || screen.height <= 0)
    return whole;
  // Where the window sits in the free range (0: left/top, 1: right/bottom) at the start and the
  // end of each path; even paths zoom in, odd ones out. Faces are usually above the middle.
  struct Path {
    double x0, y0, x1, y1;
  };
  static constexpr Path kPaths[kPanPaths] = {
      {0.5, 0.5, 0.5, 0.35},  // in, towards the upper middle
      {0.2, 0.3, 0.5, 0.5},   // out, from the upper left
      {0.5, 0.5, 0.8, 0.35},  // in, towards the upper right
      {0.8, 0.6, 0.5, 0.5},   // out, from the lower right
  };
  const int index = ((path % kPanPaths) + kPanPaths) % kPanPaths;
  const Path& p = kPaths[index];
  const double f = std::isfinite(progress) ? std::clamp(progress, 0.0, 1.0) : 0.0;
  const double aspect = static_cast<double>(screen.height) / screen.width;
  // The largest window of the screen's shape inside the slide, and the screen-sized one.
  const double big_width = std::min<double>(canvas.width, canvas.height / aspect);
  const double small_width = screen.width;
  const double zoomed_in = index % 2 == 0 ? f : 1 - f;
  Window w;
  w.width = big_width + (small_width - big_width) * zoomed_in;
  w.height = w.width * aspect;
  w.x = (p.x0 + (p.x1 - p.x0) * f) * (canvas.width - w.width);
  w.y = (p.y0 + (p.y1 - p.y0) * f) * (canvas.height - w.height);
  return w;
}

Offset centred_offset(image::Size canvas, image::Size screen) {
  return {std::max(0, canvas.width - screen.width) / 2, std::max(0, canvas.height - screen.height) / 2};
}

}  // namespace vk::display
