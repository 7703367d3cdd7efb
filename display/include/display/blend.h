// The crossfade: our own blend of two prepared canvases into the frame.
//
// SDL's renderer blends a full-screen texture at ~21 ms on the software path; blending here is
// two integer multiplies per pixel that the compiler vectorises (~1-2 ms at 1920x1080), and the
// end frames of a fade are plain copies. Render thread; pure function.
#pragma once

#include "display/canvas.h"

namespace vk::display {

// Writes `from` * (1 - t) + `to` * t, with t = weight / 256 (0..256), into `target`, the
// screen's frame (written around the cache, like copy_to_screen). weight 0 and 256 are plain
// copies.
void crossfade(const Canvas& from, const Canvas& to, int weight, const FrameView& target);
// The same over two windows (with motion on: the screen-sized parts of two larger slides).
void crossfade(const ConstView& from, const ConstView& to, int weight, const FrameView& target);

}  // namespace vk::display
