// image::without_gps against real files: PNG, WebP, GIF, TIFF and DNG written by ImageMagick
// and given a position by exiftool, the way a photo editor or a phone would. After cleaning,
// exiftool must find no GPS anywhere, the pixels must decode the same, and the rest of the
// metadata (camera model, orientation) must still be there where the format keeps it. Then
// hostile inputs: truncations, offsets past the end, IFD cycles, random damage.
#include "image/strip.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstring>
#include <fstream>
#include <random>

#include "fixtures.h"
#include "image/decode.h"
#include "image/probe.h"
#include "read_file.h"
#include "run_command.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::image;
using vk::testing::run_command;
using vk::testing::TempDir;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string sh(const std::string& command) {
  const auto r = run_command(command + " 2>&1");
  INFO(command << "\n" << r.out);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// The position, camera and orientation a phone would write; `xmp` also puts GPS in XMP.
void tag_with_gps(const std::filesystem::path& file, bool exif = true, bool xmp = true) {
  std::string args = " -q -overwrite_original -Model=TestCam";
  if (exif) {
    args += " -Orientation#=6 -GPSLatitude=48.8584 -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E";
  }
  if (xmp) args += " -XMP-exif:GPSLatitude=48.8584N -XMP-exif:GPSLongitude=2.2945E -XMP-tiff:Make=TestMaker";
  sh("exiftool" + args + " " + file.string());
}

// Every tag exiftool reads, one per line, all groups.
std::string exiftool_tags(const std::filesystem::path& file) {
  return sh("exiftool -a -G1 -s " + file.string());
}

bool mentions(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

// A real file of `format`, made by ImageMagick from the quadrant pattern.
std::filesystem::path make_image(const TempDir& dir, const std::string& name, const std::string& options = "") {
  const auto png = dir / "source.png";
  if (!std::filesystem::exists(png)) fixtures::write_file(png, fixtures::make_png(96, 64));
  const auto out = dir / name;
  sh("convert " + png.string() + " " + options + " " + out.string());
  return out;
}

std::string clean_ok(const Bytes& original, bool expect_removed = true) {
  auto clean = without_gps(original);
  INFO((clean ? std::string() : clean.error().describe()));
  REQUIRE(clean.ok());
  CHECK(clean->removed == expect_removed);
  for (const auto& p : clean->pieces) {
    CHECK(p.size() > 0);
    if (!p.is_held()) CHECK(p.offset + p.length <= original.size());
  }
  const auto bytes = assemble(*clean, original);
  CHECK(bytes.size() == clean->size());
  return bytes;
}

Image decode_all(std::span<const std::uint8_t> bytes) {
  auto info = probe(bytes);
  INFO((info ? std::string() : info.error().describe()));
  REQUIRE(info.ok());
  auto img = decode(bytes, *info, info->stored);
  INFO((img ? std::string() : img.error().describe()));
  REQUIRE(img.ok());
  return std::move(img).value();
}

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Runs without_gps on every prefix (small files) or many (large ones), and on copies with
// random bytes changed: it may refuse, but never reads outside the input (ASan), never hangs,
// and whatever pieces it returns lie inside the input.
void survives_damage(const Bytes& original) {
  const std::size_t step = std::max<std::size_t>(1, original.size() / 400);
  for (std::size_t n = 0; n < original.size(); n += step) {
    const Bytes cut(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(n));
    if (auto clean = without_gps(cut)) CHECK(assemble(*clean, cut).size() == clean->size());
  }
  std::mt19937 random(42);
  for (int round = 0; round < 300; ++round) {
    Bytes damaged = original;
    for (int i = 0; i < 4; ++i) {
      damaged[random() % damaged.size()] = static_cast<std::uint8_t>(random());
    }
    if (auto clean = without_gps(damaged)) {
      for (const auto& p : clean->pieces) {
        if (!p.is_held()) REQUIRE(p.offset + p.length <= damaged.size());
      }
    }
  }
}

}  // namespace

TEST_CASE("PNG: exif, xmp and ImageMagick's text chunks lose GPS - pixels and camera stay", "[image][strip]") {
  TempDir dir;
  const auto file = make_image(dir, "photo.png");
  tag_with_gps(file);
  const Bytes original = read_bytes(file);
  REQUIRE(exiftool_tags(file).find("GPSLatitude") != std::string::npos);

  const auto cleaned = clean_ok(original);
  const auto out = dir / "clean.png";
  write_bytes(out, cleaned);
  const auto tags = exiftool_tags(out);
  INFO(tags);
  CHECK(tags.find("GPS") == std::string::npos);
  CHECK(tags.find("Error") == std::string::npos);
  CHECK(tags.find("TestCam") != std::string::npos);       // IFD0 Model survives
  CHECK(tags.find("Rotate 90 CW") != std::string::npos);  // and the orientation
  CHECK(decode_all(as_bytes(cleaned)).rgb == decode_all(original).rgb);
  // pngcheck-grade integrity: ImageMagick reads it without complaint (CRCs are checked).
  CHECK(sh("convert " + out.string() + " -format %wx%h info:") == "96x64");
  survives_damage(original);
}

TEST_CASE("PNG made by ImageMagick from a JPEG with GPS: no exif:GPS or raw profile left", "[image][strip]") {
  TempDir dir;
  const auto jpeg = dir / "camera.jpg";
  fixtures::write_file(jpeg, fixtures::make_jpeg({.width = 64, .height = 48, .exif = {.gps = true, .model = "Cam"}}));
  tag_with_gps(jpeg, false, true);  // XMP too, so ImageMagick writes a "Raw profile type xmp"
  const auto png = dir / "converted.png";
  sh("convert " + jpeg.string() + " " + png.string());
  const auto zpng = dir / "converted-noexif.png";
  sh("convert " + jpeg.string() + " -define png:exclude-chunk=eXIf " + zpng.string());
  for (const auto& file : {png, zpng}) {
    const Bytes original = read_bytes(file);
    const std::string raw(original.begin(), original.end());
    REQUIRE(raw.find("exif:GPSLatitude") != std::string::npos);  // ImageMagick's own text chunks
    const auto cleaned = clean_ok(original);
    CHECK(cleaned.find("GPS") == std::string::npos);
    const auto out = dir / "clean.png";
    write_bytes(out, cleaned);
    const auto tags = exiftool_tags(out);
    INFO(tags);
    CHECK(tags.find("GPS") == std::string::npos);
    CHECK(decode_all(as_bytes(cleaned)).rgb == decode_all(original).rgb);
  }
}

TEST_CASE("WebP: EXIF chunk loses GPS in place, XMP naming GPS goes, RIFF and VP8X stay valid", "[image][strip]") {
  TempDir dir;
  for (const std::string options : {"-quality 90", "-define webp:lossless=true"}) {
    const auto file = make_image(dir, "photo.webp", options);
    tag_with_gps(file);
    const Bytes original = read_bytes(file);
    REQUIRE(exiftool_tags(file).find("GPSLatitude") != std::string::npos);
    const auto cleaned = clean_ok(original);
    const auto out = dir / "clean.webp";
    write_bytes(out, cleaned);
    const auto tags = exiftool_tags(out);
    INFO(options << "\n" << tags);
    CHECK(tags.find("GPS") == std::string::npos);
    CHECK(tags.find("Warning") == std::string::npos);
    CHECK(tags.find("TestCam") != std::string::npos);
    CHECK(tags.find("Rotate 90 CW") != std::string::npos);
    // RIFF size matches the file, VP8X no longer promises the XMP that is gone.
    CHECK(cleaned.size() == 8 + (static_cast<std::uint8_t>(cleaned[4]) | static_cast<std::uint8_t>(cleaned[5]) << 8 |
                                 static_cast<std::uint8_t>(cleaned[6]) << 16 |
                                 static_cast<std::uint32_t>(static_cast<std::uint8_t>(cleaned[7])) << 24));
    REQUIRE(cleaned.substr(12, 4) == "VP8X");
    CHECK((cleaned[20] & 0x04) == 0);
    CHECK((cleaned[20] & 0x08) != 0);  // the EXIF chunk stays, without GPS
    CHECK(decode_all(as_bytes(cleaned)).rgb == decode_all(original).rgb);
    CHECK(sh("convert " + out.string() + " -format %wx%h info:") == "96x64");
    survives_damage(original);
  }
}

TEST_CASE("WebP written by ImageMagick from a JPEG with GPS (its NUL-terminated XMP chunk) comes out clean",
          "[image][strip]") {
  TempDir dir;
  const auto jpeg = dir / "camera.jpg";
  fixtures::write_file(jpeg, fixtures::make_jpeg({.width = 64, .height = 48, .exif = {.gps = true, .model = "Cam"}}));
  tag_with_gps(jpeg, false, true);
  const auto webp = dir / "converted.webp";
  sh("convert " + jpeg.string() + " " + webp.string());
  const Bytes original = read_bytes(webp);
  const auto cleaned = clean_ok(original);
  CHECK(cleaned.find("GPS") == std::string::npos);
  const auto out = dir / "clean.webp";
  write_bytes(out, cleaned);
  CHECK(exiftool_tags(out).find("GPS") == std::string::npos);
  CHECK(decode_all(as_bytes(cleaned)).rgb == decode_all(original).rgb);
}

TEST_CASE("GIF: the XMP extension naming GPS is dropped, the frames are not touched", "[image][strip]") {
  TempDir dir;
  const auto file = make_image(dir, "photo.gif");
  tag_with_gps(file, false, true);
  const Bytes original = read_bytes(file);
  REQUIRE(exiftool_tags(file).find("GPSLatitude") != std::string::npos);
  const auto cleaned = clean_ok(original);
  CHECK(cleaned.find("GPS") == std::string::npos);
  const auto out = dir / "clean.gif";
  write_bytes(out, cleaned);
  const auto tags = exiftool_tags(out);
  INFO(tags);
  CHECK(tags.find("GPS") == std::string::npos);
  CHECK(decode_all(as_bytes(cleaned)).rgb == decode_all(original).rgb);
  survives_damage(original);
}

TEST_CASE("TIFF in both byte orders: GPS IFD emptied in place, not one byte moves", "[image][strip]") {
  TempDir dir;
  for (const std::string endian : {"LSB", "MSB"}) {
    const auto file = make_image(dir, "photo-" + endian + ".tif", "-endian " + endian);
    tag_with_gps(file);
    const Bytes original = read_bytes(file);
    REQUIRE(exiftool_tags(file).find("GPSLatitude") != std::string::npos);
    const auto cleaned = clean_ok(original);
    CHECK(cleaned.size() == original.size());
    const auto out = dir / ("clean-" + endian + ".tif");
    write_bytes(out, cleaned);
    const auto tags = exiftool_tags(out);
    INFO(endian << "\n" << tags);
    CHECK(tags.find("GPS") == std::string::npos);
    CHECK(tags.find("TestCam") != std::string::npos);
    CHECK(tags.find("Rotate 90 CW") != std::string::npos);
    CHECK(sh("convert " + out.string() + " -depth 8 rgb:- | sha256sum") ==
          sh("convert " + file.string() + " -depth 8 rgb:- | sha256sum"));
    survives_damage(original);
  }
}

TEST_CASE("DNG: GPS gone, size and preview unchanged, camera kept", "[image][strip]") {
  TempDir dir;
  const auto file = dir / "photo.dng";
  fixtures::write_file(file, fixtures::make_dng({}));
  tag_with_gps(file, true, false);
  const Bytes original = read_bytes(file);
  REQUIRE(exiftool_tags(file).find("GPSLatitude") != std::string::npos);
  const auto cleaned = clean_ok(original);
  CHECK(cleaned.size() == original.size());
  const auto out = dir / "clean.dng";
  write_bytes(out, cleaned);
  const auto tags = exiftool_tags(out);
  INFO(tags);
  CHECK(tags.find("GPS") == std::string::npos);
  CHECK(tags.find("TestCam") != std::string::npos);
  const auto info = probe(as_bytes(cleaned));
  REQUIRE(info.ok());
  CHECK(info->format == Format::raw);
  CHECK(decode_all(as_bytes(cleaned)).rgb == decode_all(original).rgb);
}

TEST_CASE("JPEG through without_gps is the old strip: head from memory, scan data from the file", "[image][strip]") {
  const auto jpeg =
      fixtures::make_jpeg({.width = 320, .height = 240, .exif = {.orientation = 6, .gps = true, .model = "X"}});
  auto old = strip_jpeg_gps(jpeg);
  REQUIRE(old.ok());
  auto clean = without_gps(jpeg);
  REQUIRE(clean.ok());
  CHECK(clean->removed);
  REQUIRE(clean->pieces.size() == 2);
  CHECK(clean->pieces[0].held == old->head);
  CHECK(clean->pieces[1].offset == old->resume_at);
  CHECK(clean->pieces[1].length == jpeg.size() - old->resume_at);
  const auto bytes = assemble(*clean, jpeg);
  CHECK_FALSE(read_metadata(as_bytes(bytes)).has_gps);
  CHECK(read_metadata(as_bytes(bytes)).orientation == 6);
}

// Nikon and Panasonic bodies with a GPS unit also write the place's name into their maker notes
// (Nikon's LocationInfo, Panasonic's City and Landmark). A guest needs none of a maker note.
TEST_CASE("JPEG: the maker notes go too - with or without a GPS IFD - and the rest of Exif stays", "[image][strip]") {
  TempDir dir;
  for (const bool gps : {true, false}) {
    INFO("GPS IFD: " << gps);
    const auto jpeg = fixtures::make_jpeg({.width = 320,
                                           .height = 240,
                                           .exif = {.orientation = 6,
                                                    .gps = gps,
                                                    .make = "NIKON CORPORATION",
                                                    .model = "Z 6_2",
                                                    .maker_note_place = "Tour Eiffel, Champ de Mars"}});
    fixtures::write_file(dir / "nikon.jpg", jpeg);
    const auto before = exiftool_tags(dir / "nikon.jpg");
    REQUIRE(mentions(before, "[Nikon]         Location                        : Tour Eiffel, Champ de Mars"));
    REQUIRE(mentions(before, "CountryCode"));

    const auto bytes = clean_ok(jpeg);
    fixtures::write_file(dir / "clean.jpg", as_bytes(bytes));
    const auto after = exiftool_tags(dir / "clean.jpg");
    INFO(after);
    CHECK_FALSE(mentions(after, "[Nikon]"));
    CHECK_FALSE(mentions(after, "MakerNote"));
    CHECK_FALSE(mentions(after, "GPS"));
    CHECK(bytes.find("Eiffel") == std::string::npos);
    CHECK(mentions(after, "Z 6_2"));
    CHECK(read_metadata(as_bytes(bytes)).orientation == 6);
    CHECK(decode_all(as_bytes(bytes)).rgb == decode_all(jpeg).rgb);
  }
}

// In a RAW the maker note stays (a converter reads it), so only the place names in it go: the
// file keeps its size and every other byte, and exiftool finds no place left.
TEST_CASE("TIFF-based RAW: place names in Nikon and Panasonic maker notes are zeroed in place", "[image][strip]") {
  TempDir dir;
  struct Case {
    fixtures::MakerNote kind;
    std::string group, place_tag, kept;
  };
  for (const Case& c : {Case{fixtures::MakerNote::nikon, "[Nikon]", "Location", "MakerNoteVersion"},
                        Case{fixtures::MakerNote::panasonic, "[Panasonic]", "City", "ImageQuality"}}) {
    INFO(c.group);
    const Bytes raw = fixtures::make_tiff_with_maker_note(c.kind, "Tour Eiffel");
    fixtures::write_file(dir / "raw.tif", raw);
    const auto before = exiftool_tags(dir / "raw.tif");
    INFO(before);
    REQUIRE(mentions(before, c.place_tag + std::string(32 - c.place_tag.size(), ' ') + ": Tour Eiffel"));
    REQUIRE(mentions(before, c.kept));

    const auto bytes = clean_ok(raw);
    CHECK(bytes.size() == raw.size());
    fixtures::write_file(dir / "clean.tif", as_bytes(bytes));
    const auto after = exiftool_tags(dir / "clean.tif");
    INFO(after);
    CHECK(bytes.find("Eiffel") == std::string::npos);
    CHECK(bytes.find("Champ de Mars") == std::string::npos);
    CHECK_FALSE(mentions(after, "FRA"));
    CHECK(mentions(after, c.group));  // the note is still there, and still read
    CHECK(mentions(after, c.kept));
    std::size_t changed = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) changed += static_cast<std::uint8_t>(bytes[i]) != raw[i] ? 1 : 0;
    CHECK(changed <= 100);  // the place's bytes only
  }
  survives_damage(fixtures::make_tiff_with_maker_note(fixtures::MakerNote::nikon, "Tour Eiffel"));
  survives_damage(fixtures::make_tiff_with_maker_note(fixtures::MakerNote::panasonic, "Tour Eiffel"));
}

