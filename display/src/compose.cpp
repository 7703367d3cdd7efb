#include "display/compose.h"

#include <algorithm>
#include <cmath>

#include "image/transform.h"

namespace vk::display {
namespace {

// The backdrop is blurred at this fraction of the box: the blur then costs nothing and the
// bilinear upscale softens it further.
constexpr int kBackdropShrink = 16;
constexpr std::uint32_t kDimNumerator = 100;  // backdrop brightness: 100/256, about 40 %

image::Size cover_size(image::Size source, image::Size box) {
  const double scale =
      std::max(static_cast<double>(box.width) / source.width, static_cast<double>(box.height) / source.height);
  return {std::max(1, static_cast<int>(std::lround(source.width * scale))),
          std::max(1, static_cast<int>(std::lround(source.height * scale)))};
}

// Three passes of a horizontal and vertical box blur approximate a Gaussian.
void box_blur(image::Image& img, int radius) {
  std::vector<std::uint8_t> tmp(img.rgb.size());
  const int w = img.width, h = img.height;
  auto pass = [&](const std::uint8_t* src, std::uint8_t* dst, bool horizontal) {
    const int outer = horizontal ? h : w, inner = horizontal ? w : h;
    for (int o = 0; o < outer; ++o) {
      for (int i = 0; i < inner; ++i) {
        int sum[3] = {0, 0, 0}, n = 0;
        for (int k = std::max(0, i - radius); k <= std::min(inner - 1, i + radius); ++k) {
          const int x = horizontal ? k : o, y = horizontal ? o : k;
          const std::uint8_t* p = src + (static_cast<std::ptrdiff_t>(y) * w + x) * 3;
          sum[0] += p[0], sum[1] += p[1], sum[2] += p[2], ++n;
        }
        const int x = horizontal ? i : o, y = horizontal ? o : i;
        std::uint8_t* q = dst + (static_cast<std::ptrdiff_t>(y) * w + x) * 3;
        for (int c = 0; c < 3; ++c) q[c] = static_cast<std::uint8_t>(sum[c] / n);
      }
    }
  };
  for (int round = 0; round < 3; ++round) {
    pass(img.rgb.data(), tmp.data(), true);
    pass(tmp.data(), img.rgb.data(), false);
  }
}

// A rectangle of the box the photo itself covers: the backdrop need not be drawn there.
struct Hole {
  int x = 0, y = 0, width = 0, height = 0;
};

// Draws `small` scaled to `box` at (x0, y0) with bilinear filtering, dimmed, except in `hole`
// (box coordinates), which the photo covers anyway. Filter taps are worked out once per column.
void upscale_dimmed(const image::Image& small, const FrameView& target, int x0, int y0, image::Size box,
                    image::Size covered, Hole hole) {
  // `covered` is the cover size of the box; the box shows its centre.
  const int off_x = (covered.width - box.width) / 2, off_y = (covered.height - box.height) / 2;
  const double sx = static_cast<double>(small.width) / covered.width;
  const double sy = static_cast<double>(small.height) / covered.height;
  struct Tap {
    int i0, i1;
    std::uint32_t w;
  };
  auto tap = [](int i, int offset, double scale, int size) {
    const double f = std::clamp((i + offset + 0.5) * scale - 0.5, 0.0, size - 1.0);
    const int i0 = static_cast<int>(f);
    return Tap{i0, std::min(i0 + 1, size - 1), static_cast<std::uint32_t>((f - i0) * 256)};
  };
  std::vector<Tap> columns(static_cast<std::size_t>(box.width));
  for (int bx = 0; bx < box.width; ++bx) columns[static_cast<std::size_t>(bx)] = tap(bx, off_x, sx, small.width);
  auto draw_span = [&](std::uint32_t* out, const Tap& row, int from, int to) {
    from = std::max(from, -x0);
    to = std::min(to, target.width - x0);
    for (int bx = from; bx < to; ++bx) {
      const Tap& col = columns[static_cast<std::size_t>(bx)];
      std::uint32_t rgb[3];
      for (int c = 0; c < 3; ++c) {
        const std::uint32_t a = small.pixel(col.i0, row.i0)[c], b = small.pixel(col.i1, row.i0)[c];
        const std::uint32_t d = small.pixel(col.i0, row.i1)[c], e = small.pixel(col.i1, row.i1)[c];
        const std::uint32_t top = a * (256 - col.w) + b * col.w, bottom = d * (256 - col.w) + e * col.w;
        const std::uint32_t v = (top * (256 - row.w) + bottom * row.w) >> 16;
        rgb[c] = (v * kDimNumerator) >> 8;
      }
      out[x0 + bx] = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
    }
  };
  for (int by = 0; by < box.height; ++by) {
    const int ty = y0 + by;
    if (ty < 0 || ty >= target.height) continue;
    const Tap row = tap(by, off_y, sy, small.height);
    std::uint32_t* out = target.row(ty);
    if (by >= hole.y && by < hole.y + hole.height) {
      draw_span(out, row, 0, hole.x);
      draw_span(out, row, hole.x + hole.width, box.width);
    } else {
      draw_span(out, row, 0, box.width);
    }
  }
}

// The backdrop of `photo` in the box at (x, y), except in `hole`.
void draw_backdrop_around(const image::Image& photo, const FrameView& target, int x, int y, image::Size box,
                          Hole hole) {
  const image::Size covered = cover_size(photo.size(), box);
  const image::Size small_size{std::max(1, covered.width / kBackdropShrink),
                               std::max(1, covered.height / kBackdropShrink)};
  image::Image small = image::resize(photo, small_size);
  box_blur(small, 2);
  upscale_dimmed(small, target, x, y, box, covered, hole);
}

// Draws `photo` fitted and centred in the box at (x, y), over its backdrop.
void draw_fitted(const image::Image& photo, const FrameView& target, int x, int y, image::Size box) {
  const image::Size fitted = fit_inside(photo.size(), box);
  const Hole hole{(box.width - fitted.width) / 2, (box.height - fitted.height) / 2, fitted.width, fitted.height};
  if (fitted != box) draw_backdrop_around(photo, target, x, y, box, hole);
  const image::Image scaled = image::resize(photo, fitted);
  const int left = x + hole.x;
  const int top = y + hole.y;
  for (int py = 0; py < fitted.height; ++py) {
    const int ty = top + py;
    if (ty < 0 || ty >= target.height) continue;
    std::uint32_t* out = target.row(ty);
    const std::uint8_t* in = scaled.pixel(0, py);
    for (int px = 0; px < fitted.width; ++px, in += 3) {
      const int tx = left + px;
      if (tx >= 0 && tx < target.width) out[tx] = xrgb(in[0], in[1], in[2]);
    }
  }
}

}  // namespace

image::Size fit_inside(image::Size source, image::Size box) {
  if (source.width <= 0 || source.height <= 0) return box;
  const double scale =
      std::min(static_cast<double>(box.width) / source.width, static_cast<double>(box.height) / source.height);
  return {std::clamp(static_cast<int>(std::lround(source.width * scale)), 1, box.width),
          std::clamp(static_cast<int>(std::lround(source.height * scale)), 1, box.height)};
}

void draw_backdrop(const image::Image& photo, const FrameView& target, int x, int y, image::Size box) {
  draw_backdrop_around(photo, target, x, y, box, Hole{});
}

Canvas compose_single(const image::Image& photo, image::Size screen) {
  Canvas out(screen.width, screen.height);
  draw_fitted(photo, out.view(), 0, 0, screen);
  return out;
}

Canvas compose_pair(const image::Image& left, const image::Image& right, image::Size screen) {
  Canvas out(screen.width, screen.height);
  const int half = screen.width / 2;
  draw_fitted(left, out.view(), 0, 0, {half, screen.height});
  draw_fitted(right, out.view(), half, 0, {screen.width - half, screen.height});
  return out;
}

}  // namespace vk::display
