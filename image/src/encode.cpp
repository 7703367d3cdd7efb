#include "image/encode.h"

#include <turbojpeg.h>

#include <memory>

#include "tj_handles.h"

namespace vk::image {

Result<std::vector<std::uint8_t>> encode_jpeg(const Image& image, int quality) {
  if (image.empty()) return make_error(ErrorCode::invalid_input, "nothing to encode: the image is empty");
  const detail::TjHandle handle = detail::make_compressor();
  if (!handle) return make_error(ErrorCode::internal, "cannot start the JPEG encoder");
  tjhandle tj = handle.get();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  const int rc = tjCompress2(tj, image.rgb.data(), image.width, 0, image.height, TJPF_RGB, &out, &size, TJSAMP_420,
                             quality, TJFLAG_FASTDCT);
  std::unique_ptr<unsigned char, decltype(&tjFree)> owned(out, &tjFree);
  if (rc != 0) return make_error(ErrorCode::internal, std::string("JPEG encoding failed: ") + tjGetErrorStr2(tj));
  return std::vector<std::uint8_t>(out, out + size);
}

}  // namespace vk::image
