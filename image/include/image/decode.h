// Decoding to RGB pixels at the smallest cost that still serves a target size.
//
// JPEG goes through TurboJPEG with DCT scaling (n/8), picking the smallest scale whose output
// still covers the target; PNG, WebP and BMP go through SDL2_image, GIF through giflib; camera
// RAW through libraw's embedded preview only (never the sensor data). Orientation is NOT applied here.
#pragma once

#include <cstdint>
#include <span>

#include "image/pixels.h"
#include "image/probe.h"
#include "vk/result.h"

namespace vk::image {

// Decodes `bytes` (already probed into `info`) so that the result, once oriented, is at least
// fit_within(displayed, cover) in both dimensions when the source allows. Truncated or corrupt
// data is refused with a reason; a limit is checked again on the actual decode size.
Result<Image> decode(std::span<const std::uint8_t> bytes, const ImageInfo& info, Size cover,
                     const Limits& limits = {});

// Decodes a whole JPEG at full size (used by tests and by formats that embed JPEG).
Result<Image> decode_jpeg(std::span<const std::uint8_t> bytes, Size cover, const Limits& limits = {});

}  // namespace vk::image
