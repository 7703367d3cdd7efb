// The import-time derivation: one scaled decode of a photo yields both the `screen`
// image (fits the big screen, 1920x1080 by default) and the `thumb` (fits 400x400),
// upright and stripped of all metadata.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "image/pixels.h"
#include "image/probe.h"
#include "vk/result.h"

namespace vk::image {

struct DeriveOptions {
  Size screen_box{1920, 1080};
  Size thumb_box{400, 400};
  int screen_quality = 85;
  int thumb_quality = 80;
  Limits limits;
};

struct Derived {
  std::vector<std::uint8_t> jpeg;
  Size size;
};

struct Derivatives {
  Derived screen;
  Derived thumb;
};

Result<Derivatives> derive(std::span<const std::uint8_t> bytes, const ImageInfo& info,
                           const DeriveOptions& options = {});

}  // namespace vk::image
