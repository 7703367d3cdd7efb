#include "jpeg_segments.h"

#include "byte_reader.h"

namespace vk::image::detail {

bool for_each_jpeg_segment(std::span<const std::uint8_t> bytes,
                           const std::function<bool(std::uint8_t, std::span<const std::uint8_t>)>& visit) {
  const ByteReader in(bytes);
  if (in.be(0, 2) != 0xFFD8u) return false;
  std::size_t at = 2;
  while (true) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    auto ff = in.u8(at);
    if (!ff || *ff != 0xFF) return false;
    while (in.u8(at) == 0xFF) ++at;
    auto marker = in.u8(at);
    if (!marker) return false;
    ++at;
    if (*marker == 0xD9 || *marker == 0xDA) return true;   // EOI or start of scan: headers are over
    if (*marker == 0x01 || (*marker >= 0xD0 && *marker <= 0xD7)) continue;  // no length field
    auto length = in.be(at, 2);
    if (!length || *length < 2 || !in.has(at, *length)) return false;
    if (!visit(*marker, bytes.subspan(at + 2, *length - 2))) return true;
    at += *length;
  }
}

}  // namespace vk::image::detail
