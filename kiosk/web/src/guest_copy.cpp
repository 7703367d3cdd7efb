#include "guest_copy.h"

namespace vk::web {

GuestCopy guest_copy(const MappedFile& file, bool strip_gps) {
  if (!file.load()) return {CopyFault::unreadable, {}};
  if (!strip_gps) {
    GuestCopy whole;
    if (!file.bytes().empty()) whole.clean.pieces.push_back({0, file.bytes().size(), {}});
    return whole;
  }
  auto clean = image::without_gps(file.bytes());
  if (!clean) return {CopyFault::location_kept, {}};
  return {CopyFault::none, std::move(*clean)};
}

}  // namespace vk::web
