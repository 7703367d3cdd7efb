#include "sync/card_scan.h"

#include <strings.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>

#include "file_kinds.h"
#include "image/probe.h"

namespace vk::sync {
namespace {

namespace fs = std::filesystem;
using detail::FileKind;

struct Entry {
  fs::path path;
  std::string name;
  FileKind kind;
  std::uint64_t bytes;
  bool read_only;
};

// Folders that operating systems put on removable media; never photos.
bool is_system_folder(const std::string& name) {
  return name.starts_with(".") || name == "System Volume Information" || name == "$RECYCLE.BIN" || name == "LOST.DIR";
}

// A file with an unknown extension is a candidate only if its bytes look like an image.
bool starts_like_image(const fs::path& path) {
  std::array<char, 32> head{};
  std::ifstream in(path, std::ios::binary);
  in.read(head.data(), head.size());
  const auto n = static_cast<std::size_t>(in.gcount());
  return image::looks_like_image({reinterpret_cast<const std::uint8_t*>(head.data()), n});
}

void add_folder_items(std::vector<Entry>& files, const fs::path& root, CardScan& scan) {
  // Pair RAW and JPEG by lower-case stem within this folder.
  std::map<std::string, std::vector<const Entry*>> by_stem;
  for (const auto& e : files) {
    if (e.kind == FileKind::photo || e.kind == FileKind::raw) by_stem[detail::stem_key(e.name)].push_back(&e);
  }
  for (const auto& e : files) {
    const std::string relative = fs::relative(e.path, root).generic_string();
    switch (e.kind) {
      case FileKind::video: scan.skipped_videos.push_back(relative); continue;
      case FileKind::junk: ++scan.ignored; continue;
      case FileKind::other:
        if (!starts_like_image(e.path)) {
          ++scan.ignored;
          continue;
        }
        break;
      case FileKind::raw: {
        const auto& group = by_stem[detail::stem_key(e.name)];
        const bool has_jpeg =
            std::any_of(group.begin(), group.end(), [](const Entry* g) { return g->kind == FileKind::photo; });
        if (has_jpeg) continue;  // travels with its JPEG
        break;
      }
      case FileKind::photo: break;
    }
    ScanItem item{e.path, std::nullopt, relative, e.bytes, e.read_only};
    if (e.kind == FileKind::photo) {
      for (const Entry* g : by_stem[detail::stem_key(e.name)]) {
        if (g->kind == FileKind::raw && !item.raw_companion) {
          item.raw_companion = g->path;
          item.bytes += g->bytes;
        }
      }
    }
    scan.total_bytes += item.bytes;
    scan.items.push_back(std::move(item));
  }
}

// False when on_folder asked to stop.
bool walk(const fs::path& dir, const fs::path& root, CardScan& scan, int depth, const FolderItems& on_folder) {
  if (depth > 16) return true;  // DCF is two levels deep; this only stops pathological trees
  std::vector<Entry> files;
  std::vector<fs::path> folders;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
    const std::string name = entry.path().filename().string();
    struct stat st {};
    // lstat: symbolic links are never followed, so a folder cannot lead the importer elsewhere.
    if (::lstat(entry.path().c_str(), &st) != 0 || S_ISLNK(st.st_mode)) continue;
    if (S_ISDIR(st.st_mode)) {
      if (is_system_folder(name)) continue;
      folders.push_back(entry.path());
    } else if (S_ISREG(st.st_mode)) {
      files.push_back({entry.path(), name, detail::classify_by_name(name), static_cast<std::uint64_t>(st.st_size),
                       (st.st_mode & S_IWUSR) == 0});
    }
  }
  std::sort(files.begin(), files.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  // DCIM first (photos before AVCHD/, MISC/, PRIVATE/ ...), then by name.
  std::sort(folders.begin(), folders.end(), [](const fs::path& a, const fs::path& b) {
    const bool a_dcim = ::strcasecmp(a.filename().c_str(), "DCIM") == 0;
    const bool b_dcim = ::strcasecmp(b.filename().c_str(), "DCIM") == 0;
    return a_dcim != b_dcim ? a_dcim : a < b;
  });
  const std::size_t before = scan.items.size();
  add_folder_items(files, root, scan);
  if (on_folder && scan.items.size() > before) {
    const std::vector<ScanItem> found(scan.items.begin() + static_cast<std::ptrdiff_t>(before), scan.items.end());
    if (!on_folder(found)) return false;
  }
  for (const auto& folder : folders) {
    if (!walk(folder, root, scan, depth + 1, on_folder)) return false;
  }
  return true;
}

}  // namespace

Result<CardScan> scan_source(const std::filesystem::path& root, const FolderItems& on_folder) {
  std::error_code ec;
  const auto status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    return make_error(ErrorCode::not_found, "no such folder or card", root.string());
  }
  CardScan scan;
  if (fs::is_regular_file(status)) {
    // A single file: import it as the only item, whatever its name (probe decides).
    const fs::path file = fs::absolute(root).lexically_normal();
    scan.root = file.parent_path();
    const auto bytes = fs::file_size(file, ec);
    scan.items.push_back({file, std::nullopt, file.filename().string(), ec ? 0 : bytes, false});
    scan.total_bytes = scan.items.back().bytes;
    if (on_folder) on_folder(scan.items);
    return scan;
  }
  if (!fs::is_directory(status)) return make_error(ErrorCode::invalid_input, "not a folder or a file", root.string());
  scan.root = fs::absolute(root).lexically_normal();
  walk(scan.root, scan.root, scan, 0, on_folder);
  return scan;
}

}  // namespace vk::sync
