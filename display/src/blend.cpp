#include "display/blend.h"

#include <algorithm>

namespace vk::display {

void crossfade(const Canvas& from, const Canvas& to, int weight, const FrameView& target) {
  weight = std::clamp(weight, 0, 256);
  if (weight == 0) return copy_canvas(from, target);
  if (weight == 256) return copy_canvas(to, target);
  const auto wt = static_cast<std::uint32_t>(weight);
  const std::uint32_t wf = 256U - wt;
  const int w = std::min({from.width, to.width, target.width});
  const int h = std::min({from.height, to.height, target.height});
  for (int y = 0; y < h; ++y) {
    const std::uint32_t* a = from.row(y);
    const std::uint32_t* b = to.row(y);
    std::uint32_t* out = target.row(y);
    // Red and blue travel together in one 32-bit lane, green in another: 0xFF00FF * 256 still
    // fits in 32 bits, so the sum cannot carry into the neighbouring channel.
    for (int x = 0; x < w; ++x) {
      const std::uint32_t rb = (((a[x] & 0xFF00FFU) * wf + (b[x] & 0xFF00FFU) * wt) >> 8) & 0xFF00FFU;
      const std::uint32_t g = (((a[x] & 0x00FF00U) * wf + (b[x] & 0x00FF00U) * wt) >> 8) & 0x00FF00U;
      out[x] = rb | g;
    }
  }
}

}  // namespace vk::display
