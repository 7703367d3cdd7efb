// TurboJPEG handles owned for the duration of one image. A handle is never reused across
// images: after an error libjpeg-turbo 2.1 leaves it half-read (every later image on it then
// fails), and even after success it keeps the previous image's quantisation tables, so a file
// that lacks its own would decode with someone else's (both found by the fuzzer).
#pragma once

#include <turbojpeg.h>

#include <memory>
#include <type_traits>

namespace vk::image::detail {

struct TjDeleter {
  void operator()(void* handle) const { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<std::remove_pointer_t<tjhandle>, TjDeleter>;

inline TjHandle make_decompressor() { return TjHandle(tjInitDecompress()); }
inline TjHandle make_compressor() { return TjHandle(tjInitCompress()); }

}  // namespace vk::image::detail
