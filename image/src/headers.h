// Header parsers for the formats SDL2_image decodes: they read only the fixed-size header
// so that the pixel limit is enforced before any decoder allocates.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "image/pixels.h"

namespace vk::image::detail {

std::optional<Size> png_size(std::span<const std::uint8_t> bytes);
std::optional<Size> gif_size(std::span<const std::uint8_t> bytes);
std::optional<Size> bmp_size(std::span<const std::uint8_t> bytes);
std::optional<Size> webp_size(std::span<const std::uint8_t> bytes);

}  // namespace vk::image::detail
