#pragma once

#include <cstdint>
#include <span>

#include "image/pixels.h"
#include "vk/result.h"

namespace vk::image::detail {

// PNG, WebP and BMP through SDL2_image; transparency is flattened onto white.
Result<Image> decode_with_sdl_image(std::span<const std::uint8_t> bytes);

}  // namespace vk::image::detail
