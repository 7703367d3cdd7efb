#include "image/strip.h"

#include <libexif/exif-data.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "jpeg_segments.h"

namespace vk::image {
namespace {

constexpr std::uint8_t kApp1 = 0xE1;
constexpr std::string_view kExifHeader("Exif\0\0", 6);
constexpr std::string_view kXmpHeader("http://ns.adobe.com/xap/1.0/\0", 29);

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

// The Exif payload without its GPS IFD, or nullopt-like empty when the whole segment should go.
std::string exif_without_gps(std::span<const std::uint8_t> payload, bool& removed) {
  std::unique_ptr<ExifData, ExifDataDeleter> data(exif_data_new());
  if (!data) return {};
  // Keep the rest of the metadata exactly as the camera wrote it; only drop GPS.
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
  exif_data_load_data(data.get(), payload.data(), static_cast<unsigned int>(payload.size()));
  ExifContent* gps = data->ifd[EXIF_IFD_GPS];
  if (gps == nullptr || gps->count == 0) {
    removed = false;
    return std::string(reinterpret_cast<const char*>(payload.data()), payload.size());
  }
  while (gps->count > 0) exif_content_remove_entry(gps, gps->entries[0]);
  removed = true;
  unsigned char* saved = nullptr;
  unsigned int size = 0;
  exif_data_save_data(data.get(), &saved, &size);
  std::string out;
  if (saved != nullptr && size + 2 <= 0xFFFF) out.assign(reinterpret_cast<const char*>(saved), size);
  std::free(saved);
  return out;  // empty: the rewritten block would not fit, so the segment is dropped entirely
}

}  // namespace

Result<StrippedJpeg> strip_jpeg_gps(std::span<const std::uint8_t> jpeg) {
  StrippedJpeg result;
  result.head.assign("\xFF\xD8", 2);
  std::size_t end_of_segments = 2;
  const bool walked = detail::for_each_jpeg_segment(jpeg, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    end_of_segments = static_cast<std::size_t>(payload.data() + payload.size() - jpeg.data());
    if (marker == kApp1 && text.starts_with(kExifHeader)) {
      bool removed = false;
      const std::string exif = exif_without_gps(payload, removed);
      result.removed = result.removed || removed;
      if (exif.empty()) {
        result.removed = true;
      } else {
        append_segment(result.head, marker, exif);
      }
      return true;
    }
    if (marker == kApp1 && text.starts_with(kXmpHeader) && text.find("GPS") != std::string_view::npos) {
      result.removed = true;  // XMP may repeat the position (exif:GPSLatitude): drop the packet
      return true;
    }
    append_segment(result.head, marker, text);
    return true;
  });
  if (!walked) return make_error(ErrorCode::invalid_input, "not a JPEG whose segments can be read");
  result.resume_at = end_of_segments;
  return result;
}

}  // namespace vk::image
