// What venuekiosk reads from a photo's metadata (EXIF through libexif, plus the XMP
// rating cameras write). Reading never fails: missing or broken metadata leaves fields empty.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace vk::image {

struct PhotoMetadata {
  int orientation = 1;                     // EXIF orientation 1..8 (1 when absent or invalid)
  std::optional<std::string> captured_at;  // DateTimeOriginal as "YYYY-MM-DDTHH:MM:SS" (camera local time)
  std::optional<std::string> camera_make;
  std::optional<std::string> camera_model;
  // Who took the photo, for the screen's caption: EXIF Artist (what Canon, Nikon, Sony and
  // Fujifilm bodies write from their "author"/"photographer" setting), else the owner named in
  // EXIF Copyright ("© 2026 Jane Doe" -> "Jane Doe"; bodies that have only a copyright field).
  // UTF-8, control characters removed, at most 64 bytes.
  std::optional<std::string> photographer;
  std::optional<int> rating;  // in-camera star rating 0..5 (EXIF Rating or XMP xmp:Rating)
  bool has_gps = false;       // a GPS IFD with at least one entry is present
};

// Reads the metadata of a JPEG (APP1 Exif and XMP segments). Other formats return defaults.
PhotoMetadata read_metadata(std::span<const std::uint8_t> jpeg_bytes);

// The owner named in an EXIF Copyright value: its photographer part (before a NUL), without a
// leading "Copyright", "(c)" or "©", years, and a trailing "All rights reserved". Empty when
// nothing is left. Exposed for tests.
std::string copyright_owner(std::string_view copyright);

// A person's name from a free-text field (EXIF or a RAW file's Artist): UTF-8 up to the first
// NUL, invalid bytes dropped, control characters made spaces, trimmed, at most 64 bytes on a
// character boundary. nullopt when nothing is left.
std::optional<std::string> person_name(std::string_view text);

// Reads an XMP rating ("xmp:Rating") from a JPEG's XMP APP1 segment, if any.
std::optional<int> read_xmp_rating(std::span<const std::uint8_t> jpeg_bytes);

}  // namespace vk::image
