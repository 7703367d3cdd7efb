// GPS out of WebP: the RIFF chunks are walked once to decide, then written. The EXIF chunk is a
// TIFF structure whose GPS IFD is emptied in place (same size); an XMP chunk naming GPS is
// dropped, and then the RIFF size and VP8X's EXIF/XMP flags are rewritten to match. Image data
// chunks go out as runs of the original.
#include <algorithm>
#include <optional>
#include <string_view>

#include "byte_reader.h"
#include "strip_internal.h"

namespace vk::image::detail {
namespace {

constexpr std::string_view kExifHeader("Exif\0\0", 6);
constexpr std::uint8_t kFlagExif = 0x08;
constexpr std::uint8_t kFlagXmp = 0x04;

void put_le32(std::string& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xFF);
}

enum class Action { keep, drop, rewrite };

struct Chunk {
  std::size_t at = 0;      // its header
  std::size_t padded = 0;  // header + payload + pad byte
  std::string_view fourcc;
  Action action = Action::keep;
  std::string payload;  // for rewrite
};

}  // namespace

Result<CleanFile> webp_without_gps(std::span<const std::uint8_t> bytes) {
  const ByteReader in(bytes);
  const auto riff_size = in.le(4, 4);
  if (!riff_size || *riff_size < 4) return make_error(ErrorCode::invalid_input, "WebP: the RIFF header is damaged");
  const std::size_t riff_end = 8 + std::size_t{*riff_size};
  if (riff_end > bytes.size()) return make_error(ErrorCode::truncated, "WebP: the file is shorter than its RIFF size");

  std::vector<Chunk> chunks;
  bool exif_dropped = false, xmp_dropped = false, removed = riff_end < bytes.size();
  for (std::size_t at = 12; at < riff_end;) {
    const auto size = in.le(at + 4, 4);
    if (!size || at + 8 > riff_end) return make_error(ErrorCode::truncated, "WebP: a chunk header is cut short");
    const std::size_t padded = 8 + std::size_t{*size} + (*size & 1);
    if (std::size_t{*size} > riff_end - at - 8)
      return make_error(ErrorCode::truncated, "WebP: a chunk runs past the end");
    // A missing pad byte on the very last chunk is common enough in the wild to accept.
    Chunk c{
        at, std::min(padded, riff_end - at), {reinterpret_cast<const char*>(bytes.data() + at), 4}, Action::keep, {}};
    const auto payload = bytes.subspan(at + 8, *size);
    if (c.fourcc == "EXIF") {
      const std::size_t skip =
          std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()).starts_with(kExifHeader)
              ? kExifHeader.size()
              : 0;
      auto list = tiff_gps_overwrites(payload.subspan(skip));
      if (!list) {
        c.action = Action::drop;  // an Exif block we cannot walk may hold GPS
      } else if (!list->empty()) {
        for (auto& o : *list) o.offset += skip;
        c.action = Action::rewrite;
        c.payload = apply_overwrites(payload, *list);
      }
      exif_dropped = exif_dropped || c.action == Action::drop;
    } else if (c.fourcc == "XMP " || c.fourcc == std::string_view("XMP\0", 4)) {  // ImageMagick 6 writes "XMP\0"
      if (names_gps({reinterpret_cast<const char*>(payload.data()), payload.size()})) c.action = Action::drop;
      xmp_dropped = xmp_dropped || c.action == Action::drop;
    }
    removed = removed || c.action != Action::keep;
    chunks.push_back(std::move(c));
    at += padded;
  }

  PieceWriter out;
  std::uint64_t new_size = 4;
  for (const auto& c : chunks) new_size += c.action == Action::drop ? 0 : c.padded;
  if (new_size == *riff_size) {
    out.copy(0, 12);
  } else {
    std::string header = "RIFF";
    put_le32(header, static_cast<std::uint32_t>(new_size));
    header += "WEBP";
    out.hold(header);
  }
  for (const auto& c : chunks) {
    if (c.action == Action::drop) continue;
    if (c.action == Action::rewrite) {
      std::string chunk(c.fourcc);
      put_le32(chunk, static_cast<std::uint32_t>(c.payload.size()));
      chunk += c.payload;
      chunk.resize(c.padded, '\0');
      out.hold(chunk);
    } else if (c.fourcc == "VP8X" && c.padded >= 9) {
      // The flags must say what is left: a reader may look for a chunk the flag promises.
      const std::uint8_t flags = bytes[c.at + 8];
      std::uint8_t fixed = flags;
      const auto left = [&](std::string_view fourcc) {
        return std::any_of(chunks.begin(), chunks.end(),
                           [&](const Chunk& k) { return k.fourcc == fourcc && k.action != Action::drop; });
      };
      if (exif_dropped && !left("EXIF")) fixed &= static_cast<std::uint8_t>(~kFlagExif);
      if (xmp_dropped && !left("XMP ") && !left(std::string_view("XMP\0", 4)))
        fixed &= static_cast<std::uint8_t>(~kFlagXmp);
      if (fixed == flags) {
        out.copy(c.at, c.padded);
      } else {
        std::string chunk(reinterpret_cast<const char*>(bytes.data() + c.at), c.padded);
        chunk[8] = static_cast<char>(fixed);
        out.hold(chunk);
        removed = true;
      }
    } else {
      out.copy(c.at, c.padded);
    }
  }
  return std::move(out).finish(removed);
}

}  // namespace vk::image::detail
