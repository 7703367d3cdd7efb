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
  const bool printable =
      std::all_of(text.begin(), text.end(), [](char c) { return std::isprint(static_cast<unsigned char>(c)) != 0; });
  if (text.empty() || !printable) return std::nullopt;
  return text;
}

// A free-text tag written by people (Artist, Copyright): UTF-8 in practice, whatever EXIF says
// about ASCII. Up to the first NUL, invalid UTF-8 and control characters dropped, spaces
// trimmed, at most kMaxNameBytes on a character boundary.
constexpr std::size_t kMaxNameBytes = 64;

// Length of the UTF-8 sequence starting at s[i], 0 when it is not a valid one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string clean_name(std::string_view raw) {
  raw = raw.substr(0, raw.find('\0'));
  std::string out;
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t n = utf8_length(raw, i);
    if (n == 0) {
      ++i;
      continue;
    }
    const auto b = static_cast<unsigned char>(raw[i]);
    if (n == 1 && (b < 0x20 || b == 0x7F)) {
      out += ' ';
    } else {
      if (out.size() + n > kMaxNameBytes) break;
      out.append(raw.substr(i, n));
    }
    i += n;
  }
  return trim(out);
}

std::optional<std::string> text_value(ExifEntry* entry) {
  if (entry == nullptr || entry->data == nullptr || entry->size == 0) return std::nullopt;
  if (entry->format != EXIF_FORMAT_ASCII && entry->format != EXIF_FORMAT_UNDEFINED && entry->format != EXIF_FORMAT_BYTE)
    return std::nullopt;
  return person_name({reinterpret_cast<const char*>(entry->data), entry->size});
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

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

}  // namespace

std::optional<std::string> person_name(std::string_view text) {
  std::string name = clean_name(text);
  if (name.empty()) return std::nullopt;
  return name;
}

std::string copyright_owner(std::string_view copyright) {
  // EXIF: "photographer copyright NUL editor copyright"; only the photographer's part is ours.
  std::string text = clean_name(copyright);
  std::string_view rest = text;
  auto skip_space = [&] {
    while (!rest.empty() && (std::isspace(static_cast<unsigned char>(rest.front())) || rest.front() == ',' ||
                             rest.front() == ':' || rest.front() == '-' || rest.front() == '.'))
      rest.remove_prefix(1);
  };
  // Leading words and marks, in any order: "Copyright (c) 2025-2026 by Jane Doe".
  for (bool again = true; again;) {
    again = false;
    skip_space();
    for (std::string_view word : {std::string_view{"copyright"}, std::string_view{"(c)"}, std::string_view{"\xC2\xA9"},
                                  std::string_view{"by "}}) {
      if (starts_with_nocase(rest, word)) {
        rest.remove_prefix(word.size());
        again = true;
      }
    }
    std::size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == 4) {
      rest.remove_prefix(digits);
      again = true;
    }
  }
  // A trailing "All rights reserved." (and the punctuation before it).
  std::string owner(rest);
  std::string lower = owner;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (const auto at = lower.rfind("all rights reserved"); at != std::string::npos) owner.resize(at);
  while (!owner.empty() && (std::isspace(static_cast<unsigned char>(owner.back())) || owner.back() == ',' ||
                            owner.back() == '.' || owner.back() == ';' || owner.back() == '-'))
    owner.pop_back();
  return owner;
}

std::optional<int> read_xmp_rating(std::span<const std::uint8_t> jpeg_bytes) {
  constexpr std::string_view kXmpSignature{"http://ns.adobe.com/xap/1.0/\0", 29};
  auto xmp = find_app1(jpeg_bytes, kXmpSignature);
  if (xmp.empty()) return std::nullopt;
  const std::string_view text(reinterpret_cast<const char*>(xmp.data()), xmp.size());
  // Both serialisations occur in camera files: an attribute and an element.
  for (std::string_view key :
       {std::string_view{"xmp:Rating=\""}, std::string_view{"xmp:Rating='"}, std::string_view{"<xmp:Rating>"}}) {
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
  meta.photographer = text_value(exif_content_get_entry(ifd0, EXIF_TAG_ARTIST));
  if (!meta.photographer) {
    if (auto copyright = text_value(exif_content_get_entry(ifd0, EXIF_TAG_COPYRIGHT))) {
      if (auto owner = copyright_owner(*copyright); !owner.empty()) meta.photographer = std::move(owner);
    }
  }
  if (auto r = short_value(data.get(), exif_content_get_entry(ifd0, kRatingTag)); r && !meta.rating) {
    meta.rating = std::clamp(*r, 0, 5);
  }
  const ExifContent* gps = data->ifd[EXIF_IFD_GPS];
  meta.has_gps = gps != nullptr && gps->count > 0;
  return meta;
}

}  // namespace vk::image
