// without_gps(): picks the cleaner by magic bytes, and the JPEG cleaner itself. The other
// formats live beside this file (strip_png.cpp, strip_webp.cpp, strip_gif.cpp, strip_tiff.cpp).
#include "image/strip.h"

#include <libexif/exif-data.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "byte_reader.h"
#include "jpeg_segments.h"
#include "strip_internal.h"

namespace vk::image {
namespace {

constexpr std::uint8_t kApp1 = 0xE1;
constexpr std::string_view kExifHeader("Exif\0\0", 6);
constexpr std::string_view kXmpHeader("http://ns.adobe.com/xap/1.0/\0", 29);
// Extended XMP (XMP spec part 3, 1.1.3.1): what does not fit the main packet's 64 KB continues in
// these segments, each the header, a 32-digit GUID, the full length and this part's offset.
constexpr std::string_view kXmpExtensionHeader("http://ns.adobe.com/xmp/extension/\0", 35);
constexpr std::size_t kXmpExtensionPrefix = kXmpExtensionHeader.size() + 32 + 4 + 4;

bool names_gps(std::string_view xmp) {
  return xmp.find("GPS") != std::string_view::npos;
}

// Whether the extended XMP must go: when the main packet goes (it names GPS; the extension would
// be left without its packet), or when the extension itself names GPS - exiftool moves the
// largest properties there, so a long exif:GPSAreaInformation ("Eiffel Tower, north lawn") lands
// in the extension while the main packet names no GPS at all. The parts are read in file order
// with the seam between two looked at too, so a name split between two segments is found,
// without copying an extension that may be megabytes (a phone's depth map).
bool extended_xmp_must_go(std::span<const std::uint8_t> jpeg) {
  bool main_names_gps = false, extension_names_gps = false, has_extension = false;
  std::string seam;  // the last two bytes of the part before, for a name split across two parts
  detail::for_each_jpeg_segment(jpeg, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    if (marker != kApp1) return true;
    if (text.starts_with(kXmpHeader)) main_names_gps = main_names_gps || names_gps(text);
    if (text.starts_with(kXmpExtensionHeader) && text.size() > kXmpExtensionPrefix) {
      const std::string_view part = text.substr(kXmpExtensionPrefix);
      has_extension = true;
      extension_names_gps = extension_names_gps || names_gps(part) || names_gps(seam + std::string(part.substr(0, 2)));
      seam = part.substr(part.size() >= 2 ? part.size() - 2 : 0);
    }
    return true;
  });
  return has_extension && (main_names_gps || extension_names_gps);
}

struct ExifDataDeleter {
  void operator()(ExifData* d) const { exif_data_unref(d); }
};

void append_segment(std::string& out, std::uint8_t marker, std::string_view payload) {
  const std::size_t length = payload.size() + 2;
  out += static_cast<char>(0xFF);
  out += static_cast<char>(marker);
  out += static_cast<char>((length >> 8) & 0xFF);
  out += static_cast<char>(length & 0xFF);
  out += payload;
}

// The Exif payload without its GPS IFD and without the maker notes, or empty when the whole
// segment should go. Maker notes go whole: Nikon and Panasonic bodies with a GPS unit write the
// place's name there (LocationInfo; City, Landmark), other makers' layouts are their own, and a
// guest's copy needs none of it. A file with neither comes back untouched.
std::string exif_without_location(std::span<const std::uint8_t> payload, bool& removed) {
  std::unique_ptr<ExifData, ExifDataDeleter> data(exif_data_new());
  if (!data) return {};
  // Keep the rest of the metadata exactly as the camera wrote it.
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
  exif_data_load_data(data.get(), payload.data(), static_cast<unsigned int>(payload.size()));
  ExifContent* gps = data->ifd[EXIF_IFD_GPS];
  ExifContent* exif = data->ifd[EXIF_IFD_EXIF];
  ExifEntry* maker_note = exif != nullptr ? exif_content_get_entry(exif, EXIF_TAG_MAKER_NOTE) : nullptr;
  const bool has_gps = gps != nullptr && gps->count > 0;
  if (!has_gps && maker_note == nullptr) {
    removed = false;
    return std::string(reinterpret_cast<const char*>(payload.data()), payload.size());
  }
  while (gps != nullptr && gps->count > 0) exif_content_remove_entry(gps, gps->entries[0]);
  if (maker_note != nullptr) exif_content_remove_entry(exif, maker_note);
  removed = true;
  unsigned char* saved = nullptr;
  unsigned int size = 0;
  exif_data_save_data(data.get(), &saved, &size);
  std::string out;
  if (saved != nullptr && size + 2 <= 0xFFFF) out.assign(reinterpret_cast<const char*>(saved), size);
  std::free(saved);
  return out;  // empty: the rewritten block would not fit, so the segment is dropped entirely
}

constexpr std::string_view kMpf("MPF\0", 4);

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

bool is_tiff_based(const detail::ByteReader& in) {
  return in.matches(0, std::string_view("II*\0", 4)) || in.matches(0, std::string_view("MM\0*", 4)) ||
         in.matches(0, "IIRO") || in.matches(0, "IIRS") || in.matches(0, "MMOR") ||
         in.matches(0, std::string_view("IIU\0", 4));
}

}  // namespace

