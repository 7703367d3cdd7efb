// One TurboJPEG decompressor and compressor per thread, created on first use and freed when
// the thread ends: import workers reuse them for every photo instead of re-initialising.
#pragma once

#include <turbojpeg.h>

namespace vk::image::detail {

tjhandle thread_decompressor();
tjhandle thread_compressor();

}  // namespace vk::image::detail