TEST_CASE("JPEG extended XMP: a position exiftool moved there goes, and so does an orphaned extension",
          "[image][strip]") {
  TempDir dir;
  const auto contains = [](const std::string& bytes, std::string_view what) {
    return bytes.find(what) != std::string::npos;
  };
  const std::string_view extension_header("http://ns.adobe.com/xmp/extension/");
  // Over 64 KB of text: exiftool keeps the main packet small and moves the largest property
  // into extended XMP segments.
  std::string long_text;
  while (long_text.size() < 70'000) long_text += "North lawn of the Eiffel Tower, by the carousel. ";
  write_bytes(dir / "long.txt", long_text);
  const auto tagged = [&](const std::string& name, const std::string& tags) {
    const auto file = dir / name;
    fixtures::write_file(file, fixtures::make_jpeg({.width = 96, .height = 64}));
    sh("exiftool -q -overwrite_original -XMP-dc:Title=Wedding " + tags + " " + file.string());
    const auto bytes = read_bytes(file);
    REQUIRE(contains(std::string(bytes.begin(), bytes.end()), extension_header));
    return bytes;
  };

  SECTION("a long GPSAreaInformation lands in the extension, the main packet names no GPS") {
    const auto original = tagged("area.jpg", "\"-XMP-exif:GPSAreaInformation<=" + (dir / "long.txt").string() + "\"");
    REQUIRE(contains(exiftool_tags(dir / "area.jpg"), "GPSAreaInformation"));
    const auto clean = clean_ok(original);
    CHECK_FALSE(contains(clean, extension_header));
    write_bytes(dir / "area-clean.jpg", clean);
    const auto tags = exiftool_tags(dir / "area-clean.jpg");
    CHECK_FALSE(contains(tags, "GPS"));
    CHECK_FALSE(contains(tags, "Eiffel"));
    CHECK(contains(tags, "Title                           : Wedding"));  // the main packet stays
    CHECK(decode_all(as_bytes(clean)).rgb == decode_all(original).rgb);
  }
  SECTION("the main packet names GPS: its extension goes with it") {
    const auto original = tagged(
        "both.jpg", "-XMP-exif:GPSLatitude=48.8584N \"-XMP-dc:Description<=" + (dir / "long.txt").string() + "\"");
    const auto clean = clean_ok(original);
    CHECK_FALSE(contains(clean, extension_header));
    CHECK_FALSE(contains(clean, "GPS"));
  }
  SECTION("an extension that names no GPS, under a packet that names none, is kept") {
    const auto original = tagged("plain.jpg", "\"-XMP-dc:Description<=" + (dir / "long.txt").string() + "\"");
    const auto clean = clean_ok(original, false);
    CHECK(clean == std::string(original.begin(), original.end()));
  }
}

TEST_CASE("JPEG with MPF: the secondary image's GPS goes too, in place", "[image][strip]") {
  // As phones write them: the first image, an APP2 "MPF" header listing the images, and a
  // second JPEG (a gain map or preview) with its own Exif after the first one's scan data.
  const auto primary = fixtures::make_jpeg({.width = 160, .height = 120, .exif = {.gps = true, .model = "P"}});
  const auto second = fixtures::make_jpeg({.width = 64, .height = 48, .exif = {.gps = true, .model = "S"}});
  REQUIRE(read_metadata(second).has_gps);
  Bytes mpf = {'M',  'P', 'F', 0,  'I', 'I', 42, 0,  8, 0, 0, 0, 1, 0, 0x02,
               0xB0, 7,   0,   32, 0,   0,   0,  26, 0, 0, 0, 0, 0, 0, 0};
  mpf.resize(mpf.size() + 32, 0);  // two MP entries at TIFF offset 26
  const auto put32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) mpf[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
  };
  const std::size_t mp_header = 2 + 4 + 4;  // SOI, APP2 marker and length, "MPF\0"
  const std::size_t first_size = primary.size() + 4 + mpf.size();
  put32(4 + 26 + 4, static_cast<std::uint32_t>(first_size));
  put32(4 + 26 + 16 + 4, static_cast<std::uint32_t>(second.size()));
  put32(4 + 26 + 16 + 8, static_cast<std::uint32_t>(first_size - mp_header));
  Bytes file = {0xFF,
                0xD8,
                0xFF,
                0xE2,
                static_cast<std::uint8_t>((mpf.size() + 2) >> 8),
                static_cast<std::uint8_t>(mpf.size() + 2)};
  file.insert(file.end(), mpf.begin(), mpf.end());
  file.insert(file.end(), primary.begin() + 2, primary.end());
  file.insert(file.end(), second.begin(), second.end());

  const auto cleaned = clean_ok(file);
  const auto first_meta = read_metadata(as_bytes(cleaned));
  CHECK_FALSE(first_meta.has_gps);
  CHECK(first_meta.camera_model == "P");
  // The second image is where the MPF header says it is: the Exif before it shrank, so the
  // header's offset was moved to match.
  const auto header_at = cleaned.find("MPF");
  REQUIRE(header_at != std::string::npos);
  std::uint32_t offset = 0;
  for (int i = 3; i >= 0; --i) {
    offset =
        (offset << 8) | static_cast<std::uint8_t>(cleaned[header_at + 4 + 26 + 16 + 8 + static_cast<std::size_t>(i)]);
  }
  CHECK(offset < first_size - mp_header);
  const auto second_at = header_at + 4 + offset;
  REQUIRE(second_at + second.size() == cleaned.size());
  const auto second_clean = as_bytes(cleaned).subspan(second_at);
  CHECK_FALSE(read_metadata(second_clean).has_gps);
  CHECK(read_metadata(second_clean).camera_model == "S");
  CHECK(decode_jpeg(second_clean, {64, 48}).ok());
}

