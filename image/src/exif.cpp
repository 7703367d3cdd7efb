// Metadata through libexif, fed only the APP1 "Exif" payload we locate ourselves, so libexif
// never scans pixel data. libexif's default options drop tags it does not know (the Rating
// tag 0x4746 among them) and "fix" data to the spec; both are switched off: we only read.
#include "image/exif.h"

#include <libexif/exif-data.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>

#include "jpeg_segments.h"

namespace vk::image {
namespace {

struct ExifDataDeleter {
  void operator()(ExifData* data) const { exif_data_unref(data); }
};
using ExifDataPtr = std::unique_ptr<ExifData, ExifDataDeleter>;

constexpr auto kRatingTag = static_cast<ExifTag>(0x4746);  // Microsoft/EXIF 2.x "Rating", IFD0

std::span<const std::uint8_t> find_app1(std::span<const std::uint8_t> jpeg, std::string_view signature) {
  std::span<const std::uint8_t> found;
  detail::for_each_jpeg_segment(jpeg, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    if (marker != 0xE1 || payload.size() < signature.size()) return true;
    if (!std::equal(signature.begin(), signature.end(), payload.begin())) return true;
    found = payload;
    return false;
  });
  return found;
}

std::optional<std::string> ascii_value(ExifEntry* entry) {
  if (entry == nullptr || entry->format != EXIF_FORMAT_ASCII || entry->data == nullptr) return std::nullopt;
  std::string text(reinterpret_cast<const char*>(entry->data), entry->size);
  text.erase(std::find(text.begin(), text.end(), '\0'), text.end());
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
    return std::isprint(static_cast<unsigned char>(c)) != 0;
  });
  if (text.empty() || !printable) return std::nullopt;
  return text;
}

std::optional<int> short_value(ExifData* data, ExifEntry* entry) {
  if (entry == nullptr || entry->data == nullptr || entry->components < 1) return std::nullopt;
  const ExifByteOrder order = exif_data_get_byte_order(data);
  if (entry->format == EXIF_FORMAT_SHORT && entry->size >= 2) return exif_get_short(entry->data, order);
  if (entry->format == EXIF_FORMAT_LONG && entry->size >= 4) return static_cast<int>(exif_get_long(entry->data, order));
  return std::nullopt;
}

// "2026:06:14 15:02:11" -> "2026-06-14T15:02:11"; anything else (including the
// "0000:00:00 00:00:00" of cameras with no clock set) -> nullopt.
std::optional<std::string> iso_time(const std::optional<std::string>& exif_time) {
  if (!exif_time || exif_time->size() < 19) return std::nullopt;
  std::string t = exif_time->substr(0, 19);
  for (std::size_t i : {4U, 7U, 10U, 13U, 16U}) {
    const char expected = i < 10 ? ':' : (i == 10 ? ' ' : ':');
    if (t[i] != expected) return std::nullopt;
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i == 4 || i == 7 || i == 10 || i == 13 || i == 16) continue;
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  }
  if (t.starts_with("0000")) return std::nullopt;
  t[4] = '-';
  t[7] = '-';
  t[10] = 'T';
  return t;
}

}  // namespace

std::optional<int> read_xmp_rating(std::span<const std::uint8_t> jpeg_bytes) {
  constexpr std::string_view kXmpSignature{"http://ns.adobe.com/xap/1.0/\0", 29};
  auto xmp = find_app1(jpeg_bytes, kXmpSignature);
  if (xmp.empty()) return std::nullopt;
  const std::string_view text(reinterpret_cast<const char*>(xmp.data()), xmp.size());
  // Both serialisations occur in camera files: an attribute and an element.
  for (std::string_view key : {std::string_view{"xmp:Rating=\""}, std::string_view{"xmp:Rating='"},
                               std::string_view{"<xmp:Rating>"}}) {
    const auto at = text.find(key);
    if (at == std::string_view::npos) continue;
    const std::size_t digit = at + key.size();
    std::size_t end = digit;
    if (end < text.size() && text[end] == '-') ++end;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) && end - digit < 3) ++end;
    const std::string_view number = text.substr(digit, end - digit);
    if (number.empty() || number == "-") return std::nullopt;
    const int value = std::stoi(std::string(number));
    // -1 is "rejected" in XMP; we treat it as no stars.
    return std::clamp(value, 0, 5);
  }
  return std::nullopt;
}

PhotoMetadata read_metadata(std::span<const std::uint8_t> jpeg_bytes) {
  PhotoMetadata meta;
  meta.rating = read_xmp_rating(jpeg_bytes);
  auto app1 = find_app1(jpeg_bytes, std::string_view{"Exif\0\0", 6});
  if (app1.empty()) return meta;

  ExifDataPtr data(exif_data_new());
  if (!data) return meta;
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_load_data(data.get(), app1.data(), static_cast<unsigned int>(app1.size()));

  ExifContent* ifd0 = data->ifd[EXIF_IFD_0];
  ExifContent* exif = data->ifd[EXIF_IFD_EXIF];
  if (auto o = short_value(data.get(), exif_content_get_entry(ifd0, EXIF_TAG_ORIENTATION)); o && *o >= 1 && *o <= 8) {
    meta.orientation = *o;
  }
  meta.captured_at = iso_time(ascii_value(exif_content_get_entry(exif, EXIF_TAG_DATE_TIME_ORIGINAL)));
  meta.camera_make = ascii_value(exif_content_get_entry(ifd0, EXIF_TAG_MAKE));
  meta.camera_model = ascii_value(exif_content_get_entry(ifd0, EXIF_TAG_MODEL));
  if (auto r = short_value(data.get(), exif_content_get_entry(ifd0, kRatingTag)); r && !meta.rating) {
    meta.rating = std::clamp(*r, 0, 5);
  }
  const ExifContent* gps = data->ifd[EXIF_IFD_GPS];
  meta.has_gps = gps != nullptr && gps->count > 0;
  return meta;
}

}  // namespace vk::image
