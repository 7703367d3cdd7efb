// Composition of slides: decoded photos -> full-screen canvases, done on the loader thread.
//
// A photo is fitted inside the screen (upscaled when smaller, so a 1920 px screen copy fills a
// 4K screen); the bars around it are never black but a blurred, dimmed copy of the same photo
// filling the screen. Two portrait photos on a landscape screen share it side by side, each
// over its own blurred backdrop. Pure functions of their inputs; any thread.
#pragma once

#include <span>

#include "display/canvas.h"
#include "image/pixels.h"

namespace vk::display {

// The largest size with the aspect of `source` inside `box` (upscaling allowed).
image::Size fit_inside(image::Size source, image::Size box);

// One photo on a `screen`-sized canvas.
Canvas compose_single(const image::Image& photo, image::Size screen);

// Two photos side by side (meant for two portraits on a landscape screen).
Canvas compose_pair(const image::Image& left, const image::Image& right, image::Size screen);

// The letterbox fill for `photo` in a `box`: scaled to cover, blurred and dimmed. Drawn into
// `target` at (x, y). Cheap by design: blurred at 1/16 scale, then bilinearly upscaled.
void draw_backdrop(const image::Image& photo, const FrameView& target, int x, int y, image::Size box);

// True when a photo of this size counts as portrait (taller than wide).
inline bool is_portrait(image::Size s) {
  return s.height > s.width;
}

}  // namespace vk::display
