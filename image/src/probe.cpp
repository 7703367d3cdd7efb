// Probing by magic bytes, then the cheapest header read each format allows.
#include "image/probe.h"

#include <turbojpeg.h>

#include <optional>
#include <string>

#include "byte_reader.h"
#include "headers.h"
#include "image/exif.h"
#include "image/transform.h"
#include "limits_check.h"
#include "raw_reader.h"
#include "tj_handles.h"

namespace vk::image {
namespace {

struct Signature {
  Format format;
  RawKind raw_kind = RawKind::none;
};

std::optional<Signature> detect(std::span<const std::uint8_t> bytes) {
  const detail::ByteReader in(bytes);
  if (in.has(0, 3) && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return Signature{Format::jpeg};
  if (in.matches(0, "\x89PNG\r\n\x1a\n")) return Signature{Format::png};
  if (in.matches(0, "RIFF") && in.matches(8, "WEBP")) return Signature{Format::webp};
  if (in.matches(0, "GIF87a") || in.matches(0, "GIF89a")) return Signature{Format::gif};
  if (in.matches(0, "BM") && in.has(0, 26)) return Signature{Format::bmp};
  if (in.matches(0, "FUJIFILMCCD-RAW")) return Signature{Format::raw, RawKind::raf};
  if (in.matches(4, "ftypcrx ")) return Signature{Format::raw, RawKind::cr3};
  if (in.matches(0, "IIRO") || in.matches(0, "IIRS") || in.matches(0, "MMOR"))
    return Signature{Format::raw, RawKind::orf};
  if (in.matches(0, std::string_view("IIU\0", 4))) return Signature{Format::raw, RawKind::rw2};
  if (in.matches(0, std::string_view("II*\0", 4)) || in.matches(0, std::string_view("MM\0*", 4))) {
    // TIFF container: CR2 marks itself at offset 8; NEF, ARW, DNG and PEF are told apart by libraw.
    if (in.matches(8, "CR")) return Signature{Format::raw, RawKind::cr2};
    return Signature{Format::raw, RawKind::other};
  }
  return std::nullopt;
}

Error bad_header(Format format) {
  return make_error(ErrorCode::invalid_input,
                    "the file starts like a " + std::string(format_name(format)) + " image but its header is damaged");
}

Result<ImageInfo> probe_jpeg(std::span<const std::uint8_t> bytes) {
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  const detail::TjHandle handle = detail::make_decompressor();
  if (!handle) return make_error(ErrorCode::internal, "cannot start the JPEG decoder");
  if (tjDecompressHeader3(handle.get(), bytes.data(), bytes.size(), &width, &height, &subsampling, &colorspace) != 0) {
    return bad_header(Format::jpeg);
  }
  ImageInfo info;
  info.format = Format::jpeg;
  info.stored = {width, height};
  info.metadata = read_metadata(bytes);
  return info;
}

Result<ImageInfo> probe_raw(std::span<const std::uint8_t> bytes, RawKind kind) {
  auto header = detail::identify_raw(bytes, kind);
  if (!header) {
    if (kind == RawKind::other && header.error().code == ErrorCode::unsupported) {
      return make_error(ErrorCode::unsupported, "TIFF images that are not camera RAW files are not imported");
    }
    return std::move(header).error();
  }
  ImageInfo info;
  info.format = Format::raw;
  info.raw_kind = header->kind;
  info.stored = header->sensor;
  info.metadata.orientation = header->orientation;
  if (!header->make.empty()) info.metadata.camera_make = header->make;
  if (!header->model.empty()) info.metadata.camera_model = header->model;
  if (!header->captured_at.empty()) info.metadata.captured_at = header->captured_at;
  // RAW bodies write Artist into the RAW's own IFD0 too: a RAW imported without its JPEG
  // still names its photographer on the screen.
  info.metadata.photographer = person_name(header->artist);
  return info;
}

}  // namespace

Size ImageInfo::displayed() const {
  return oriented_size(stored, metadata.orientation);
}

bool looks_like_image(std::span<const std::uint8_t> bytes) {
  return detect(bytes).has_value();
}

Result<ImageInfo> probe(std::span<const std::uint8_t> bytes, const Limits& limits) {
  if (bytes.empty()) return make_error(ErrorCode::invalid_input, "the file is empty (0 bytes)");
  const auto signature = detect(bytes);
  if (!signature) {
    return make_error(
        ErrorCode::invalid_input,
        "not a photo: the content is not JPEG, PNG, WebP, GIF, BMP or camera RAW, whatever its name says");
  }
  ImageInfo info;
  if (signature->format == Format::jpeg) {
    VK_ASSIGN_OR_RETURN(info, probe_jpeg(bytes));
  } else if (signature->format == Format::raw) {
    VK_ASSIGN_OR_RETURN(info, probe_raw(bytes, signature->raw_kind));
  } else {
    std::optional<Size> size;
    switch (signature->format) {
      case Format::png: size = detail::png_size(bytes); break;
      case Format::gif: size = detail::gif_size(bytes); break;
      case Format::bmp: size = detail::bmp_size(bytes); break;
      case Format::webp: size = detail::webp_size(bytes); break;
      default: break;
    }
    if (!size) return bad_header(signature->format);
    info.format = signature->format;
    info.stored = *size;
  }
  if (info.stored.width <= 0 || info.stored.height <= 0) return bad_header(info.format);
  VK_RETURN_IF_ERROR(detail::check_limits(info.stored, limits));
  return info;
}

}  // namespace vk::image
