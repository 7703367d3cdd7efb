#include "raw_libraw.h"

#include <libraw/libraw.h>

#include <cctype>
#include <cstring>
#include <ctime>
#include <memory>

namespace vk::image::detail {
namespace {

struct ProcessedDeleter {
  void operator()(libraw_processed_image_t* image) const { LibRaw::dcraw_clear_mem(image); }
};

// libraw's `flip` (dcraw convention) to EXIF orientation.
int orientation_from_flip(int flip) {
  switch (flip) {
    case 3: return 3;
    case 5: return 8;
    case 6: return 6;
    default: return 1;
  }
}

RawKind kind_from_make(const LibRaw& raw, RawKind signature_kind) {
  if (signature_kind != RawKind::other) return signature_kind;
  if (raw.imgdata.idata.dng_version != 0) return RawKind::dng;
  std::string make = raw.imgdata.idata.make;
  for (auto& c : make) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (make.starts_with("NIKON")) return RawKind::nef;
  if (make.starts_with("SONY")) return RawKind::arw;
  if (make.starts_with("PENTAX") || make.starts_with("RICOH")) return RawKind::pef;
  if (make.starts_with("CANON")) return RawKind::cr2;
  return RawKind::other;
}

// LibRaw 0.20 (Debian 12) writes past its own buffer when it unpacks some non-JPEG preview
// forms of a damaged file (the fuzzer found it: a DNG whose preview IFD was altered). Copying an
// embedded JPEG is the one form that takes the bytes as they are, and the one current cameras
// write, so it is the only form we let LibRaw unpack, and only when it lies inside the file.
class GuardedLibRaw final : public LibRaw {
 public:
  using LibRaw::LibRaw;
  [[nodiscard]] bool has_embedded_jpeg_within(std::size_t file_size) const {
    const INT64 offset = libraw_internal_data.internal_data.toffset;
    const INT64 length = imgdata.thumbnail.tlength;
    return write_thumb == &GuardedLibRaw::jpeg_thumb && thumb_load_raw == nullptr && offset > 0 && length > 0 &&
           offset + length <= static_cast<INT64>(file_size);
  }
};

Result<std::unique_ptr<GuardedLibRaw>> open(std::span<const std::uint8_t> bytes) {
  auto raw = std::make_unique<GuardedLibRaw>(LIBRAW_OPIONS_NO_DATAERR_CALLBACK);
  // libraw's API takes a mutable pointer but only reads from the buffer.
  const int rc = raw->open_buffer(const_cast<std::uint8_t*>(bytes.data()), bytes.size());  // NOLINT
  if (rc != LIBRAW_SUCCESS) {
    if (rc == LIBRAW_FILE_UNSUPPORTED) {
      return make_error(ErrorCode::unsupported, "not a camera RAW file libraw recognises");
    }
    return make_error(ErrorCode::invalid_input, std::string("the RAW file is damaged (") + libraw_strerror(rc) + ")");
  }
  return raw;
}

}  // namespace

Result<RawHeader> identify_in_process(std::span<const std::uint8_t> bytes, RawKind signature_kind) {
  VK_ASSIGN_OR_RETURN(auto raw, open(bytes));
  RawHeader header;
  header.kind = kind_from_make(*raw, signature_kind);
  header.sensor = {raw->imgdata.sizes.width, raw->imgdata.sizes.height};
  header.orientation = orientation_from_flip(raw->imgdata.sizes.flip);
  header.make = raw->imgdata.idata.make;
  header.model = raw->imgdata.idata.model;
  const auto& artist = raw->imgdata.other.artist;
  header.artist.assign(artist, strnlen(artist, sizeof artist));
  if (const time_t t = raw->imgdata.other.timestamp; t > 0) {
    std::tm tm{};
    localtime_r(&t, &tm);  // libraw built the timestamp with mktime from the camera's local time
    char text[32];
    if (std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm) > 0) header.captured_at = text;
  }
  return header;
}

Result<RawPreview> preview_in_process(std::span<const std::uint8_t> bytes) {
  VK_ASSIGN_OR_RETURN(auto raw, open(bytes));
  if (raw->imgdata.thumbnail.tlength == 0 && raw->imgdata.thumbnail.tformat == LIBRAW_THUMBNAIL_UNKNOWN) {
    return make_error(ErrorCode::unsupported, "the RAW file has no embedded preview to show");
  }
  if (!raw->has_embedded_jpeg_within(bytes.size())) {
    return make_error(
        ErrorCode::unsupported,
        "the RAW file's embedded preview is not a JPEG inside the file (damaged, or a form we cannot show)");
  }
  if (const int rc = raw->unpack_thumb(); rc != LIBRAW_SUCCESS) {
    return make_error(ErrorCode::invalid_input,
                      std::string("the RAW file's embedded preview cannot be read (") + libraw_strerror(rc) + ")");
  }
  int rc = 0;
  std::unique_ptr<libraw_processed_image_t, ProcessedDeleter> thumb(raw->dcraw_make_mem_thumb(&rc));
  if (!thumb || rc != LIBRAW_SUCCESS) {
    return make_error(ErrorCode::invalid_input, "the RAW file's embedded preview cannot be read");
  }
  RawPreview preview;
  preview.orientation = orientation_from_flip(raw->imgdata.sizes.flip);
  if (thumb->type == LIBRAW_IMAGE_JPEG) {
    preview.jpeg.assign(thumb->data, thumb->data + thumb->data_size);
  } else {
    return make_error(ErrorCode::unsupported, "the RAW file's embedded preview is in a form we cannot show");
  }
  return preview;
}

}  // namespace vk::image::detail
