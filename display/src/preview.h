// The live preview for the organizer console (internal): a small copy of what the screen shows,
// a point every `step` pixels, which the loader writes to preview_file.
//
// There are two ways to make it, one per path of the render loop. On the CPU path the frame's
// pixels are in memory, so shrink_into() shrinks the composed frame. On the GPU path the frame
// lives on the GPU: reading it back would stall the GPU for the whole frame (and the first frame
// of a fade is where it would fall), so preview_from_layers() draws the frame again on the CPU
// from the layers the GPU was given, at the preview's size only.
// Both reuse the buffers they are given: they run on the render thread, which does not allocate.
#pragma once

#include <span>
#include <vector>

#include "display/canvas.h"
#include "display/driver.h"
#include "image/pixels.h"

namespace vk::display {

// A small copy of the frame (box average, every `step` pixels), into `out`, whose buffer is
// reused when it is large enough.
void shrink_into(const FrameView& view, int step, image::Image& out);

// The frame drawn again from its layers, one point every `step` pixels of `screen`, into `out`
// (its buffer reused, as `columns`, the slides' column map).
void preview_from_layers(std::span<const SlideLayer> slides, std::span<const SpriteLayer> sprites, image::Size screen,
                         int step, image::Image& out, std::vector<int>& columns);

}  // namespace vk::display
