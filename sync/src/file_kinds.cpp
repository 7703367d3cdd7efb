#include "file_kinds.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace vk::sync::detail {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

template <std::size_t N>
bool one_of(const std::string& ext, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), ext) != list.end();
}

constexpr std::array<std::string_view, 7> kPhoto = {"jpg", "jpeg", "jpe", "png", "webp", "gif", "bmp"};
constexpr std::array<std::string_view, 11> kRaw = {"cr2", "cr3", "nef", "nrw", "arw", "dng",
                                                   "orf", "rw2", "raf", "pef", "srw"};
constexpr std::array<std::string_view, 11> kVideo = {"mp4", "mov", "avi", "mts", "m2ts", "mxf",
                                                     "3gp", "mkv", "crm", "lrv", "wav"};
// Camera side files: thumbnails of videos, catalogue files, print orders, sidecars.
constexpr std::array<std::string_view, 8> kJunk = {"thm", "ctg", "mrk", "xmp", "dat", "bin", "lrf", "ini"};

}  // namespace

FileKind classify_by_name(const std::string& filename) {
  const std::string name = lower(filename);
  if (name.starts_with(".") || name == "thumbs.db" || name == "desktop.ini") return FileKind::junk;
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return FileKind::other;
  const std::string ext = name.substr(dot + 1);
  if (one_of(ext, kPhoto)) return FileKind::photo;
  if (one_of(ext, kRaw)) return FileKind::raw;
  if (one_of(ext, kVideo)) return FileKind::video;
  if (one_of(ext, kJunk)) return FileKind::junk;
  return FileKind::other;
}

std::string stem_key(const std::string& filename) {
  const auto dot = filename.rfind('.');
  return lower(dot == std::string::npos ? filename : filename.substr(0, dot));
}

}  // namespace vk::sync::detail
