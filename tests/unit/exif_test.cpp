#include "image/exif.h"

#include <catch2/catch.hpp>

#include "fixtures.h"

using namespace vk::image;
namespace fx = vk::fixtures;

TEST_CASE("metadata: capture time - camera - rating and GPS presence", "[exif]") {
  const auto jpeg = fx::make_jpeg({.exif = {.orientation = 3,
                                            .gps = true,
                                            .datetime_original = "2026:06:14 15:02:11",
                                            .make = "Canon",
                                            .model = "Canon EOS R6",
                                            .rating = 4}});
  const PhotoMetadata meta = read_metadata(jpeg);
  CHECK(meta.orientation == 3);
  CHECK(meta.captured_at == "2026-06-14T15:02:11");
  CHECK(meta.camera_make == "Canon");
  CHECK(meta.camera_model == "Canon EOS R6");
  CHECK(meta.rating == 4);
  CHECK(meta.has_gps);
}

TEST_CASE("metadata: the photographer is EXIF Artist, else the owner in EXIF Copyright", "[exif]") {
  // What a Nikon or Canon body writes with its "artist" and "copyright" settings filled in.
  auto both = read_metadata(fx::make_jpeg(
      {.exif = {.make = "NIKON CORPORATION", .artist = "Jane Doe", .copyright = "Jane Doe Photography"}}));
  CHECK(both.photographer == "Jane Doe");
  // Only a copyright (some bodies have no artist field): its owner, without the decoration.
  auto copyright_only =
      read_metadata(fx::make_jpeg({.exif = {.copyright = "(c) 2026 Jane Doe. All rights reserved."}}));
  CHECK(copyright_only.photographer == "Jane Doe");
  // Padded with spaces, UTF-8 (cameras take ASCII, desktop tools write UTF-8).
  auto padded = read_metadata(fx::make_jpeg({.exif = {.artist = "  Zoë Ångström      "}}));
  CHECK(padded.photographer == "Zoë Ångström");
  // Blank fields are no photographer.
  auto blank = read_metadata(fx::make_jpeg({.exif = {.artist = "    ", .copyright = "Copyright 2026"}}));
  CHECK_FALSE(blank.photographer.has_value());
  CHECK_FALSE(read_metadata(fx::make_jpeg({})).photographer.has_value());
}

TEST_CASE("metadata: the owner named in a copyright notice", "[exif]") {
  CHECK(copyright_owner("Jane Doe") == "Jane Doe");
  CHECK(copyright_owner("Copyright 2026 Jane Doe") == "Jane Doe");
  CHECK(copyright_owner("\xC2\xA9 2025-2026 Studio Nord") == "Studio Nord");
  CHECK(copyright_owner("Copyright (C) by Jane Doe, all rights reserved") == "Jane Doe");
  CHECK(copyright_owner(std::string_view("Jane Doe\0Editor Ltd", 19)) == "Jane Doe");  // photographer part only
  CHECK(copyright_owner("Byron Lee") == "Byron Lee");
  CHECK(copyright_owner("All rights reserved").empty());
  CHECK(copyright_owner("\x01\x02\xFF").empty());
}

TEST_CASE("metadata: absent EXIF gives defaults", "[exif]") {
  const PhotoMetadata meta = read_metadata(fx::make_jpeg({}));
  CHECK(meta.orientation == 1);
  CHECK_FALSE(meta.captured_at.has_value());
  CHECK_FALSE(meta.camera_make.has_value());
  CHECK_FALSE(meta.rating.has_value());
  CHECK_FALSE(meta.has_gps);
}

TEST_CASE("metadata: a camera with no clock set has no capture time", "[exif]") {
  const PhotoMetadata meta = read_metadata(fx::make_jpeg({.exif = {.datetime_original = "0000:00:00 00:00:00"}}));
  CHECK_FALSE(meta.captured_at.has_value());
}

TEST_CASE("metadata: XMP rating as cameras write it", "[exif]") {
  auto jpeg = fx::make_jpeg({});
  // One literal with its NUL separator (the s suffix keeps it): GCC 12 warns falsely on
  // std::string concatenation at -O2 (GCC bug 105329).
  using namespace std::string_literals;
  const std::string xmp = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description xmp:Rating=\"5\"/></x:xmpmeta>"s;
  std::vector<std::uint8_t> segment = {0xFF, 0xE1, static_cast<std::uint8_t>((xmp.size() + 2) >> 8),
                                       static_cast<std::uint8_t>((xmp.size() + 2) & 0xFF)};
  segment.insert(segment.end(), xmp.begin(), xmp.end());
  jpeg.insert(jpeg.begin() + 2, segment.begin(), segment.end());
  CHECK(read_xmp_rating(jpeg) == 5);
  CHECK(read_metadata(jpeg).rating == 5);
}

TEST_CASE("metadata: garbage never crashes and yields defaults", "[exif]") {
  for (std::uint32_t seed = 1; seed < 50; ++seed) {
    auto bytes = fx::make_random_bytes(2048, seed);
    bytes[0] = 0xFF;
    bytes[1] = 0xD8;
    bytes[2] = 0xFF;
    bytes[3] = 0xE1;
    const PhotoMetadata meta = read_metadata(bytes);
    CHECK(meta.orientation >= 1);
    CHECK(meta.orientation <= 8);
  }
}
