// Walks the marker segments at the start of a JPEG (up to the first scan), so metadata
// readers can find APP1 Exif/XMP payloads without touching the entropy-coded data.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

namespace vk::image::detail {

// Calls visit(marker, payload) for each segment before SOS; stops early when visit returns
// false. Returns false if the stream is not a JPEG or a segment runs past the end.
bool for_each_jpeg_segment(std::span<const std::uint8_t> bytes,
                           const std::function<bool(std::uint8_t marker, std::span<const std::uint8_t> payload)>& visit);

}  // namespace vk::image::detail
