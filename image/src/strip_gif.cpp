// GPS out of GIF: the only place a GIF carries a position is an XMP application extension
// ("XMP DataXMP"), dropped whole when it names GPS. The blocks are walked to the trailer;
// everything else goes out as runs of the original, and bytes after the trailer are not sent.
#include <optional>
#include <string_view>

#include "byte_reader.h"
#include "strip_internal.h"

namespace vk::image::detail {
namespace {

// Past the data sub-blocks starting at `at` (each a length byte and that many bytes, ended by
// a zero length); nullopt when they run past the end.
std::optional<std::size_t> skip_sub_blocks(const ByteReader& in, std::size_t at) {
  while (true) {
    const auto length = in.u8(at);
    if (!length) return std::nullopt;
    ++at;
    if (*length == 0) return at;
    if (!in.has(at, *length)) return std::nullopt;
    at += *length;
  }
}

Error cut_short() {
  return make_error(ErrorCode::truncated, "GIF: a block runs past the end");
}

}  // namespace

Result<CleanFile> gif_without_gps(std::span<const std::uint8_t> bytes) {
  const ByteReader in(bytes);
  const auto flags = in.u8(10);
  if (!flags || !in.has(0, 13)) return cut_short();
  std::size_t at = 13;
  if (*flags & 0x80) at += 3 * (std::size_t{1} << ((*flags & 7) + 1));  // global colour table
  PieceWriter out;
  out.copy(0, at);
  bool removed = false;
  while (true) {
    const auto introducer = in.u8(at);
    if (!introducer) return cut_short();
    const std::size_t start = at;
    if (*introducer == 0x3B) {  // trailer
      out.copy(at, 1);
      ++at;
      break;
    }
    if (*introducer == 0x21) {  // extension: label, then sub-blocks
      if (!in.has(at, 2)) return cut_short();
      const bool xmp = in.u8(at + 1) == 0xFF && in.u8(at + 2) == 11 && in.matches(at + 3, "XMP DataXMP");
      const auto end = skip_sub_blocks(in, at + 2);
      if (!end) return cut_short();
      at = *end;
      const std::string_view block(reinterpret_cast<const char*>(bytes.data() + start), at - start);
      if (xmp && names_gps(block)) {
        removed = true;
        continue;
      }
    } else if (*introducer == 0x2C) {  // image: descriptor, local colour table, LZW code size, data
      const auto local = in.u8(at + 9);
      if (!local) return cut_short();
      at += 10;
      if (*local & 0x80) at += 3 * (std::size_t{1} << ((*local & 7) + 1));
      if (!in.has(at, 1)) return cut_short();
      const auto end = skip_sub_blocks(in, at + 1);
      if (!end) return cut_short();
      at = *end;
    } else {
      return make_error(ErrorCode::invalid_input, "GIF: an unknown block");
    }
    out.copy(start, at - start);
  }
  if (at < bytes.size()) removed = true;
  return std::move(out).finish(removed);
}

}  // namespace vk::image::detail
