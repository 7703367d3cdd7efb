// Motion of a slide while it is on screen (screen.motion, the "Ken Burns" of issue 5).
//
// With motion on, the loader composes every slide a little larger than the screen
// (slide_canvas_size) and the render loop shows a screen-sized window that glides across it,
// from one side of the margin to the other over the slide's time on screen. The window moves
// in whole pixels: each frame is a row copy with an offset (a blend of two windows during a
// fade), never a resampling. Zoom would need resampling every frame, which does not fit the
// software path's budget (docs/display.md), so "pan-zoom" runs as "pan" for now.
// Pure functions; any thread.
#pragma once

#include <string>

#include "image/pixels.h"

namespace vk::display {

enum class Motion { off, pan };

// The motion that runs for screen.motion on a driver ("surface", "renderer", "dumb", "memory").
// `note` is a line for the log when that is not what was configured (empty otherwise).
struct MotionChoice {
  Motion motion = Motion::off;
  std::string note;
};
MotionChoice choose_motion(const std::string& configured, const std::string& driver);

// A panning slide is this much larger than the screen on each axis (8 %: 2074x1166 for a
// 1920x1080 screen, 9.7 MB a canvas instead of 8.3 MB).
inline constexpr double kPanMargin = 0.08;

// The size the loader composes slides at: the screen, or the screen plus the margin (even).
image::Size slide_canvas_size(image::Size screen, Motion motion);

struct Offset {
  int x = 0, y = 0;
  friend bool operator==(const Offset&, const Offset&) = default;
};

// Slides take turns on this many paths (left to right, a diagonal, right to left, the other
// diagonal), so consecutive photos never drift the same way.
inline constexpr int kPanPaths = 4;

// The window's top-left corner in a `canvas`-sized slide at `progress` (0..1, clamped) of the
// slide's time on screen, on path `path` (any integer; taken modulo kPanPaths). Constant speed,
// rounded to whole pixels. A canvas no larger than the screen on an axis stays at 0 there.
Offset pan_offset(image::Size canvas, image::Size screen, int path, double progress);

// The centred window: what a slide composed for pan shows with motion off.
Offset centred_offset(image::Size canvas, image::Size screen);

}  // namespace vk::display
