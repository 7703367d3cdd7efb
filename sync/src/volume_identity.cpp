#include "sync/volume_identity.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "vk/unique_fd.h"

namespace vk::sync {
namespace {

namespace fs = std::filesystem;

std::string trimmed_label(std::span<const std::uint8_t> bytes) {
  std::string label(bytes.begin(), bytes.end());
  while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.pop_back();
  if (label == "NO NAME") label.clear();  // what formatters write when there is no label
  for (char& c : label) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '_';
  }
  return label;
}

std::string fat_serial(std::span<const std::uint8_t> b) {
  char text[10];
  std::snprintf(text, sizeof text, "%02X%02X-%02X%02X", b[3], b[2], b[1], b[0]);
  return text;
}

bool is_device_or_image(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && (S_ISBLK(st.st_mode) || S_ISREG(st.st_mode));
}

// A process's command line, NUL-separated; nothing when it cannot be read. Plain read(): the
// process may exit between open and read (read() then fails with ESRCH), and libstdc++'s
// filebuf throws on a failed read() through istreambuf_iterator, which ended `serve`.
std::optional<std::string> command_line_of(const fs::path& proc_dir) {
  const UniqueFd fd(::open((proc_dir / "cmdline").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  std::string text;
  std::array<char, 4096> chunk{};
  constexpr std::size_t kMaxBytes = 256 * 1024;  // ARG_MAX-sized lines are not FUSE daemons
  while (text.size() < kMaxBytes) {
    const ssize_t n = ::read(fd.get(), chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  return text;
}

// A FUSE file system names itself in mountinfo ("fusefat"); the image it serves is on its
// daemon's command line, next to the mount point.
std::optional<fs::path> fuse_image_for(const fs::path& mount_point) {
  std::error_code ec;
  for (const auto& proc : fs::directory_iterator("/proc", ec)) {
    const std::string pid = proc.path().filename().string();
    if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) continue;  // not a process
    const auto read = command_line_of(proc.path());
    if (!read) continue;  // gone meanwhile, or not ours to read
    const std::string& cmdline = *read;
    // A daemon given relative paths cannot be matched: FUSE daemons chdir("/") when they fork
    // away, so /proc/PID/cwd no longer says what they were relative to (that card keeps its
    // mount point's name as identity).
    std::vector<fs::path> args;
    for (std::size_t at = 0; at < cmdline.size();) {
      const std::size_t end = cmdline.find('\0', at);
      args.emplace_back(
          fs::path(cmdline.substr(at, end == std::string::npos ? std::string::npos : end - at)).lexically_normal());
      if (end == std::string::npos) break;
      at = end + 1;
    }
    bool serves_it = false;
    for (const auto& a : args) serves_it = serves_it || (!a.empty() && a == mount_point);
    if (!serves_it) continue;
    for (std::size_t i = 1; i < args.size(); ++i) {
      if (args[i].is_absolute() && args[i] != mount_point && is_device_or_image(args[i])) return args[i];
    }
  }
  return std::nullopt;
}

std::string first_line(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::string reader_of_block_device(const fs::path& device) {
  const std::string block = "/sys/class/block/" + device.filename().string();
  std::error_code ec;
  if (device.filename().empty() || !fs::exists(block, ec)) return {};
  // An SD card in the board's own slot: the card answers with its CID serial.
  if (const std::string serial = first_line(block + "/device/serial"); !serial.empty()) {
    const std::string name = first_line(block + "/device/name");
    return "SD card " + (name.empty() ? std::string() : name + " ") + "serial " + serial;
  }
  if (const std::string serial = first_line(block + "/../device/serial"); !serial.empty()) {  // a partition
    const std::string name = first_line(block + "/../device/name");
    return "SD card " + (name.empty() ? std::string() : name + " ") + "serial " + serial;
  }
  // A USB reader: the first folder up the device path that is a USB device (it has idVendor).
  // "/.." after the class link is resolved by the kernel, so this walks the real device tree.
  std::string dir = block;
  for (int up = 0; up < 12; ++up, dir += "/..") {
    const std::string vendor = first_line(dir + "/idVendor");
    if (vendor.empty()) continue;
    std::string out;
    for (const char* attribute : {"manufacturer", "product"}) {
      if (const std::string text = first_line(dir + "/" + attribute); !text.empty()) out += text + " ";
    }
    out += (out.empty() ? "USB reader " : "") + vendor + ":" + first_line(dir + "/idProduct");
    if (const std::string serial = first_line(dir + "/serial"); !serial.empty()) out += " serial " + serial;
    return out;
  }
  return {};
}

std::string VolumeIdentity::key(const fs::path& mount_point) const {
  // People read it too (photos.source_volume, import_runs.volume), so it is the display name;
  // without a serial, two cards of the same label share resume records: harmless, since a file
  // is only skipped when its path and size both match, and the hash check still guards.
  return display(mount_point);
}

std::string VolumeIdentity::display(const fs::path& mount_point) const {
  const std::string name = label.empty() ? mount_point.filename().string() : label;
  return uuid.empty() ? name : name + " (" + uuid + ")";
}

std::optional<VolumeIdentity> parse_boot_sector(std::span<const std::uint8_t> s) {
  if (s.size() < 512 || s[510] != 0x55 || s[511] != 0xAA) return std::nullopt;
  auto text_at = [&](std::size_t at, std::size_t n) {
    return std::string(s.begin() + static_cast<long>(at), s.begin() + static_cast<long>(at + n));
  };
  VolumeIdentity id;
  if (text_at(3, 8) == "EXFAT   ") {
    // exFAT keeps its label in the root directory, not the boot sector; the serial is at 100.
    id.uuid = fat_serial(s.subspan(100, 4));
    return id;
  }
  // FAT32 extended boot record at 64, FAT12/16 at 36; 0x29 marks serial and label as present.
  if (text_at(82, 5) == "FAT32" && s[66] == 0x29) {
    id.uuid = fat_serial(s.subspan(67, 4));
    id.label = trimmed_label(s.subspan(71, 11));
    return id;
  }
  if (text_at(54, 3) == "FAT" && s[38] == 0x29) {
    id.uuid = fat_serial(s.subspan(39, 4));
    id.label = trimmed_label(s.subspan(43, 11));
    return id;
  }
  return std::nullopt;
}

std::optional<fs::path> mount_source_file(const MountEntry& mount) {
  if (!mount.source.empty() && mount.source[0] == '/' && is_device_or_image(mount.source))
    return fs::path(mount.source);
  if (mount.fs_type.starts_with("fuse")) {
    // A FUSE daemon forks into the background right after mounting; for a moment neither
    // process may show a readable command line (seen under load), so look again briefly.
    for (int attempt = 0; attempt < 20; ++attempt) {
      if (auto image = fuse_image_for(mount.mount_point)) return image;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return std::nullopt;
}

VolumeIdentity identify_volume(const MountEntry& mount) {
  VolumeIdentity id;
  if (auto source = mount_source_file(mount)) {
    id.device = *source;
    std::array<std::uint8_t, 512> sector{};
    if (const UniqueFd fd(::open(source->c_str(), O_RDONLY | O_CLOEXEC)); fd.valid()) {
      const ssize_t n = ::pread(fd.get(), sector.data(), sector.size(), 0);
      if (n == static_cast<ssize_t>(sector.size())) {
        if (auto parsed = parse_boot_sector(sector)) {
          parsed->device = id.device;
          id = *parsed;
        }
      }
    }
  }
  if (id.device.string().starts_with("/dev/")) id.reader = reader_of_block_device(id.device);
  // Without read access to the device (an unprivileged daemon), udev's links still say it.
  if (id.uuid.empty() && !id.device.empty()) {
    std::error_code ec;
    for (const auto& link : fs::directory_iterator("/dev/disk/by-uuid", ec)) {
      if (fs::equivalent(link.path(), id.device, ec)) id.uuid = link.path().filename().string();
    }
  }
  return id;
}

}  // namespace vk::sync
