#include "tj_handles.h"

#include <memory>
#include <type_traits>

namespace vk::image::detail {
namespace {

struct TjDeleter {
  void operator()(void* handle) const { tjDestroy(handle); }
};
using TjPtr = std::unique_ptr<std::remove_pointer_t<tjhandle>, TjDeleter>;

}  // namespace

tjhandle thread_decompressor() {
  thread_local TjPtr handle(tjInitDecompress());
  return handle.get();
}

tjhandle thread_compressor() {
  thread_local TjPtr handle(tjInitCompress());
  return handle.get();
}

}  // namespace vk::image::detail
