// Geometry on decoded pixels: EXIF orientation and high-quality downscaling.
#pragma once

#include "image/pixels.h"

namespace vk::image {

// Applies EXIF orientation 1..8 so the result is upright (values outside 1..8 act as 1).
Image apply_orientation(Image image, int orientation);

// The size after applying `orientation` (5..8 swap width and height).
Size oriented_size(Size stored, int orientation);

// Resizes `image` to exactly `target` with a Mitchell-Netravali filter in linear light (so fine
// detail is not darkened). Returns the input unchanged when the sizes are equal.
Image resize(const Image& image, Size target);

}  // namespace vk::image
