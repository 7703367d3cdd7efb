// How the RAW reader's answers cross the pipe: one encode/decode pair per answer type.
#pragma once

#include <cstdint>
#include <vector>

#include "isolated.h"
#include "raw_reader.h"

namespace vk::image::detail {

inline std::vector<std::uint8_t> encode(const RawHeader& h) {
  WireWriter w;
  w.u32(static_cast<std::uint32_t>(h.kind));
  w.u32(static_cast<std::uint32_t>(h.sensor.width));
  w.u32(static_cast<std::uint32_t>(h.sensor.height));
  w.u32(static_cast<std::uint32_t>(h.orientation));
  w.str(h.make);
  w.str(h.model);
  w.str(h.captured_at);
  w.str(h.artist);
  return std::move(w.out);
}

inline void decode(WireReader& r, RawHeader& h) {
  h.kind = static_cast<RawKind>(r.u32());
  h.sensor.width = static_cast<int>(r.u32());
  h.sensor.height = static_cast<int>(r.u32());
  h.orientation = static_cast<int>(r.u32());
  h.make = r.str();
  h.model = r.str();
  h.captured_at = r.str();
  h.artist = r.str();
}

inline std::vector<std::uint8_t> encode(const RawPreview& p) {
  WireWriter w;
  w.u32(static_cast<std::uint32_t>(p.orientation));
  w.bytes(p.jpeg);
  return std::move(w.out);
}

inline void decode(WireReader& r, RawPreview& p) {
  p.orientation = static_cast<int>(r.u32());
  p.jpeg = r.bytes();
}

}  // namespace vk::image::detail
