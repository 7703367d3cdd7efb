// Picks the decoder for a probed file and checks the limits on what it will really decode.
#include "image/decode.h"

#include "gif_decode.h"
#include "image/transform.h"
#include "limits_check.h"
#include "raw_reader.h"
#include "sdl_decode.h"

namespace vk::image {

Result<Image> decode(std::span<const std::uint8_t> bytes, const ImageInfo& info, Size cover, const Limits& limits) {
  // `cover` is given upright; the decoders work in stored orientation.
  const Size stored_cover = oriented_size(cover, info.metadata.orientation);
  switch (info.format) {
    case Format::jpeg: return decode_jpeg(bytes, stored_cover, limits);
    case Format::raw: {
      VK_ASSIGN_OR_RETURN(auto preview, detail::extract_raw_preview(bytes));
      return decode_jpeg(preview.jpeg, stored_cover, limits);
    }
    case Format::gif: return detail::decode_gif(bytes, limits);
    case Format::png:
    case Format::webp:
    case Format::bmp:
      // The header was checked against the limits by probe(); SDL2_image decodes at full size.
      VK_RETURN_IF_ERROR(detail::check_limits(info.stored, limits));
      return detail::decode_with_sdl_image(bytes);
  }
  return make_error(ErrorCode::unsupported, "unsupported image format");
}

}  // namespace vk::image
