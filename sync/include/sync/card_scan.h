// Scanning a camera card or any folder for photos to import.
//
// Walks DCF layouts (DCIM/100CANON, DCIM/101MSDCF, ...) and plain folder trees in a stable
// order (folder, then name). Skips what cameras and computers leave beside photos: hidden
// files and folders, AppleDouble "._*", .THM, .CTG, Thumbs.db, .DS_Store. Videos are listed
// as skipped. A RAW and a JPEG with the same name in the same folder become one item: the
// JPEG drives the screen and thumbnail, the RAW is kept as a second original.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vk/result.h"

namespace vk::sync {

struct ScanItem {
  std::filesystem::path file;                          // absolute
  std::optional<std::filesystem::path> raw_companion;  // absolute
  std::string relative;                                // path below the root, for people
  std::uint64_t bytes = 0;                             // file + companion
  bool protected_on_card = false;                      // FAT read-only attribute (camera "protect")
};

struct CardScan {
  std::filesystem::path root;
  std::vector<ScanItem> items;
  std::vector<std::string> skipped_videos;  // relative paths
  int ignored = 0;                          // junk and non-photo files passed over
  std::uint64_t total_bytes = 0;
};

// Called with each folder's items as soon as that folder is read (DCIM first), on the scanning
// thread, so an import can start before the last folder is read; returns false to stop the walk.
using FolderItems = std::function<bool(const std::vector<ScanItem>&)>;

// `root` may also be a single file. Fails only when `root` itself cannot be read (missing, card
// gone). The returned scan holds every item, whether or not `on_folder` saw them first.
Result<CardScan> scan_source(const std::filesystem::path& root, const FolderItems& on_folder = {});

}  // namespace vk::sync
