#include "display/blend.h"

#include <algorithm>

#include "screen_rows.h"

namespace vk::display {

void crossfade(const Canvas& from, const Canvas& to, int weight, const FrameView& target) {
  crossfade(from.cview(), to.cview(), weight, target);
}

void crossfade(const ConstView& from, const ConstView& to, int weight, const FrameView& target) {
  weight = std::clamp(weight, 0, 256);
  if (weight == 0) return copy_to_screen(from, target);
  if (weight == 256) return copy_to_screen(to, target);
  const int w = std::min({from.width, to.width, target.width});
  const int h = std::min({from.height, to.height, target.height});
  for (int y = 0; y < h; ++y) {
    detail::blend_row_to_screen(from.row(y), to.row(y), target.row(y), static_cast<std::size_t>(w),
                                static_cast<std::uint16_t>(weight));
  }
  detail::finish_screen_rows();
}

}  // namespace vk::display
