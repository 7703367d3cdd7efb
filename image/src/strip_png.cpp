// GPS out of PNG: chunks are walked to IEND (metadata may follow the image data), and only
// the chunks that can carry a position are touched. eXIf is a TIFF structure whose GPS IFD is
// emptied in place (its CRC recomputed); XMP and ImageMagick's "Raw profile type ..." text
// chunks cannot be edited safely, so they are dropped whole when they carry GPS or cannot be
// read, and so are text chunks whose keyword names GPS (ImageMagick writes "exif:GPSLatitude"
// and "xmp:GPSLatitude" as tEXt of their own). Everything else, pixels included, goes out as
// runs of the original.
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "png_chunks.h"
#include "strip_internal.h"

namespace vk::image::detail {
namespace {

constexpr std::string_view kExifHeader("Exif\0\0", 6);
// Text chunks are metadata, not pixels: a megabyte-scale XMP is already unusual, so anything
// that inflates past this is treated as unreadable (and dropped), never as a reason to allocate.
constexpr std::size_t kMaxTextBytes = 16 * 1024 * 1024;

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// zlib stream -> text, bounded. nullopt when damaged or too large.
std::optional<std::string> inflate_bounded(std::string_view compressed) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  int status = Z_OK;
  while (status == Z_OK) {
    if (out.size() >= kMaxTextBytes) break;
    const std::size_t before = out.size();
    out.resize(std::min(kMaxTextBytes, before + 64 * 1024));
    z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
    z.avail_out = static_cast<uInt>(out.size() - before);
    status = inflate(&z, Z_NO_FLUSH);
    out.resize(out.size() - z.avail_out);
  }
  inflateEnd(&z);
  if (status != Z_STREAM_END) return std::nullopt;
  return out;
}

struct TextChunk {
  std::string keyword;
  std::optional<std::string> text;  // nullopt: could not be read
};

// tEXt: keyword NUL text; zTXt: keyword NUL method zlib; iTXt: keyword NUL flag method
// language NUL translated NUL text (zlib when flag is 1).
std::optional<TextChunk> read_text_chunk(std::string_view type, std::string_view data) {
  const auto nul = data.find('\0');
  if (nul == std::string_view::npos || nul > 79) return std::nullopt;
  TextChunk chunk{std::string(data.substr(0, nul)), std::nullopt};
  std::string_view rest = data.substr(nul + 1);
  if (type == "tEXt") {
    chunk.text = std::string(rest);
  } else if (type == "zTXt") {
    if (!rest.empty()) chunk.text = inflate_bounded(rest.substr(1));
  } else {
    if (rest.size() < 2) return chunk;
    const bool compressed = rest[0] == 1;
    rest.remove_prefix(2);
    for (int skip = 0; skip < 2; ++skip) {  // language tag, translated keyword
      const auto end = rest.find('\0');
      if (end == std::string_view::npos) return chunk;
      rest.remove_prefix(end + 1);
    }
    chunk.text = compressed ? inflate_bounded(rest) : std::optional<std::string>(std::string(rest));
  }
  return chunk;
}

// ImageMagick's "Raw profile type NAME": "\nNAME\n   LENGTH\nHEX..." -> the profile's bytes.
std::optional<std::string> decode_raw_profile(std::string_view text) {
  std::size_t at = 0;
  const auto skip_space = [&] {
    while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  };
  skip_space();
  while (at < text.size() && !std::isspace(static_cast<unsigned char>(text[at]))) ++at;  // the name
  skip_space();
  std::size_t length = 0;
  bool digits = false;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
    length = length * 10 + static_cast<std::size_t>(text[at++] - '0');
    digits = true;
    if (length > kMaxTextBytes) return std::nullopt;
  }
  if (!digits) return std::nullopt;
  std::string out;
  out.reserve(length);
  int high = -1;
  for (; at < text.size() && out.size() < length; ++at) {
    const char c = text[at];
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10);
    if (high < 0) {
      high = v;
    } else {
      out += static_cast<char>(high * 16 + v);
      high = -1;
    }
  }
  if (out.size() != length) return std::nullopt;
  return out;
}

