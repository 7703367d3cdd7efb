// What the per-format GPS cleaners of strip.h share: building a piece list, and the in-place
// neutralising of GPS IFDs inside a TIFF structure (TIFF-based RAW files, and the Exif blocks
// PNG and WebP carry). Internal to image/.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "image/strip.h"
#include "vk/result.h"

namespace vk::image::detail {

// Collects pieces in order, merging neighbours of the same kind so the list stays short.
class PieceWriter {
 public:
  void copy(std::uint64_t offset, std::uint64_t length);  // a run of the original
  void hold(std::string_view bytes);                      // bytes from memory
  CleanFile finish(bool removed) &&;

 private:
  std::vector<Piece> pieces_;
};

// Bytes laid over the original at `offset` (same length: nothing moves).
struct Overwrite {
  std::uint64_t offset = 0;
  std::string bytes;
};

// The overwrites that leave no GPS in the TIFF structure `tiff` (offsets relative to its
// start): every GPS IFD reachable from IFD0's chain, SubIFDs and the Exif IFD gets entry count
// 0 with its entries and out-of-line values zeroed; an XMP packet (tag 700) naming GPS becomes
// an empty packet of the same length; JPEG previews embedded in the file get the same for
// their own Exif and XMP. Empty when there is nothing to remove. Errors on anything that does
// not fit in `tiff`, on IFD cycles and on BigTIFF (unsupported).
Result<std::vector<Overwrite>> tiff_gps_overwrites(std::span<const std::uint8_t> tiff);

// Adds the overwrites that clean the JPEG at file[at, at+length) in place: the GPS IFD of its
// Exif emptied (an Exif block that cannot be walked is zeroed whole), an XMP packet naming GPS
// blanked. Bytes that are no JPEG are left alone.
void embedded_jpeg_overwrites(std::span<const std::uint8_t> file, std::uint64_t at, std::uint64_t length,
                              std::vector<Overwrite>& out);

// A secondary image an MPF header lists: where it lies in the file, and where the header keeps
// its offset (a 32-bit field relative to the header, in the header's byte order).
struct MpfImage {
  std::uint64_t at = 0;
  std::uint64_t length = 0;
  std::uint64_t offset_field = 0;
  bool little_endian = false;
};
// The MP header's TIFF structure is file[tiff_at, tiff_at + tiff_length); entries that do not
// parse are skipped.
std::vector<MpfImage> mpf_images(std::span<const std::uint8_t> file, std::uint64_t tiff_at, std::uint64_t tiff_length);

// Pieces for `bytes[from, to)` with `overwrites` (offsets relative to `bytes`) laid over it.
void write_with_overwrites(PieceWriter& out, std::span<const std::uint8_t> bytes, std::uint64_t from, std::uint64_t to,
                           std::vector<Overwrite> overwrites);

// A copy of `bytes` with the overwrites applied (those reaching past the end are cut).
std::string apply_overwrites(std::span<const std::uint8_t> bytes, const std::vector<Overwrite>& overwrites);

// Whether an XMP packet (or any metadata text) mentions GPS: exif:GPSLatitude and friends.
bool names_gps(std::string_view text);

// An XMP packet with no properties, padded with spaces to exactly `length` bytes (all spaces
// when `length` is too short for the packet).
std::string empty_xmp_packet(std::size_t length);

// Per format; each assumes the caller checked the magic bytes.
Result<CleanFile> jpeg_without_gps(std::span<const std::uint8_t> bytes);
Result<CleanFile> png_without_gps(std::span<const std::uint8_t> bytes);
Result<CleanFile> webp_without_gps(std::span<const std::uint8_t> bytes);
Result<CleanFile> gif_without_gps(std::span<const std::uint8_t> bytes);
Result<CleanFile> tiff_without_gps(std::span<const std::uint8_t> bytes);

}  // namespace vk::image::detail