std::uint64_t CleanFile::size() const {
  std::uint64_t total = 0;
  for (const auto& p : pieces) total += p.size();
  return total;
}

Result<StrippedJpeg> strip_jpeg_gps(std::span<const std::uint8_t> jpeg) {
  StrippedJpeg result;
  result.head.assign("\xFF\xD8", 2);
  std::size_t end_of_segments = 2;
  const bool drop_extended_xmp = extended_xmp_must_go(jpeg);
  const bool walked =
      detail::for_each_jpeg_segment(jpeg, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
        const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
        end_of_segments = static_cast<std::size_t>(payload.data() + payload.size() - jpeg.data());
        if (marker == kApp1 && text.starts_with(kExifHeader)) {
          bool removed = false;
          const std::string exif = exif_without_location(payload, removed);
          result.removed = result.removed || removed;
          if (exif.empty()) {
            result.removed = true;
          } else {
            append_segment(result.head, marker, exif);
          }
          return true;
        }
        if (marker == kApp1 && text.starts_with(kXmpHeader) && names_gps(text)) {
          result.removed = true;  // XMP may repeat the position (exif:GPSLatitude): drop the packet
          return true;
        }
        if (marker == kApp1 && text.starts_with(kXmpExtensionHeader) && drop_extended_xmp) {
          result.removed = true;
          return true;
        }
        append_segment(result.head, marker, text);
        return true;
      });
  if (!walked) return make_error(ErrorCode::invalid_input, "not a JPEG whose segments can be read");
  result.resume_at = end_of_segments;
  return result;
}

Result<CleanFile> without_gps(std::span<const std::uint8_t> original) {
  const detail::ByteReader in(original);
  if (in.has(0, 3) && original[0] == 0xFF && original[1] == 0xD8 && original[2] == 0xFF) {
    return detail::jpeg_without_gps(original);
  }
  if (in.matches(0, "\x89PNG\r\n\x1a\n")) return detail::png_without_gps(original);
  if (in.matches(0, "RIFF") && in.matches(8, "WEBP")) return detail::webp_without_gps(original);
  if (in.matches(0, "GIF87a") || in.matches(0, "GIF89a")) return detail::gif_without_gps(original);
  if (in.matches(0, "BM")) {
    detail::PieceWriter out;  // BMP has no place for metadata: the file as it is
    out.copy(0, original.size());
    return std::move(out).finish(false);
  }
  if (is_tiff_based(in)) return detail::tiff_without_gps(original);
  if (in.matches(0, "FUJIFILMCCD-RAW")) {
    return make_error(ErrorCode::unsupported, "GPS cannot be removed from RAF files, so the original is not sent");
  }
  if (in.matches(4, "ftypcrx ")) {
    return make_error(ErrorCode::unsupported, "GPS cannot be removed from CR3 files, so the original is not sent");
  }
  return make_error(ErrorCode::unsupported,
                    "GPS cannot be removed from this kind of file, so the original is not sent");
}

