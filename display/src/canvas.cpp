#include "display/canvas.h"

#include <algorithm>
#include <cstring>

#include "screen_rows.h"

namespace vk::display {

void copy_view(const ConstView& source, const FrameView& target) {
  const int w = std::min(source.width, target.width);
  const int h = std::min(source.height, target.height);
  for (int y = 0; y < h; ++y) {
    std::memcpy(target.row(y), source.row(y), static_cast<std::size_t>(w) * sizeof(std::uint32_t));
  }
}

void copy_to_screen(const ConstView& source, const FrameView& target) {
  const int w = std::min(source.width, target.width);
  const int h = std::min(source.height, target.height);
  for (int y = 0; y < h; ++y) detail::copy_row_to_screen(source.row(y), target.row(y), static_cast<std::size_t>(w));
  detail::finish_screen_rows();
}

namespace {

// Premultiplied "over" of one pixel: dst * (255 - a) / 255 + src (src's colour already
// multiplied by a), with /255 approximated by the usual (v + 128 + (v >> 8)) >> 8, per pair
// of channels.
inline std::uint32_t over(std::uint32_t dst, std::uint32_t a, std::uint32_t src_rgb) {
  const std::uint32_t inv = 255 - a;
  std::uint32_t rb = (dst & 0xFF00FFU) * inv + 0x800080U;
  rb = ((rb + ((rb >> 8) & 0xFF00FFU)) >> 8) & 0xFF00FFU;
  std::uint32_t g = (dst & 0x00FF00U) * inv + 0x008000U;
  g = ((g + ((g >> 8) & 0x00FF00U)) >> 8) & 0x00FF00U;
  return ((rb | g) + src_rgb) & 0xFFFFFFU;
}

// Calls pixel(src, dst) for every pixel of `sprite` at (x, y) inside the target.
template <typename Pixel>
void for_sprite_pixels(const Sprite& sprite, int x, int y, const FrameView& target, Pixel pixel) {
  const int x0 = std::max(0, x), y0 = std::max(0, y);
  const int x1 = std::min(target.width, x + sprite.width), y1 = std::min(target.height, y + sprite.height);
  for (int ty = y0; ty < y1; ++ty) {
    const std::uint32_t* src = sprite.px.data() + static_cast<std::ptrdiff_t>(ty - y) * sprite.width + (x0 - x);
    std::uint32_t* dst = target.row(ty) + x0;
    for (int tx = x0; tx < x1; ++tx, ++src, ++dst) pixel(*src, *dst);
  }
}

}  // namespace

void index_runs(Sprite& sprite) {
  sprite.runs.clear();
  for (int y = 0; y < sprite.height; ++y) {
    const std::uint32_t* row = sprite.px.data() + static_cast<std::ptrdiff_t>(y) * sprite.width;
    int x = 0;
    while (x < sprite.width) {
      const std::uint32_t a = row[x] >> 24;
      int end = x + 1;
      const auto same_kind = [a](std::uint32_t p) {
        const std::uint32_t b = p >> 24;
        return a == 0 ? b == 0 : a == 255 ? b == 255 : b != 0 && b != 255;
      };
      while (end < sprite.width && same_kind(row[end])) ++end;
      if (a != 0) sprite.runs.push_back({y, x, end, a == 255});
      x = end;
    }
  }
}

namespace {

void draw_runs(const Sprite& sprite, int x, int y, const FrameView& target) {
  for (const auto& run : sprite.runs) {
    const int ty = y + run.y;
    if (ty < 0 || ty >= target.height) continue;
    const int x0 = std::max(x + run.x0, 0), x1 = std::min(x + run.x1, target.width);
    if (x0 >= x1) continue;
    const std::uint32_t* src = sprite.px.data() + static_cast<std::ptrdiff_t>(run.y) * sprite.width + (x0 - x);
    std::uint32_t* dst = target.row(ty) + x0;
    const int n = x1 - x0;
    if (run.opaque) {
      for (int i = 0; i < n; ++i) dst[i] = src[i] & 0xFFFFFFU;  // vectorised: no branch inside
    } else {
      for (int i = 0; i < n; ++i) dst[i] = over(dst[i], src[i] >> 24, src[i] & 0xFFFFFFU);
    }
  }
}

}  // namespace

void draw_sprite(const Sprite& sprite, int x, int y, const FrameView& target, int opacity) {
  if (opacity <= 0) return;
  if (opacity >= 256 && !sprite.runs.empty()) return draw_runs(sprite, x, y, target);
  if (opacity < 256) {
    // Part opacity (an overlay fading with its slide while the picture pans): the premultiplied
    // colour and alpha both scaled.
    const auto o = static_cast<std::uint32_t>(opacity);
    for_sprite_pixels(sprite, x, y, target, [o](std::uint32_t s, std::uint32_t& d) {
      const std::uint32_t a = ((s >> 24) * o) >> 8;
      if (a == 0) return;
      const std::uint32_t rgb = ((((s & 0xFF00FFU) * o) >> 8) & 0xFF00FFU) | ((((s & 0x00FF00U) * o) >> 8) & 0x00FF00U);
      d = over(d, a, rgb);
    });
    return;
  }
  for_sprite_pixels(sprite, x, y, target, [](std::uint32_t s, std::uint32_t& d) {
    const std::uint32_t a = s >> 24;
    if (a == 0) return;
    d = a == 255 ? s & 0xFFFFFFU : over(d, a, s & 0xFFFFFFU);
  });
}

void fill_rect(const FrameView& target, int x, int y, int w, int h, std::uint32_t colour) {
  const int x0 = std::max(0, x), y0 = std::max(0, y);
  const int x1 = std::min(target.width, x + w), y1 = std::min(target.height, y + h);
  for (int ty = y0; ty < y1; ++ty) std::fill(target.row(ty) + x0, target.row(ty) + x1, colour);
}

Canvas canvas_from_image(const image::Image& image) {
  Canvas out(image.width, image.height);
  const std::uint8_t* p = image.rgb.data();
  for (auto& px : out.px) {
    px = xrgb(p[0], p[1], p[2]);
    p += 3;
  }
  return out;
}

image::Image image_from_view(const FrameView& view) {
  image::Image out;
  out.width = view.width;
  out.height = view.height;
  out.rgb.resize(static_cast<std::size_t>(view.width) * static_cast<std::size_t>(view.height) * 3);
  std::uint8_t* p = out.rgb.data();
  for (int y = 0; y < view.height; ++y) {
    const std::uint32_t* row = view.row(y);
    for (int x = 0; x < view.width; ++x) {
      *p++ = red_of(row[x]);
      *p++ = green_of(row[x]);
      *p++ = blue_of(row[x]);
    }
  }
  return out;
}

}  // namespace vk::display
