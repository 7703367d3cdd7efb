#pragma once

#include "image/limits.h"
#include "image/pixels.h"
#include "vk/result.h"

namespace vk::image::detail {

// Refuses a size over the limits with a message that names the size and the limit.
Status check_limits(Size size, const Limits& limits);

}  // namespace vk::image::detail
