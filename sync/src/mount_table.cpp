#include "sync/mount_table.h"

#include <fstream>
#include <sstream>

#include "catalog/file_system.h"

namespace vk::sync {
namespace {

// mountinfo escapes space, tab, newline and backslash as three octal digits.
std::string unescape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto octal = [&](std::size_t at) { return at < s.size() && s[at] >= '0' && s[at] <= '7'; };
    if (s[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
      continue;
    }
    out += s[i];
  }
  return out;
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(const std::string& text) {
  std::vector<MountEntry> mounts;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    // "36 35 98:0 /root /mnt/point rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
    std::istringstream fields(line);
    std::string id, parent, devno, root, point, options, field;
    if (!(fields >> id >> parent >> devno >> root >> point >> options)) continue;
    while (fields >> field && field != "-") {
    }
    MountEntry entry;
    std::string source;
    if (field != "-" || !(fields >> entry.fs_type >> source)) continue;
    entry.mount_point = unescape(point);
    entry.source = unescape(source);
    entry.read_only = options == "ro" || options.starts_with("ro,");
    mounts.push_back(std::move(entry));
  }
  return mounts;
}

Result<std::vector<MountEntry>> read_mount_table() {
  std::ifstream in("/proc/self/mountinfo");
  if (!in) return catalog::error_from_errno(errno, "read", "/proc/self/mountinfo");
  std::stringstream text;
  text << in.rdbuf();
  return parse_mountinfo(text.str());
}

bool is_below(const std::filesystem::path& path, const std::filesystem::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing slash
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace vk::sync
