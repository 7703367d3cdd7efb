// What a guest receives of an original (a single download or a member of "download all"): the
// file read in whole, then, unless the organizer kept the position, cleaned of it
// (image::without_gps). One place decides it for both, so they can never differ on what leaves
// the box. Internal to kiosk/web.
#pragma once

#include "file_cache.h"
#include "image/strip.h"

namespace vk::web {

enum class CopyFault {
  none,
  unreadable,     // the disk gave an error reading it
  location_kept,  // it cannot be cleaned (CR3, RAF, damaged), so it must not be sent
};

struct GuestCopy {
  CopyFault fault = CopyFault::none;
  // The bytes to send, as pieces of the file (and held replacements); the whole file in one
  // piece when nothing was removed or the position is kept. Empty on a fault.
  image::CleanFile clean;
};

// Reads `file` in whole (MappedFile::load) and cleans it when `strip_gps`. Blocks on the disk:
// worker threads only.
GuestCopy guest_copy(const MappedFile& file, bool strip_gps);

}  // namespace vk::web
