// Probing: what is this file? Answered from the magic bytes and the header only,
// without decoding pixels, so it is cheap enough to run on every file of a card.
#pragma once

#include <cstdint>
#include <span>

#include "image/exif.h"
#include "image/format.h"
#include "image/limits.h"
#include "image/pixels.h"
#include "vk/result.h"

namespace vk::image {

struct ImageInfo {
  Format format = Format::jpeg;
  RawKind raw_kind = RawKind::none;
  Size stored;                // pixel size as stored in the file (RAW: the sensor's output size)
  PhotoMetadata metadata;     // orientation, capture time, camera, rating, GPS presence

  // The size a viewer sees once the orientation is applied.
  [[nodiscard]] Size displayed() const;
};

// Identifies the format by magic bytes and reads the header. Fails with a plain reason for
// empty files, unknown content ("not a photo"), headers that claim more pixels than
// `limits` allow, and headers too short or inconsistent to be real.
Result<ImageInfo> probe(std::span<const std::uint8_t> bytes, const Limits& limits = {});

// Only the magic-byte check; nullopt-like `false` when nothing matches.
bool looks_like_image(std::span<const std::uint8_t> bytes);

}  // namespace vk::image
