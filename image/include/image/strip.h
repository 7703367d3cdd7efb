// Removing GPS from a JPEG without re-encoding it: the guest gets the camera's pixels, minus
// where they were taken.
//
// The result describes the new file as `head` (SOI and every marker segment up to the first
// scan, with the Exif GPS IFD removed and any XMP packet naming GPS dropped) followed by
// the input from `resume_at` on (the scan data, untouched). So a server sends `head` from
// memory and the rest straight from a mapped file. Pure: any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "vk/result.h"

namespace vk::image {

struct StrippedJpeg {
  std::string head;
  std::size_t resume_at = 0;
  bool removed = false;  // whether anything was taken out
};

// Fails (invalid_input) when `jpeg` is not a JPEG whose segments can be walked.
Result<StrippedJpeg> strip_jpeg_gps(std::span<const std::uint8_t> jpeg);

}  // namespace vk::image
