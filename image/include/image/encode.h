// JPEG encoding with TurboJPEG. The output carries no metadata at all (no EXIF, no XMP,
// no GPS): only a JFIF header and the pixels.
#pragma once

#include <cstdint>
#include <vector>

#include "image/pixels.h"
#include "vk/result.h"

namespace vk::image {

Result<std::vector<std::uint8_t>> encode_jpeg(const Image& image, int quality);

}  // namespace vk::image
