#include "headers.h"

#include <cstdlib>

#include "byte_reader.h"

namespace vk::image::detail {
namespace {

std::optional<Size> positive(std::optional<std::uint32_t> w, std::optional<std::uint32_t> h) {
  if (!w || !h || *w == 0 || *h == 0 || *w > 0x7fffffffU || *h > 0x7fffffffU) return std::nullopt;
  return Size{static_cast<int>(*w), static_cast<int>(*h)};
}

}  // namespace

std::optional<Size> png_size(std::span<const std::uint8_t> bytes) {
  const ByteReader in(bytes);
  // 8-byte signature, then the IHDR chunk must come first: length 13, "IHDR", width, height.
  if (!in.matches(12, "IHDR") || in.be(8, 4) != 13U) return std::nullopt;
  return positive(in.be(16, 4), in.be(20, 4));
}

std::optional<Size> gif_size(std::span<const std::uint8_t> bytes) {
  const ByteReader in(bytes);
  return positive(in.le(6, 2), in.le(8, 2));
}

std::optional<Size> bmp_size(std::span<const std::uint8_t> bytes) {
  const ByteReader in(bytes);
  auto dib = in.le(14, 4);
  if (!dib) return std::nullopt;
  if (*dib == 12) return positive(in.le(18, 2), in.le(20, 2));  // OS/2 BITMAPCOREHEADER
  if (*dib < 40) return std::nullopt;
  auto w = in.le(18, 4);
  auto h = in.le(22, 4);
  if (!w || !h) return std::nullopt;
  // Height is signed: negative means rows are stored top-down.
  const auto height = static_cast<std::int32_t>(*h);
  const auto width = static_cast<std::int32_t>(*w);
  if (width <= 0 || height == 0 || height == INT32_MIN) return std::nullopt;
  return Size{width, std::abs(height)};
}

std::optional<Size> webp_size(std::span<const std::uint8_t> bytes) {
  const ByteReader in(bytes);
  if (in.matches(12, "VP8 ")) {
    // Lossy: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (in.u8(23) != 0x9d || in.u8(24) != 0x01 || in.u8(25) != 0x2a) return std::nullopt;
    auto w = in.le(26, 2);
    auto h = in.le(28, 2);
    if (!w || !h) return std::nullopt;
    return positive(*w & 0x3fffU, *h & 0x3fffU);
  }
  if (in.matches(12, "VP8L")) {
    if (in.u8(20) != 0x2f) return std::nullopt;
    auto bits = in.le(21, 4);
    if (!bits) return std::nullopt;
    return positive((*bits & 0x3fffU) + 1, ((*bits >> 14) & 0x3fffU) + 1);
  }
  if (in.matches(12, "VP8X")) {
    auto w = in.le(24, 3);
    auto h = in.le(27, 3);
    if (!w || !h) return std::nullopt;
    return positive(*w + 1, *h + 1);
  }
  return std::nullopt;
}

}  // namespace vk::image::detail
