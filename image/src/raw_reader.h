// libraw behind a small interface: identify a RAW file and extract its embedded preview.
// Sensor data is never unpacked: previews are what the screen and the gallery need, and they
// cost milliseconds where a full RAW develop costs seconds on a small board.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "image/format.h"
#include "image/pixels.h"
#include "vk/result.h"

namespace vk::image::detail {

struct RawHeader {
  RawKind kind = RawKind::other;
  Size sensor;          // libraw's output size before orientation
  int orientation = 1;  // EXIF-style 1..8 from libraw's flip
  std::string make, model;
  std::string artist;       // IFD0 Artist as the camera wrote it (LibRaw's other.artist), may be empty
  std::string captured_at;  // ISO local time, empty if unknown
};

// Only embedded JPEG previews are taken (every current camera writes one); LibRaw's other
// preview forms are where it wrote past its buffers on damaged files.
struct RawPreview {
  std::vector<std::uint8_t> jpeg;
  int orientation = 1;
};

Result<RawHeader> identify_raw(std::span<const std::uint8_t> bytes, RawKind signature_kind);
Result<RawPreview> extract_raw_preview(std::span<const std::uint8_t> bytes);

}  // namespace vk::image::detail
