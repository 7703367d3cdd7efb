// Who a card is: its file system's label and serial ("UUID" as udev and blkid print it, e.g.
// "6BC2-526B" for FAT). The identity is recorded with each import, keys resume (a card
// reinserted later continues where it stopped) and names the card for the organizer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "sync/mount_table.h"
#include "vk/result.h"

namespace vk::sync {

struct VolumeIdentity {
  std::string label;             // "EOS_DIGITAL"; empty when the card has none
  std::string uuid;              // "6BC2-526B"; empty when unknown
  std::filesystem::path device;  // the block device or image file read, when found
  // The USB card reader (or SD slot) it sits in, with serials where the hardware has them, e.g.
  // "Generic USB Storage 05e3:0749 serial 000000001206"; empty for an image file.
  std::string reader;

  // Stable key for resume: label and serial, or the mount point's name when both are unknown
  // (today the same text as display()).
  [[nodiscard]] std::string key(const std::filesystem::path& mount_point) const;
  // For people: "EOS_DIGITAL (6BC2-526B)".
  [[nodiscard]] std::string display(const std::filesystem::path& mount_point) const;
};

// Label and serial from a FAT12/16/32 or exFAT boot sector (the first 512 bytes).
std::optional<VolumeIdentity> parse_boot_sector(std::span<const std::uint8_t> sector);

// The device (or, for a FUSE mount of an image, the image file) behind a mount, if it can be found.
std::optional<std::filesystem::path> mount_source_file(const MountEntry& mount);

// The reader of a block device, from sysfs: the USB device above it (vendor:product, its
// strings and serial), or for a card in an SD slot (mmcblk) the card's own serial. Empty when
// the device is no block device or sysfs says nothing about it.
std::string reader_of_block_device(const std::filesystem::path& device);

// Identifies the volume behind a mount. Never fails: an unknown card gets an identity from its
// mount point, so it still imports (only resume across mount points is lost).
VolumeIdentity identify_volume(const MountEntry& mount);

}  // namespace vk::sync
