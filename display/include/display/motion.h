// Motion of a slide while it is on screen (screen.motion, the "Ken Burns" of issue 5).
//
// With motion on, the loader composes every slide a little larger than the screen
// (slide_canvas_size) and the render loop shows a screen-sized window that glides across it,
// from one side of the margin to the other over the slide's time on screen. The window moves
// in whole pixels: each frame is a row copy with an offset (a blend of two windows during a
// fade), never a resampling.
//
// Zoom ("pan-zoom") resamples the whole picture every frame: that is the GPU's work, so it runs
// only on a driver whose renderer scales and blends layers itself (the `renderer` driver on a
// board with a GPU, LayerCompositor in driver.h). The window then grows or shrinks while it
// glides, in fractions of a pixel. On the software drivers it would cost several times the
// 2.5 ms frame budget (docs/display.md), so there "pan-zoom" runs as "pan" and says so.
// Pure functions; any thread.
#pragma once

#include <string>

#include "display/canvas.h"
#include "image/pixels.h"

namespace vk::display {

enum class Motion { off, pan, pan_zoom };

// The motion that runs for screen.motion on a driver ("surface", "renderer", "dumb", "memory");
// `driver_scales`: the driver draws scaled layers itself (ScreenDriver::compositor()), the
// one place zoom runs. `note` is a line for the log when what runs is not what was configured
// (empty otherwise).
struct MotionChoice {
  Motion motion = Motion::off;
  std::string note;
};
MotionChoice choose_motion(const std::string& configured, const std::string& driver, bool driver_scales);

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

// The same window to fractions of a pixel (pan_offset() is it rounded): what a GPU draws, which
// can place a picture between pixels, so the pan glides instead of stepping a pixel at a time.
Window pan_window(image::Size canvas, image::Size screen, int path, double progress);

// The centred window: what a slide composed for pan shows with motion off.
Offset centred_offset(image::Size canvas, image::Size screen);

// The part of a `canvas`-sized slide that fills the screen at `progress` (0..1, clamped) of the
// slide's time on screen, zooming on path `path` (any integer; modulo kPanPaths): even paths
// zoom in, from the whole slide (the margin's 8 % drawn smaller than its pixels) to a
// screen-sized part of it (1:1, never enlarged past its pixels), odd paths zoom out; each path
// drifts towards another part of the picture while it zooms. Always the screen's aspect ratio
// and inside the slide; linear in size and position, so the motion is even. A canvas no larger
// than the screen is shown whole.
Window zoom_window(image::Size canvas, image::Size screen, int path, double progress);

}  // namespace vk::display
