// PNG's chunk structure, walked once for everyone who must not trust it: the decoder checks a
// file is whole before SDL2_image sees it, and the GPS cleaner rewrites chunks on the way.
// Internal to image/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "byte_reader.h"
#include "vk/result.h"

namespace vk::image::detail {

inline constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

// One chunk as it lies in the file: length, type, data, CRC.
struct PngChunk {
  std::size_t at = 0;    // offset of its length field
  std::size_t size = 0;  // length field to CRC inclusive (12 + data.size())
  std::string_view type;
  std::span<const std::uint8_t> data;
};

// Calls `visit(const PngChunk&)` for every chunk after the signature, IEND included, and
// answers the offset just past IEND (bytes after it are no part of the image). Every chunk
// must lie inside `bytes`: a file cut short is `truncated`, a length over 2^31-1 (the PNG
// limit) `invalid_input`. The signature itself is the caller's to check.
template <typename Visit>
Result<std::size_t> walk_png_chunks(std::span<const std::uint8_t> bytes, Visit&& visit) {
  const ByteReader in(bytes);
  std::size_t at = kPngSignature.size();
  while (true) {
    const auto length = in.be(at, 4);
    if (!length || !in.has(at + 4, 4)) return make_error(ErrorCode::truncated, "PNG: a chunk header is cut short");
    if (*length > 0x7FFFFFFFu) return make_error(ErrorCode::invalid_input, "PNG: a chunk length is out of range");
    if (!in.has(at + 8, std::size_t{*length} + 4))
      return make_error(ErrorCode::truncated, "PNG: a chunk runs past the end");
    const PngChunk chunk{at, 12 + std::size_t{*length},
                         std::string_view(reinterpret_cast<const char*>(bytes.data() + at + 4), 4),
                         bytes.subspan(at + 8, *length)};
    visit(chunk);
    at += chunk.size;
    if (chunk.type == "IEND") return at;
  }
}

}  // namespace vk::image::detail
