#include "image/pixels.h"

#include <algorithm>
#include <cmath>

namespace vk::image {

Size fit_within(Size source, Size box) {
  if (source.width <= 0 || source.height <= 0) return {0, 0};
  if (source.width <= box.width && source.height <= box.height) return source;
  const double scale = std::min(static_cast<double>(box.width) / source.width,
                                static_cast<double>(box.height) / source.height);
  const int w = std::max(1, static_cast<int>(std::lround(source.width * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(source.height * scale)));
  return {std::min(w, box.width), std::min(h, box.height)};
}

}  // namespace vk::image
