#include "sync/fat_attributes.h"

#include <fcntl.h>
#include <linux/msdos_fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

#include "vk/unique_fd.h"

namespace vk::sync {
namespace {

namespace fs = std::filesystem;

constexpr std::uint8_t kAttrReadOnly = 0x01;
constexpr std::uint8_t kAttrVolumeLabel = 0x08;
constexpr std::uint8_t kAttrDirectory = 0x10;
constexpr std::uint8_t kAttrLongName = 0x0F;
constexpr std::size_t kEntryBytes = 32;
// Bounds for hostile images: a card holds thousands of files, not millions, in DCF's two levels.
constexpr std::size_t kMaxEntries = 1'000'000;
constexpr int kMaxDepth = 16;

std::uint32_t le(const std::uint8_t* p, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// The layout a boot sector describes (Microsoft's FAT specification, "BPB").
struct Layout {
  enum class Type { fat12, fat16, fat32 } type = Type::fat32;
  std::uint64_t bytes_per_sector = 0, sectors_per_cluster = 0;
  std::uint64_t fat_offset = 0;    // bytes
  std::uint64_t root_offset = 0;   // FAT12/16: the fixed root directory, bytes
  std::uint64_t root_entries = 0;  // FAT12/16
  std::uint64_t data_offset = 0;   // bytes, cluster 2 starts here
  std::uint32_t root_cluster = 0;  // FAT32
  std::uint32_t clusters = 0;      // data clusters
  [[nodiscard]] std::uint64_t cluster_bytes() const { return bytes_per_sector * sectors_per_cluster; }
};

Result<Layout> parse_layout(const std::array<std::uint8_t, 512>& s, const std::string& where) {
  auto bad = [&](const char* why) {
    return make_error(ErrorCode::invalid_input, std::string("not a FAT volume: ") + why, where);
  };
  if (s[510] != 0x55 || s[511] != 0xAA) return bad("no boot sector signature");
  Layout l;
  l.bytes_per_sector = le(&s[11], 2);
  l.sectors_per_cluster = s[13];
  const std::uint64_t reserved = le(&s[14], 2);
  const std::uint64_t fats = s[16];
  l.root_entries = le(&s[17], 2);
  const std::uint64_t total = le(&s[19], 2) != 0 ? le(&s[19], 2) : le(&s[32], 4);
  const std::uint64_t fat_sectors = le(&s[22], 2) != 0 ? le(&s[22], 2) : le(&s[36], 4);
  const bool sizes_ok = l.bytes_per_sector >= 512 && l.bytes_per_sector <= 4096 &&
                        (l.bytes_per_sector & (l.bytes_per_sector - 1)) == 0 && l.sectors_per_cluster != 0 &&
                        (l.sectors_per_cluster & (l.sectors_per_cluster - 1)) == 0 && reserved != 0 && fats != 0 &&
                        fat_sectors != 0;
  if (!sizes_ok) return bad("impossible sizes in the boot sector");
  const std::uint64_t root_sectors = (l.root_entries * kEntryBytes + l.bytes_per_sector - 1) / l.bytes_per_sector;
  const std::uint64_t data_start = reserved + fats * fat_sectors + root_sectors;
  if (total <= data_start) return bad("no data area");
  const std::uint64_t clusters = (total - data_start) / l.sectors_per_cluster;
  // The FAT type follows from the cluster count alone, whatever the label field says.
  l.type = clusters < 4085 ? Layout::Type::fat12 : clusters < 65525 ? Layout::Type::fat16 : Layout::Type::fat32;
  if (clusters > 0x0FFFFFF5) return bad("too many clusters");
  l.clusters = static_cast<std::uint32_t>(clusters);
  l.fat_offset = reserved * l.bytes_per_sector;
  l.root_offset = (reserved + fats * fat_sectors) * l.bytes_per_sector;
  l.data_offset = data_start * l.bytes_per_sector;
  l.root_cluster = l.type == Layout::Type::fat32 ? le(&s[44], 4) : 0;
  return l;
}

class FatReader {
 public:
  FatReader(int fd, Layout layout, std::string where)
      : fd_(fd), l_(layout), where_(std::move(where)), visited_(std::size_t{layout.clusters} + 2, false) {}

  Status walk(std::set<std::string>& read_only) {
    std::vector<std::uint8_t> root;
    if (l_.type == Layout::Type::fat32) {
      VK_ASSIGN_OR_RETURN(root, read_chain(l_.root_cluster));
    } else {
      root.resize(l_.root_entries * kEntryBytes);
      VK_RETURN_IF_ERROR(read_at(l_.root_offset, root));
    }
    return walk_directory(root, "", 0, read_only);
  }

 private:
  Status read_at(std::uint64_t offset, std::vector<std::uint8_t>& out) const {
    std::size_t got = 0;
    while (got < out.size()) {
      const ssize_t n = ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return make_error(ErrorCode::io, "cannot read the FAT volume", where_);
      got += static_cast<std::size_t>(n);
    }
    return {};
  }

  Result<std::uint32_t> next_cluster(std::uint32_t cluster) {
    const std::uint64_t at = l_.type == Layout::Type::fat12   ? cluster + cluster / 2
                             : l_.type == Layout::Type::fat16 ? std::uint64_t{cluster} * 2
                                                              : std::uint64_t{cluster} * 4;
    std::vector<std::uint8_t> bytes(l_.type == Layout::Type::fat32 ? 4 : 2);
    VK_RETURN_IF_ERROR(read_at(l_.fat_offset + at, bytes));
    switch (l_.type) {
      case Layout::Type::fat12: {
        const std::uint32_t v = le(bytes.data(), 2);
        return (cluster & 1) != 0 ? v >> 4 : v & 0x0FFF;
      }
      case Layout::Type::fat16: return le(bytes.data(), 2);
      case Layout::Type::fat32: return le(bytes.data(), 4) & 0x0FFFFFFF;
    }
    return 0U;
  }

  [[nodiscard]] bool is_data_cluster(std::uint32_t c) const { return c >= 2 && c < l_.clusters + 2; }

  // A directory's bytes: its clusters followed through the FAT. Each cluster is read once in the
  // whole walk, so a damaged FAT with loops or shared chains cannot make it go round forever.
  Result<std::vector<std::uint8_t>> read_chain(std::uint32_t first) {
    std::vector<std::uint8_t> out;
    std::vector<std::uint8_t> cluster(l_.cluster_bytes());
    for (std::uint32_t c = first; is_data_cluster(c) && !visited_[c];) {
      visited_[c] = true;
      VK_RETURN_IF_ERROR(read_at(l_.data_offset + std::uint64_t{c - 2} * l_.cluster_bytes(), cluster));
      out.insert(out.end(), cluster.begin(), cluster.end());
      VK_ASSIGN_OR_RETURN(c, next_cluster(c));
    }
    return out;
  }

  static std::string short_name(const std::uint8_t* e) {
    auto part = [](const std::uint8_t* p, int n) {
      std::string s(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
      while (!s.empty() && s.back() == ' ') s.pop_back();
      return s;
    };
    std::string name = part(e, 8);
    if (!name.empty() && static_cast<std::uint8_t>(name[0]) == 0x05) name[0] = static_cast<char>(0xE5);
    const std::string ext = part(e + 8, 3);
    return ext.empty() ? name : name + "." + ext;
  }

  static int short_name_checksum(const std::uint8_t* e) {
    std::uint8_t sum = 0;
    for (int i = 0; i < 11; ++i) sum = static_cast<std::uint8_t>(((sum & 1) << 7) + (sum >> 1) + e[i]);
    return sum;
  }

  // One long-name entry holds 13 UCS-2 characters at fixed places; sequence number in byte 0.
  static void add_long_name_part(const std::uint8_t* e, std::vector<std::string>& parts) {
    static constexpr std::array<int, 13> kAt = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    const std::size_t seq = e[0] & 0x1F;
    if (seq == 0 || seq > 20) return;
    std::string text;
    for (int at : kAt) {
      const std::uint32_t ch = le(e + at, 2);
      if (ch == 0 || ch == 0xFFFF) break;
      // UTF-8; names on cards are ASCII, others only need to match fat_path_key's lower-casing.
      if (ch < 0x80) {
        text += static_cast<char>(ch);
      } else if (ch < 0x800) {
        text += static_cast<char>(0xC0 | (ch >> 6));
        text += static_cast<char>(0x80 | (ch & 0x3F));
      } else {
        text += static_cast<char>(0xE0 | (ch >> 12));
        text += static_cast<char>(0x80 | ((ch >> 6) & 0x3F));
        text += static_cast<char>(0x80 | (ch & 0x3F));
      }
    }
    if (parts.size() < seq) parts.resize(seq);
    parts[seq - 1] = text;
  }

  Status walk_directory(const std::vector<std::uint8_t>& dir, const std::string& prefix, int depth,
                        std::set<std::string>& read_only) {
    if (depth > kMaxDepth) return {};
    std::vector<std::string> long_parts;
    int long_checksum = -1;
    for (std::size_t at = 0; at + kEntryBytes <= dir.size(); at += kEntryBytes) {
      if (++entries_seen_ > kMaxEntries) return {};
      const std::uint8_t* e = dir.data() + at;
      if (e[0] == 0x00) break;  // no entries after this one
      if (e[0] == 0xE5) {       // deleted
        long_parts.clear();
        continue;
      }
      const std::uint8_t attr = e[11];
      if (attr == kAttrLongName) {
        if ((e[0] & 0x40) != 0) {  // the last part comes first and starts a new name
          long_parts.clear();
          long_checksum = e[13];
        }
        add_long_name_part(e, long_parts);
        continue;
      }
      std::string name;
      // A long name belongs to this entry only if it carries the checksum of its short name
      // (otherwise it is a leftover of a deleted file or of a tool that ignores long names).
      if (long_checksum == short_name_checksum(e)) {
        for (const auto& p : long_parts) name += p;
      }
      long_parts.clear();
      if ((attr & kAttrVolumeLabel) != 0) continue;
      if (name.empty()) name = short_name(e);
      if (name == "." || name == ".." || name.empty()) continue;
      const std::string path = prefix.empty() ? name : prefix + "/" + name;
      if ((attr & kAttrDirectory) != 0) {
        const std::uint32_t first = (le(e + 20, 2) << 16) | le(e + 26, 2);
        VK_ASSIGN_OR_RETURN(const auto sub, read_chain(first));
        VK_RETURN_IF_ERROR(walk_directory(sub, path, depth + 1, read_only));
      } else if ((attr & kAttrReadOnly) != 0) {
        read_only.insert(fat_path_key(path));
      }
    }
    return {};
  }

  int fd_;
  Layout l_;
  std::string where_;
  std::size_t entries_seen_ = 0;
  std::vector<bool> visited_;  // by cluster number
};

}  // namespace

std::string fat_path_key(const std::string& relative) {
  std::string key = relative;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

Result<std::set<std::string>> read_only_files(const fs::path& volume) {
  const UniqueFd fd(::open(volume.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return make_error(ErrorCode::io, "cannot open the volume", volume.string());
  std::array<std::uint8_t, 512> sector{};
  if (::pread(fd.get(), sector.data(), sector.size(), 0) != static_cast<ssize_t>(sector.size())) {
    return make_error(ErrorCode::invalid_input, "not a FAT volume: too short", volume.string());
  }
  VK_ASSIGN_OR_RETURN(const Layout layout, parse_layout(sector, volume.string()));
  std::set<std::string> read_only;
  FatReader reader(fd.get(), layout, volume.string());
  VK_RETURN_IF_ERROR(reader.walk(read_only));
  return read_only;
}

std::optional<bool> vfat_read_only(const fs::path& file) {
  const UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return std::nullopt;
  std::uint32_t attributes = 0;
  if (::ioctl(fd.get(), FAT_IOCTL_GET_ATTRIBUTES, &attributes) != 0) return std::nullopt;
  return (attributes & ATTR_RO) != 0;
}

}  // namespace vk::sync
