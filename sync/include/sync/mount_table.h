// The mount table as the kernel shows it in /proc/self/mountinfo.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "vk/result.h"

namespace vk::sync {

struct MountEntry {
  std::filesystem::path mount_point;  // unescaped ("\040" -> ' ')
  std::string fs_type;                // "vfat", "exfat", "fuse.fusefat", ...
  std::string source;                 // "/dev/sda1", or what a FUSE daemon chose to call itself
  bool read_only = false;
};

// Parses mountinfo text (one mount per line); lines it cannot read are passed over.
std::vector<MountEntry> parse_mountinfo(const std::string& text);

// Reads and parses /proc/self/mountinfo.
Result<std::vector<MountEntry>> read_mount_table();

// True when `path` is `root` or lies below it (lexically; both should be absolute and normal).
bool is_below(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace vk::sync
