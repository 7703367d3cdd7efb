// JPEG through TurboJPEG with DCT-domain scaling: decoding a 24 MP photo at 3/8 for a 1920x1080
// screen does about a seventh of the work of a full decode followed by a resize.
#include <turbojpeg.h>

#include <cctype>
#include <cstring>
#include <string>

#include "image/decode.h"
#include "limits_check.h"
#include "tj_handles.h"

namespace vk::image {
namespace {

tjscalingfactor smallest_covering_scale(Size full, Size target) {
  int count = 0;
  const tjscalingfactor* factors = tjGetScalingFactors(&count);
  tjscalingfactor best{1, 1};
  long best_area = static_cast<long>(full.width) * full.height;
  for (int i = 0; i < count; ++i) {
    const tjscalingfactor f = factors[i];
    if (f.num > f.denom) continue;  // never upscale in the decoder
    const int w = TJSCALED(full.width, f);
    const int h = TJSCALED(full.height, f);
    const long area = static_cast<long>(w) * h;
    if (w >= target.width && h >= target.height && area < best_area) {
      best = f;
      best_area = area;
    }
  }
  return best;
}

// Adobe applications (the source of nearly every CMYK JPEG) store inverted CMYK, and
// TurboJPEG returns the stored values; browsers and ImageMagick read them the same way.
void cmyk_to_rgb(const std::vector<std::uint8_t>& cmyk, Image& out) {
  const std::size_t n = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
  out.rgb.resize(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned k = cmyk[i * 4 + 3];
    for (std::size_t c = 0; c < 3; ++c) {
      out.rgb[i * 3 + c] = static_cast<std::uint8_t>((cmyk[i * 4 + c] * k + 127) / 255);
    }
  }
}

// libjpeg says "Premature end of JPEG file" when the file stops and "Corrupt JPEG data:
// premature end of data segment" when a scan does; both mean the photo is incomplete.
bool data_ran_out(tjhandle tj) {
  std::string text = tjGetErrorStr2(tj);
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text.find("premature end") != std::string::npos;
}

Error decode_error(tjhandle tj) {
  const std::string detail = tjGetErrorStr2(tj);
  if (data_ran_out(tj)) {
    return make_error(ErrorCode::truncated, "the file is truncated: the image data ends early (an incomplete copy?)");
  }
  return make_error(ErrorCode::invalid_input, "the JPEG data is corrupt (" + detail + ")");
}

}  // namespace

Result<Image> decode_jpeg(std::span<const std::uint8_t> bytes, Size cover, const Limits& limits) {
  const detail::TjHandle handle = detail::make_decompressor();
  if (!handle) return make_error(ErrorCode::internal, "cannot start the JPEG decoder");
  tjhandle tj = handle.get();
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  if (tjDecompressHeader3(tj, bytes.data(), bytes.size(), &width, &height, &subsampling, &colorspace) != 0) {
    return make_error(ErrorCode::invalid_input, "the JPEG header is damaged");
  }
  VK_RETURN_IF_ERROR(detail::check_limits({width, height}, limits));

  const Size full{width, height};
  const tjscalingfactor scale = smallest_covering_scale(full, fit_within(full, cover));
  Image image;
  image.width = TJSCALED(width, scale);
  image.height = TJSCALED(height, scale);

  const bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  const int pixel_format = cmyk ? TJPF_CMYK : TJPF_RGB;
  std::vector<std::uint8_t> buffer(static_cast<std::size_t>(image.width) * image.height * tjPixelSize[pixel_format]);
  // LIMITSCANS refuses progressive files with absurd scan counts (a known CPU bomb).
  const int flags = TJFLAG_FASTDCT | TJFLAG_LIMITSCANS;
  const int rc = tjDecompress2(tj, bytes.data(), bytes.size(), buffer.data(), image.width, 0, image.height,
                               pixel_format, flags);
  if (rc != 0) {
    // A warning still leaves a complete image, except when the data simply ran out: cameras
    // write minor glitches (stray bytes before EOI) that every viewer accepts, so we do too.
    const bool warning_only = tjGetErrorCode(tj) == TJERR_WARNING;
    if (!warning_only || data_ran_out(tj)) return decode_error(tj);
  }
  if (cmyk) {
    cmyk_to_rgb(buffer, image);
  } else {
    image.rgb = std::move(buffer);
  }
  return image;
}

}  // namespace vk::image
