// Plain pixel buffers and sizes shared by the whole image pipeline.
#pragma once

#include <cstdint>
#include <vector>

namespace vk::image {

struct Size {
  int width = 0;
  int height = 0;
  friend bool operator==(const Size&, const Size&) = default;
};

// 8-bit RGB, rows packed without padding (stride = 3 * width).
struct Image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;

  [[nodiscard]] Size size() const { return {width, height}; }
  [[nodiscard]] bool empty() const { return width == 0 || height == 0; }
  [[nodiscard]] const std::uint8_t* pixel(int x, int y) const {
    return rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 3;
  }
};

// The largest size with the aspect of `source` that fits inside `box`; never larger
// than `source` (we do not upscale) and never below 1x1.
Size fit_within(Size source, Size box);

}  // namespace vk::image
