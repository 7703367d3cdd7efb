// The FAT read-only attribute, which cameras set when a photo is "protected" in the camera (the
// `protected` import filter). A mounted view does not always show it: the kernel's vfat maps it
// to missing write permission and answers FAT_IOCTL_GET_ATTRIBUTES, but fusefat shows every file
// as mode 0700. So it is read where it is kept: in the FAT directory entries of the volume.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "vk/result.h"

namespace vk::sync {

// Reads the directory tree of the FAT12/16/32 file system in `volume` (an image file or a block
// device, read-only) and returns the files with the read-only attribute set, as paths below the
// volume's root ("DCIM/100CANON/IMG_0001.JPG", long names where the card has them), lower-cased
// because FAT names are case-insensitive. Fails with invalid_input when `volume` holds no FAT
// file system; reads at most what a sane card's directories take (hostile images are bounded).
Result<std::set<std::string>> read_only_files(const std::filesystem::path& volume);

// The attribute of one file on a kernel-mounted vfat volume (FAT_IOCTL_GET_ATTRIBUTES); nothing
// when the file is not on vfat or cannot be opened.
std::optional<bool> vfat_read_only(const std::filesystem::path& file);

// "DCIM/100Canon/IMG_0001.JPG" -> "dcim/100canon/img_0001.jpg": how read_only_files() spells a path.
std::string fat_path_key(const std::string& relative);

}  // namespace vk::sync