// Whether Exif bytes (a TIFF structure, with or without the JPEG "Exif\0\0" prefix) hold GPS.
// Unreadable counts as yes: we cannot vouch for it.
bool exif_has_gps(std::string_view exif) {
  if (exif.starts_with(kExifHeader)) exif.remove_prefix(kExifHeader.size());
  const auto list = tiff_gps_overwrites({reinterpret_cast<const std::uint8_t*>(exif.data()), exif.size()});
  return !list || !list->empty();
}

// Whether a text chunk must go: XMP naming GPS, a raw profile carrying GPS, or either unreadable.
bool text_chunk_carries_gps(std::string_view type, std::string_view data) {
  const auto chunk = read_text_chunk(type, data);
  if (!chunk) return false;  // not a well-formed text chunk: no keyword we act on
  std::string keyword = chunk->keyword;
  std::transform(keyword.begin(), keyword.end(), keyword.begin(), [](unsigned char c) { return std::tolower(c); });
  // ImageMagick copies each Exif/XMP property into a chunk of its own ("exif:GPSLatitude").
  if (keyword.find("gps") != std::string::npos) return true;
  if (keyword == "xml:com.adobe.xmp") return !chunk->text || names_gps(*chunk->text);
  if (!keyword.starts_with("raw profile type ")) return false;
  if (!chunk->text) return true;
  const auto profile = decode_raw_profile(*chunk->text);
  if (!profile) return true;
  const std::string_view bytes(*profile);
  if (bytes.starts_with(kExifHeader) || bytes.starts_with(std::string_view("II*\0", 4)) ||
      bytes.starts_with(std::string_view("MM\0*", 4))) {
    return exif_has_gps(bytes);
  }
  return names_gps(bytes);  // XMP (or an APP1 carrying XMP)
}

std::string make_chunk(std::string_view type, std::string_view data) {
  std::string chunk;
  const auto put32 = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) chunk += static_cast<char>((v >> shift) & 0xFF);
  };
  put32(static_cast<std::uint32_t>(data.size()));
  chunk += type;
  chunk += data;
  uLong crc = crc32(0, nullptr, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(chunk.data() + 4), static_cast<uInt>(chunk.size() - 4));
  put32(static_cast<std::uint32_t>(crc));
  return chunk;
}

}  // namespace

Result<CleanFile> png_without_gps(std::span<const std::uint8_t> bytes) {
  PieceWriter out;
  out.copy(0, kPngSignature.size());
  bool removed = false;
  const auto clean_chunk = [&](const PngChunk& chunk) {
    if (chunk.type == "eXIf") {
      const std::size_t skip = as_text(chunk.data).starts_with(kExifHeader) ? kExifHeader.size() : 0;
      auto list = tiff_gps_overwrites(chunk.data.subspan(skip));
      if (!list) {
        removed = true;  // an Exif block we cannot walk: it goes, since it may hold GPS
      } else if (list->empty()) {
        out.copy(chunk.at, chunk.size);
      } else {
        for (auto& o : *list) o.offset += skip;
        out.hold(make_chunk(chunk.type, apply_overwrites(chunk.data, *list)));
        removed = true;
      }
    } else if ((chunk.type == "tEXt" || chunk.type == "zTXt" || chunk.type == "iTXt") &&
               text_chunk_carries_gps(chunk.type, as_text(chunk.data))) {
      removed = true;
    } else {
      out.copy(chunk.at, chunk.size);
    }
  };
  VK_ASSIGN_OR_RETURN(const std::size_t end, walk_png_chunks(bytes, clean_chunk));
  if (end < bytes.size()) removed = true;  // bytes after IEND are no part of the image: not sent
  return std::move(out).finish(removed);
}

}  // namespace vk::image::detail
