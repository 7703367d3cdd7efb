// The image formats venuekiosk recognises, always by content (magic bytes), never by name.
#pragma once

#include <string_view>

namespace vk::image {

enum class Format { jpeg, png, webp, gif, bmp, raw };

// Camera RAW families, told apart by their container signature and, for plain TIFF-based
// files, by the camera maker libraw reports.
enum class RawKind { none, cr2, cr3, nef, arw, dng, orf, rw2, raf, pef, other };

std::string_view format_name(Format);   // "JPEG", "PNG", ...
std::string_view raw_kind_name(RawKind);  // "CR2", "DNG", ...
// The file extension venuekiosk stores an original under: "jpg", "png", "cr2", ...
std::string_view storage_extension(Format, RawKind);

}  // namespace vk::image
