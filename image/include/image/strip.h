// Removing GPS from an original without re-encoding it: the guest gets the camera's pixels,
// minus where they were taken.
//
// without_gps() describes the cleaned file as a short list of pieces: runs of the original's
// bytes to send untouched, and small pieces held in memory (rewritten headers, chunks, or
// zeroes laid over a GPS IFD). A server sends the runs straight from a mapped file, so a
// 25 MB RAW is never copied. What is removed, per format (the format is told by content):
//   JPEG  the Exif GPS IFD and the maker notes (Exif rewritten by libexif; Nikon and Panasonic
//         bodies with a GPS unit name the place there) and any XMP packet naming GPS; MPF
//         secondary images (after the first scan) cleaned in place like a RAW's preview, the
//         MPF header's offsets moved to match the rewritten head
//   PNG   eXIf: GPS IFD emptied in place (entries and values zeroed, CRC recomputed);
//         iTXt/tEXt/zTXt XMP ("XML:com.adobe.xmp") naming GPS, ImageMagick's "Raw profile type
//         exif/APP1/xmp" chunks carrying GPS (or unreadable), and text chunks whose keyword names
//         GPS ("exif:GPSLatitude"): dropped, wherever they sit; bytes after IEND: dropped
//   WebP  EXIF chunk: GPS IFD emptied in place; XMP chunk naming GPS: dropped (VP8X flag and
//         RIFF size fixed); bytes after the RIFF end: dropped
//   GIF   an XMP application extension naming GPS: dropped; bytes after the trailer: dropped
//   BMP   nothing to remove (the format carries no metadata)
//   TIFF-based RAW (CR2, NEF, ARW, DNG, ORF, RW2, PEF): the layout must not move, so every
//         GPS IFD (found from IFD0's chain, SubIFDs and the Exif IFD, and inside embedded JPEG
//         previews) is neutralised in place: entry count 0, entries and out-of-line values
//         zeroed; an XMP packet naming GPS is overwritten by an empty packet of the same length.
//         Maker notes stay (converters read them), but the place names in Nikon's (LocationInfo)
//         and Panasonic's (Location, Country, State, City, Landmark, City2) are zeroed in place;
//         the same holds for the Exif of PNG, WebP, embedded previews and MPF secondary images.
// Not covered: CR3, RAF and other containers (unsupported error); a place in other makers'
// maker notes inside a RAW, or in free-text comments.
//
// Pure functions over the caller's bytes; any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vk/result.h"

namespace vk::image {

// One piece of the cleaned file: `held` bytes when non-empty, else `length` bytes of the
// original starting at `offset`. Pieces never have zero length.
struct Piece {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::string held;

  [[nodiscard]] bool is_held() const { return !held.empty(); }
  [[nodiscard]] std::uint64_t size() const { return is_held() ? held.size() : length; }
};

struct CleanFile {
  std::vector<Piece> pieces;  // in order; their concatenation is the cleaned file
  bool removed = false;       // whether anything was taken out (false: the pieces are the whole original)

  [[nodiscard]] std::uint64_t size() const;
};

// The original without its location. Errors: unsupported for formats we cannot walk safely
// (CR3, RAF, BigTIFF, anything unknown) — the caller must then assume GPS may be present;
// invalid_input / truncated when the structure is damaged (chunks or offsets past the end,
// IFD cycles). Never reads outside `original`.
Result<CleanFile> without_gps(std::span<const std::uint8_t> original);

// Copies the cleaned file into one buffer (tests, and callers that need the bytes whole).
std::string assemble(const CleanFile& clean, std::span<const std::uint8_t> original);

// The JPEG case on its own, as the server used before without_gps(): `head` (SOI and every
// marker segment up to the first scan, with the Exif GPS IFD removed and any XMP packet naming
// GPS dropped, with its extended XMP segments, which also go when they name GPS themselves)
// followed by the input from `resume_at` on (the scan data, untouched).
struct StrippedJpeg {
  std::string head;
  std::size_t resume_at = 0;
  bool removed = false;  // whether anything was taken out
};

// Fails (invalid_input) when `jpeg` is not a JPEG whose segments can be walked.
Result<StrippedJpeg> strip_jpeg_gps(std::span<const std::uint8_t> jpeg);

}  // namespace vk::image
