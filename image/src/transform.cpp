#include "image/transform.h"

#include "resample.h"

namespace vk::image {

Size oriented_size(Size stored, int orientation) {
  if (orientation >= 5 && orientation <= 8) return {stored.height, stored.width};
  return stored;
}

Image apply_orientation(Image image, int orientation) {
  if (orientation < 2 || orientation > 8) return image;
  const Size out_size = oriented_size(image.size(), orientation);
  Image out;
  out.width = out_size.width;
  out.height = out_size.height;
  out.rgb.resize(image.rgb.size());
  const int w = image.width;
  const int h = image.height;
  // For each stored pixel (x, y), where it lands in the upright image.
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      int ox = x;
      int oy = y;
      switch (orientation) {
        case 2: ox = w - 1 - x; oy = y; break;          // mirrored horizontally
        case 3: ox = w - 1 - x; oy = h - 1 - y; break;  // rotated 180
        case 4: ox = x; oy = h - 1 - y; break;          // mirrored vertically
        case 5: ox = y; oy = x; break;                  // transposed
        case 6: ox = h - 1 - y; oy = x; break;          // rotate 90 clockwise to view
        case 7: ox = h - 1 - y; oy = w - 1 - x; break;  // transversed
        case 8: ox = y; oy = w - 1 - x; break;          // rotate 90 counter-clockwise to view
        default: break;
      }
      const std::uint8_t* src = image.pixel(x, y);
      std::uint8_t* dst = out.rgb.data() + (static_cast<std::size_t>(oy) * out.width + ox) * 3;
      dst[0] = src[0];
      dst[1] = src[1];
      dst[2] = src[2];
    }
  }
  return out;
}

Image resize(const Image& image, Size target) {
  if (image.size() == target || target.width <= 0 || target.height <= 0 || image.empty()) return image;
  return detail::resample_mitchell(image, target);
}

}  // namespace vk::image
