#include "image/derive.h"

#include "image/decode.h"
#include "image/encode.h"
#include "image/transform.h"

namespace vk::image {

Result<Derivatives> derive(std::span<const std::uint8_t> bytes, const ImageInfo& info, const DeriveOptions& options) {
  // One decode, scaled just enough for the larger of the two outputs.
  VK_ASSIGN_OR_RETURN(Image decoded, decode(bytes, info, options.screen_box, options.limits));

  // Resize before rotating: the rotation then touches the small image, not the decode.
  const Size upright_decoded = oriented_size(decoded.size(), info.metadata.orientation);
  const Size screen_size = fit_within(upright_decoded, options.screen_box);
  Image screen = apply_orientation(resize(decoded, oriented_size(screen_size, info.metadata.orientation)),
                                   info.metadata.orientation);
  decoded = Image{};  // free the large buffer before encoding

  const Image thumb = resize(screen, fit_within(screen.size(), options.thumb_box));

  Derivatives out;
  VK_ASSIGN_OR_RETURN(out.screen.jpeg, encode_jpeg(screen, options.screen_quality));
  out.screen.size = screen.size();
  VK_ASSIGN_OR_RETURN(out.thumb.jpeg, encode_jpeg(thumb, options.thumb_quality));
  out.thumb.size = thumb.size();
  return out;
}

}  // namespace vk::image
