#include "image/format.h"

namespace vk::image {

std::string_view format_name(Format format) {
  switch (format) {
    case Format::jpeg: return "JPEG";
    case Format::png: return "PNG";
    case Format::webp: return "WebP";
    case Format::gif: return "GIF";
    case Format::bmp: return "BMP";
    case Format::raw: return "RAW";
  }
  return "unknown";
}

std::string_view raw_kind_name(RawKind kind) {
  switch (kind) {
    case RawKind::none: return "";
    case RawKind::cr2: return "CR2";
    case RawKind::cr3: return "CR3";
    case RawKind::nef: return "NEF";
    case RawKind::arw: return "ARW";
    case RawKind::dng: return "DNG";
    case RawKind::orf: return "ORF";
    case RawKind::rw2: return "RW2";
    case RawKind::raf: return "RAF";
    case RawKind::pef: return "PEF";
    case RawKind::other: return "RAW";
  }
  return "RAW";
}

std::string_view storage_extension(Format format, RawKind kind) {
  switch (format) {
    case Format::jpeg: return "jpg";
    case Format::png: return "png";
    case Format::webp: return "webp";
    case Format::gif: return "gif";
    case Format::bmp: return "bmp";
    case Format::raw: break;
  }
  switch (kind) {
    case RawKind::cr2: return "cr2";
    case RawKind::cr3: return "cr3";
    case RawKind::nef: return "nef";
    case RawKind::arw: return "arw";
    case RawKind::dng: return "dng";
    case RawKind::orf: return "orf";
    case RawKind::rw2: return "rw2";
    case RawKind::raf: return "raf";
    case RawKind::pef: return "pef";
    default: return "raw";
  }
}

}  // namespace vk::image
