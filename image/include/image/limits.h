// Limits that protect the box from hostile or broken input. Every decoder checks them
// against the header before allocating anything.
#pragma once

#include <cstdint>

namespace vk::image {

struct Limits {
  // Refuse images whose header claims more pixels than this (120 MP by default: the
  // largest camera sensors today are ~100 MP).
  std::uint64_t max_pixels = 120'000'000;
  // Refuse any single dimension above this, whatever the pixel count.
  int max_dimension = 65'500;
};

}  // namespace vk::image
