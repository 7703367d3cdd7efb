#pragma once

#include <cstdint>
#include <span>

#include "image/limits.h"
#include "image/pixels.h"
#include "vk/result.h"

namespace vk::image::detail {

// The first frame of a GIF through giflib, composited onto white at the canvas size. GIF is
// not left to SDL2_image: its 2.6 LZW decoder writes past its stack on crafted input (found by
// our fuzzer) and allocates frames at whatever size the frame header claims.
Result<Image> decode_gif(std::span<const std::uint8_t> bytes, const Limits& limits);

}  // namespace vk::image::detail
