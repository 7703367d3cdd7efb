// Canvases: the screen's pixels in the window's own format, prepared off the render thread.
//
// Every canvas is 32-bit XRGB8888 (0x00RRGGBB in a uint32_t, SDL_PIXELFORMAT_RGB888), the
// native format of X11, Wayland, KMSDRM scan-out and SDL's offscreen driver: what the render
// loop copies needs no conversion (a conversion costs ~17 ms a frame on the software path).
// A Canvas is a plain value; hand it between threads by moving it or through shared_ptr<const>.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "image/pixels.h"

namespace vk::display {

inline constexpr std::uint32_t xrgb(std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  return (std::uint32_t{r} << 16) | (std::uint32_t{g} << 8) | std::uint32_t{b};
}
inline constexpr std::uint8_t red_of(std::uint32_t p) {
  return static_cast<std::uint8_t>(p >> 16);
}
inline constexpr std::uint8_t green_of(std::uint32_t p) {
  return static_cast<std::uint8_t>(p >> 8);
}
inline constexpr std::uint8_t blue_of(std::uint32_t p) {
  return static_cast<std::uint8_t>(p);
}

// A window onto 32-bit pixels owned by someone else (a Canvas, a window surface, a locked
// texture). `stride` is in pixels.
struct FrameView {
  std::uint32_t* pixels = nullptr;
  int width = 0, height = 0, stride = 0;
  [[nodiscard]] std::uint32_t* row(int y) const { return pixels + static_cast<std::ptrdiff_t>(y) * stride; }
};

// A read-only window onto 32-bit pixels: a whole canvas, or the screen-sized part of a larger
// slide that a pan shows (`stride` is the canvas's width, in pixels).
struct ConstView {
  const std::uint32_t* pixels = nullptr;
  int width = 0, height = 0, stride = 0;
  [[nodiscard]] const std::uint32_t* row(int y) const { return pixels + static_cast<std::ptrdiff_t>(y) * stride; }
};

// A part of a canvas in its pixels, to fractions of a pixel (a zooming window, drawn by a GPU).
struct Window {
  double x = 0, y = 0, width = 0, height = 0;
  friend bool operator==(const Window&, const Window&) = default;
};

struct Canvas {
  int width = 0, height = 0;
  std::vector<std::uint32_t> px;

  Canvas() = default;
  Canvas(int w, int h, std::uint32_t fill = 0)
      : width(w), height(h), px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), fill) {}
  [[nodiscard]] image::Size size() const { return {width, height}; }
  [[nodiscard]] bool empty() const { return px.empty(); }
  [[nodiscard]] FrameView view() { return {px.data(), width, height, width}; }
  [[nodiscard]] const std::uint32_t* row(int y) const { return px.data() + static_cast<std::ptrdiff_t>(y) * width; }
  [[nodiscard]] std::uint32_t at(int x, int y) const { return row(y)[x]; }
  [[nodiscard]] ConstView cview() const { return {px.data(), width, height, width}; }
  // The `size` part with its top-left corner at (x, y), clipped to the canvas.
  [[nodiscard]] ConstView window(int x, int y, image::Size size) const {
    x = std::clamp(x, 0, width), y = std::clamp(y, 0, height);
    return {px.data() + static_cast<std::ptrdiff_t>(y) * width + x, std::min(size.width, width - x),
            std::min(size.height, height - y), width};
  }
};

// A small picture with transparency drawn over the frame (text, the QR panel): premultiplied
// ARGB8888, so drawing it is one multiply-add per channel.
struct Sprite {
  int width = 0, height = 0;
  std::vector<std::uint32_t> px;  // 0xAARRGGBB, colour already multiplied by alpha
  // Optional (index_runs()): each row's spans of opaque or of translucent pixels, transparent
  // ones left out. draw_sprite() then copies opaque spans in one vectorised loop and skips the
  // transparent ones: the QR panel drawn every frame with motion on costs ~1/20 of the
  // pixel-by-pixel loop. Stale once `px` changes: index after the last change.
  struct Run {
    int y = 0, x0 = 0, x1 = 0;
    bool opaque = false;
  };
  std::vector<Run> runs;
  [[nodiscard]] bool empty() const { return px.empty(); }
};

// Copies `source` into `target` (same size; otherwise the overlapping part).
void copy_view(const ConstView& source, const FrameView& target);
// The same for the screen's frame, which is not read again before it is shown: written around
// the cache where the CPU can (src/screen_rows.h), about a third faster at 1080p here.
void copy_to_screen(const ConstView& source, const FrameView& target);
// Draws `sprite` with its top-left corner at (x, y), clipped to the target, at `opacity`
// (0..256; 256: as it is, the fast path).
void draw_sprite(const Sprite& sprite, int x, int y, const FrameView& target, int opacity = 256);
// Fills sprite.runs from its pixels (drawing stays the same to the pixel).
void index_runs(Sprite& sprite);
// Fills a rectangle, clipped.
void fill_rect(const FrameView& target, int x, int y, int w, int h, std::uint32_t colour);

// RGB image <-> canvas (tests, PNG snapshots, the live preview).
Canvas canvas_from_image(const image::Image& image);
image::Image image_from_view(const FrameView& view);

}  // namespace vk::display