TEST_CASE("files without GPS come back as one run of the original", "[image][strip]") {
  TempDir dir;
  for (const std::string name : {"plain.png", "plain.webp", "plain.gif", "plain.bmp", "plain.tif"}) {
    const Bytes original = read_bytes(make_image(dir, name));
    auto clean = without_gps(original);
    INFO(name);
    REQUIRE(clean.ok());
    CHECK_FALSE(clean->removed);
    REQUIRE(clean->pieces.size() == 1);
    CHECK(clean->pieces[0].offset == 0);
    CHECK(clean->pieces[0].length == original.size());
  }
}

TEST_CASE("formats that cannot be walked are refused, never passed through", "[image][strip]") {
  Bytes raf(200, 0);
  std::memcpy(raf.data(), "FUJIFILMCCD-RAW 0201", 20);
  auto r = without_gps(raf);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::unsupported);
  Bytes cr3(200, 0);
  std::memcpy(cr3.data() + 4, "ftypcrx ", 8);
  r = without_gps(cr3);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::unsupported);
  const Bytes bigtiff = {'I', 'I', 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0};
  r = without_gps(bigtiff);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::unsupported);
  CHECK_FALSE(without_gps(Bytes{'h', 'e', 'l', 'l', 'o'}).ok());
  CHECK_FALSE(without_gps(Bytes{}).ok());
}