std::string assemble(const CleanFile& clean, std::span<const std::uint8_t> original) {
  std::string out;
  out.reserve(static_cast<std::size_t>(clean.size()));
  for (const auto& p : clean.pieces) {
    if (p.is_held()) {
      out += p.held;
    } else if (p.offset <= original.size() && p.length <= original.size() - p.offset) {
      out.append(reinterpret_cast<const char*>(original.data() + p.offset), static_cast<std::size_t>(p.length));
    }
  }
  return out;
}

namespace detail {

void PieceWriter::copy(std::uint64_t offset, std::uint64_t length) {
  if (length == 0) return;
  if (!pieces_.empty() && !pieces_.back().is_held() && pieces_.back().offset + pieces_.back().length == offset) {
    pieces_.back().length += length;
    return;
  }
  pieces_.push_back({offset, length, {}});
}

void PieceWriter::hold(std::string_view bytes) {
  if (bytes.empty()) return;
  if (!pieces_.empty() && pieces_.back().is_held()) {
    pieces_.back().held += bytes;
    return;
  }
  pieces_.push_back({0, 0, std::string(bytes)});
}

CleanFile PieceWriter::finish(bool removed) && {
  return CleanFile{std::move(pieces_), removed};
}

Result<CleanFile> jpeg_without_gps(std::span<const std::uint8_t> bytes) {
  VK_ASSIGN_OR_RETURN(auto stripped, strip_jpeg_gps(bytes));
  // Phones write MPF files: secondary images (gain maps, depth, previews) after the first one's
  // scan, each with its own Exif. They are cleaned in place, found through the MPF header; their
  // offsets count from that header, so when the rewritten head changes the distance between the
  // header and the scan data, the header's copy in the head gets the offsets moved to match.
  std::vector<Overwrite> overwrites;
  std::optional<std::uint64_t> old_header;
  std::vector<MpfImage> images;
  for_each_jpeg_segment(bytes, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    if (marker != 0xE2 || !as_text(payload).starts_with(kMpf)) return true;
    old_header = static_cast<std::uint64_t>(payload.data() - bytes.data()) + kMpf.size();
    images = mpf_images(bytes, *old_header, payload.size() - kMpf.size());
    return false;
  });
  const auto head = as_bytes(stripped.head);
  std::optional<std::uint64_t> new_header;
  for_each_jpeg_segment(head, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    if (marker != 0xE2 || !as_text(payload).starts_with(kMpf)) return true;
    new_header = static_cast<std::uint64_t>(payload.data() - head.data()) + kMpf.size();
    return false;
  });
  // How far the scan data moves relative to the MP header (both as unsigned arithmetic mod 2^64).
  const std::uint64_t shift =
      (stripped.head.size() - stripped.resume_at) - (new_header.value_or(0) - old_header.value_or(0));
  for (const auto& image : images) {
    if (image.at < stripped.resume_at) continue;  // inside the first image's head: not a secondary image
    embedded_jpeg_overwrites(bytes, image.at, image.length, overwrites);
    const std::uint64_t field = image.offset_field - *old_header + new_header.value_or(0);
    if (shift == 0 || !new_header || field + 4 > stripped.head.size()) continue;
    const auto moved = static_cast<std::uint32_t>(image.at - *old_header + shift);
    for (int i = 0; i < 4; ++i) {
      const int byte = image.little_endian ? i : 3 - i;
      stripped.head[static_cast<std::size_t>(field) + static_cast<std::size_t>(i)] =
          static_cast<char>((moved >> (8 * byte)) & 0xFF);
    }
  }
  PieceWriter out;
  out.hold(stripped.head);
  const bool removed = stripped.removed || !overwrites.empty();
  write_with_overwrites(out, bytes, stripped.resume_at, bytes.size(), std::move(overwrites));
  return std::move(out).finish(removed);
}

bool names_gps(std::string_view text) {
  return text.find("GPS") != std::string_view::npos;
}

std::string empty_xmp_packet(std::size_t length) {
  constexpr std::string_view kOpen =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
  constexpr std::string_view kClose = "<?xpacket end=\"w\"?>";
  if (length < kOpen.size() + kClose.size()) return std::string(length, ' ');
  std::string packet(kOpen);
  packet.append(length - kOpen.size() - kClose.size(), ' ');
  packet += kClose;
  return packet;
}

}  // namespace detail
}  // namespace vk::image
