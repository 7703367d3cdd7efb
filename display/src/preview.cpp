#include "preview.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace vk::display {

void shrink_into(const FrameView& view, int step, image::Image& out) {
  out.width = view.width / step;
  out.height = view.height / step;
  out.rgb.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3);
  std::uint8_t* p = out.rgb.data();
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      std::uint32_t sum[3] = {0, 0, 0};
      for (int k = 0; k < 2; ++k) {
        const std::uint32_t px = view.row(y * step + k * step / 2)[x * step + k * step / 2];
        sum[0] += red_of(px), sum[1] += green_of(px), sum[2] += blue_of(px);
      }
      for (auto s : sum) *p++ = static_cast<std::uint8_t>(s / 2);
    }
  }
}

void preview_from_layers(std::span<const SlideLayer> slides, std::span<const SpriteLayer> sprites, image::Size screen,
                         int step, image::Image& out, std::vector<int>& columns) {
  out.width = screen.width / step;
  out.height = screen.height / step;
  out.rgb.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height) * 3);
  const auto at = [&](int x, int y) {
    return out.rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + x) * 3;
  };
  const auto centre = [step](int i) { return i * step + step / 2; };  // the screen pixel sampled
  // The slides, each a column map and a row per preview row: no division per point.
  columns.resize(static_cast<std::size_t>(out.width));
  bool first = true;
  for (const SlideLayer& layer : slides) {
    const Canvas& c = *layer.slide;
    const double kx = layer.window.width / screen.width, ky = layer.window.height / screen.height;
    for (int x = 0; x < out.width; ++x) {
      columns[x] = std::clamp(static_cast<int>(layer.window.x + (centre(x) + 0.5) * kx), 0, c.width - 1);
    }
    const int weight = first ? 256 : std::clamp(layer.opacity, 0, 256);
    for (int y = 0; y < out.height; ++y) {
      const std::uint32_t* row =
          c.row(std::clamp(static_cast<int>(layer.window.y + (centre(y) + 0.5) * ky), 0, c.height - 1));
      std::uint8_t* p = at(0, y);
      for (int x = 0; x < out.width; ++x, p += 3) {
        const std::uint32_t px = row[columns[x]];
        const int rgb[3] = {red_of(px), green_of(px), blue_of(px)};
        for (int k = 0; k < 3; ++k) p[k] = static_cast<std::uint8_t>(p[k] + (rgb[k] - p[k]) * weight / 256);
      }
    }
    first = false;
  }
  // The sprites, premultiplied "over", each only over the preview points it covers.
  for (const SpriteLayer& layer : sprites) {
    const Sprite& sprite = *layer.sprite;
    const int opacity = std::clamp(layer.opacity, 0, 256);
    const int x0 = std::max(0, (layer.x - step / 2 + step - 1) / step);
    const int y0 = std::max(0, (layer.y - step / 2 + step - 1) / step);
    for (int y = y0; y < out.height && centre(y) < layer.y + sprite.height; ++y) {
      const std::uint32_t* row = sprite.px.data() + static_cast<std::size_t>(centre(y) - layer.y) * sprite.width;
      for (int x = x0; x < out.width && centre(x) < layer.x + sprite.width; ++x) {
        const std::uint32_t px = row[centre(x) - layer.x];
        const int alpha = static_cast<int>(px >> 24) * opacity / 256;
        if (alpha == 0 && (px & 0xFFFFFFU) == 0) continue;
        const int rgb[3] = {red_of(px), green_of(px), blue_of(px)};
        std::uint8_t* p = at(x, y);
        for (int k = 0; k < 3; ++k) {
          p[k] = static_cast<std::uint8_t>(std::min(255, rgb[k] * opacity / 256 + p[k] * (255 - alpha) / 255));
        }
      }
    }
  }
}

}  // namespace vk::display