namespace {

// A little-endian TIFF: header, then IFD0 at 8 with the given entries (tag, type, count, value).
Bytes tiff_with(std::initializer_list<std::array<std::uint32_t, 4>> entries, std::uint32_t next = 0,
                std::size_t pad = 64) {
  Bytes b = {'I', 'I', 42, 0, 8, 0, 0, 0};
  const auto put = [&](std::uint32_t v, int width) {
    for (int i = 0; i < width; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  put(static_cast<std::uint32_t>(entries.size()), 2);
  for (const auto& e : entries) {
    put(e[0], 2);
    put(e[1], 2);
    put(e[2], 4);
    put(e[3], 4);
  }
  put(next, 4);
  b.resize(b.size() + pad, 0);
  return b;
}

}  // namespace

TEST_CASE("hostile TIFF structures are errors, not crashes or loops", "[image][strip]") {
  // Exif IFD pointing back at IFD0, next-IFD pointing at itself, an IFD pointer past the end,
  // a GPS IFD whose count runs past the end, an out-of-line GPS value past the end.
  CHECK_FALSE(without_gps(tiff_with({{0x8769, 4, 1, 8}})).ok());
  CHECK_FALSE(without_gps(tiff_with({{0x0100, 3, 1, 1}}, 8)).ok());
  CHECK_FALSE(without_gps(tiff_with({{0x8825, 4, 1, 0xFFFFFF00u}})).ok());
  auto gps_count_too_big = tiff_with({{0x8825, 4, 1, 26}});
  gps_count_too_big[26] = 0xFF;
  gps_count_too_big[27] = 0xFF;
  CHECK_FALSE(without_gps(gps_count_too_big).ok());
  // GPS IFD at 26 with one entry: GPSLatitude, 3 rationals stored 2 GB into a 100-byte file.
  auto gps_value_outside = tiff_with({{0x8825, 4, 1, 26}});
  const Bytes far = {1, 0, 2, 0, 5, 0, 3, 0, 0, 0, 0xF0, 0xFF, 0xFF, 0x7F};
  std::copy(far.begin(), far.end(), gps_value_outside.begin() + 26);
  CHECK_FALSE(without_gps(gps_value_outside).ok());
  // A GPS IFD reached twice (from IFD0 and from the Exif IFD) is a cycle of sorts: refused.
  CHECK_FALSE(without_gps(tiff_with({{0x8825, 4, 1, 8}})).ok());
  // A sane one: GPS IFD at 26 with one inline entry; it is emptied, nothing else moves.
  auto sane = tiff_with({{0x8825, 4, 1, 26}});
  const Bytes gps = {1, 0, 1, 0, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0, 0, 0};
  std::copy(gps.begin(), gps.end(), sane.begin() + 26);
  auto clean = without_gps(sane);
  REQUIRE(clean.ok());
  const auto bytes = assemble(*clean, sane);
  REQUIRE(bytes.size() == sane.size());
  CHECK(bytes[26] == 0);
  CHECK(bytes[27] == 0);
  CHECK(bytes.find('N') == std::string::npos);
}

TEST_CASE("one GPS IFD named from IFD0 and from the Exif IFD is emptied once", "[image][strip]") {
  auto tiff = tiff_with({{0x8769, 4, 1, 38}, {0x8825, 4, 1, 56}});
  const auto put = [&](std::size_t at, std::initializer_list<std::uint8_t> bytes) {
    std::copy(bytes.begin(), bytes.end(), tiff.begin() + static_cast<std::ptrdiff_t>(at));
  };
  put(38, {1, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 56, 0, 0, 0});  // Exif IFD: its own GPS pointer
  put(56, {1, 0, 1, 0, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0});       // GPS IFD: GPSLatitudeRef "N"
  auto clean = without_gps(tiff);
  REQUIRE(clean.ok());
  const auto bytes = assemble(*clean, tiff);
  CHECK(bytes.size() == tiff.size());
  CHECK(bytes.find('N') == std::string::npos);
  CHECK(bytes[38] == 1);  // the Exif IFD itself is left alone
}

TEST_CASE("hostile PNG, WebP and GIF structures are errors, not crashes", "[image][strip]") {
  using namespace std::literals;
  const auto bytes_of = [](std::string_view s) { return Bytes(s.begin(), s.end()); };
  const auto sig = "\x89PNG\r\n\x1a\n"sv;
  CHECK_FALSE(without_gps(bytes_of(sig)).ok());                                         // no chunks, no IEND
  CHECK_FALSE(without_gps(bytes_of(std::string(sig) + "\x7F\xFF\xFF\xF0IDAT"s)).ok());  // length past the end
  CHECK_FALSE(without_gps(bytes_of(std::string(sig) + "\xFF\xFF\xFF\xFFIDAT"s)).ok());  // length out of range
  CHECK_FALSE(without_gps(bytes_of("RIFF\xFF\xFF\xFF\x7FWEBPVP8 "sv)).ok());            // RIFF past the end
  CHECK_FALSE(without_gps(bytes_of("RIFF\x0C\0\0\0WEBPVP8 \xFF\xFF\0\0"sv)).ok());      // chunk past the RIFF
  CHECK_FALSE(without_gps(bytes_of("GIF89a\x01\0\x01\0\x80\0\0"sv)).ok());              // colour table missing
  CHECK_FALSE(without_gps(bytes_of("GIF89a\x01\0\x01\0\0\0\0!\xFF\x0BXMP DataXMP\x40"sv)).ok());
}
