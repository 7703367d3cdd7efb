// Pixel assertions shared by the image and import tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <span>

#include "fixtures.h"
#include "image/pixels.h"

namespace vk::testing {

// Mean colour of a small block centred at (fx, fy) given as fractions of the image size.
inline fixtures::Rgb sample(const image::Image& img, double fx, double fy, int half = 3) {
  const int cx = static_cast<int>(fx * img.width);
  const int cy = static_cast<int>(fy * img.height);
  long sum[3] = {0, 0, 0};
  int n = 0;
  for (int y = cy - half; y <= cy + half; ++y) {
    for (int x = cx - half; x <= cx + half; ++x) {
      if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
      const auto* p = img.pixel(x, y);
      for (int c = 0; c < 3; ++c) sum[c] += p[c];
      ++n;
    }
  }
  if (n == 0) return {0, 0, 0};
  return {static_cast<std::uint8_t>(sum[0] / n), static_cast<std::uint8_t>(sum[1] / n),
          static_cast<std::uint8_t>(sum[2] / n)};
}

inline bool near(fixtures::Rgb a, fixtures::Rgb b, int tolerance = 24) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

// True when the upright image shows the fixture quadrants: red TL, green TR, blue BL, white BR.
inline bool shows_upright_quadrants(const image::Image& img) {
  return near(sample(img, 0.25, 0.25), fixtures::kTopLeft) && near(sample(img, 0.75, 0.25), fixtures::kTopRight) &&
         near(sample(img, 0.25, 0.75), fixtures::kBottomLeft) && near(sample(img, 0.75, 0.75), fixtures::kBottomRight);
}

// True when a JPEG stream has no APP1 (Exif/XMP) segment and no other metadata marker (APP2..APP15, COM).
inline bool jpeg_has_no_metadata(std::span<const std::uint8_t> jpeg) {
  std::size_t at = 2;
  while (at + 4 <= jpeg.size()) {
    if (jpeg[at] != 0xFF) return false;
    const std::uint8_t marker = jpeg[at + 1];
    if (marker == 0xDA) return true;
    if ((marker >= 0xE1 && marker <= 0xEF) || marker == 0xFE) return false;
    at += 2 + (static_cast<std::size_t>(jpeg[at + 2]) << 8 | jpeg[at + 3]);
  }
  return false;
}

}  // namespace vk::testing
