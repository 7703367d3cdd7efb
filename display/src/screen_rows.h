// Row kernels that write the screen's frame, which the render thread does not read back.
//
// On x86-64 they use non-temporal ("streaming") stores, SSE2, part of the baseline there: a
// normal store first reads each 64-byte line of its destination into the cache, 8 MB a 1080p
// frame through this machine's 8 MB L3, evicting the canvases being read; a streaming store
// writes around the cache. Measured at 1920x1080 on this machine: a copy 1.5 -> 1.0 ms, a blend
// 2.2 -> 1.9 ms. Elsewhere (a Pi's Arm cores) they are the portable loops, which GCC vectorises.
// The blend gives the same bytes on every path. After the rows of a frame, finish_screen_rows()
// orders the streaming stores before the frame is handed to the display.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vk::display::detail {

void copy_row_to_screen(const std::uint32_t* source, std::uint32_t* target, std::size_t pixels);
// target = (from * (256 - weight) + to * weight) >> 8, per byte; weight 1..255.
void blend_row_to_screen(const std::uint32_t* from, const std::uint32_t* to, std::uint32_t* target, std::size_t pixels,
                         std::uint16_t weight);
void finish_screen_rows();

}  // namespace vk::display::detail
