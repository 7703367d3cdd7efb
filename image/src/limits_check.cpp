#include "limits_check.h"

#include <cstdint>
#include <string>

namespace vk::image::detail {

Status check_limits(Size size, const Limits& limits) {
  const auto pixels = static_cast<std::uint64_t>(size.width) * static_cast<std::uint64_t>(size.height);
  if (size.width > limits.max_dimension || size.height > limits.max_dimension) {
    return make_error(ErrorCode::too_large, "the image is too large: " + std::to_string(size.width) + "x" +
                                                std::to_string(size.height) + " pixels is wider or taller than " +
                                                std::to_string(limits.max_dimension) + " pixels");
  }
  if (pixels > limits.max_pixels) {
    return make_error(ErrorCode::too_large,
                      "the image is too large: " + std::to_string(size.width) + "x" + std::to_string(size.height) +
                          " pixels (" + std::to_string(pixels / 1'000'000) + " MP) is over the limit of " +
                          std::to_string(limits.max_pixels / 1'000'000) + " MP");
  }
  return {};
}

}  // namespace vk::image::detail
