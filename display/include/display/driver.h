// The screen as a driver table (after mpv's vo_driver): the show loop composes each frame
// into the FrameView the driver hands out, then asks it to present.
//
//   surface   SDL window surface: software path, no GL (x11, wayland, offscreen, dummy).
//             What a board without a GPU uses and what the bench measures.
//   renderer  SDL_Renderer with one streaming texture, copied unscaled: the GPU path
//             (KMSDRM + GLES2 on a Pi 4/5 console). When its renderer can blend
//             premultiplied layers (GLES2, OpenGL) the GPU composes every frame itself
//             from layers instead (LayerCompositor): blends, pans and zooms.
//   dumb      KMS dumb buffers on /dev/dri/cardN, page-flipped, no SDL and no GL: the
//             software path of a console board without a GPU (SDL2's KMSDRM would present
//             through llvmpipe there).
//   memory    no SDL at all: frames stay in memory (unit tests of the loop).
// A driver belongs to the render thread; only wake() may be called from another thread.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "display/canvas.h"
#include "image/pixels.h"
#include "vk/result.h"

namespace vk::display {

struct DriverOptions {
  std::string video_driver;             // SDL video driver ("x11", "kmsdrm", "offscreen"...); empty: SDL's choice
  bool windowed = false;                // a window instead of fullscreen (development)
  image::Size window_size{1920, 1080};  // windowed, offscreen and dummy
  int drm_device = -1;                  // KMSDRM device index, -1: SDL's choice
  bool vsync = true;                    // renderer driver only
};

struct DriverEvents {
  bool quit = false;
  bool resized = false;  // size() changed: prepared canvases are stale
  std::string note;      // what happened to the screen, in plain words for the log ("" when nothing did)
};

// One slide drawn by a GPU: the `window` part of it scaled to fill the screen.
struct SlideLayer {
  std::shared_ptr<const Canvas> slide;
  Window window;
  int opacity = 256;  // 0..256, over what was drawn before (a crossfade's incoming slide)
};
// One overlay sprite drawn unscaled with its top-left corner at (x, y).
struct SpriteLayer {
  std::shared_ptr<const Sprite> sprite;
  int x = 0, y = 0;
  int opacity = 256;  // 0..256 (a caption fading with its photo)
};

// A driver that composes frames itself from layers, on a GPU: the crossfade's blend and the
// motion's scaling are the GPU's work, the CPU only says what to draw (zoom resamples the
// whole picture every frame, which only a GPU can afford). A slide or sprite becomes a texture the first time
// it is drawn and stays one while it is drawn (they are immutable, shared by pointer), so a
// frame uploads nothing once its layers are known. Belongs to the render thread.
class LayerCompositor {
 public:
  virtual ~LayerCompositor() = default;
  // Draws the next frame (then present() shows it): `slides` in order, the first as it is and
  // each later one over it at its opacity, then `sprites` over them.
  virtual Status draw_layers(std::span<const SlideLayer> slides, std::span<const SpriteLayer> sprites) = 0;
  // Makes `slide` a texture now, before the frame that first draws it: the upload (8-10 MB at
  // 1080p) is the one costly step of a frame, and a dwell has time for it where the first frame
  // of a fade has not. Kept while it is prepared again or drawn, each frame.
  virtual Status prepare(const std::shared_ptr<const Canvas>& slide) = 0;
  // The frame drawn since the last present(), read back into `into` (resized to the frame):
  // tests, snapshots and the live preview. A GPU stalls for it: never every frame of a show.
  virtual Status read_frame(Canvas& into) = 0;
  // Textures filled so far (made, or refilled with another picture).
  [[nodiscard]] virtual std::uint64_t uploads() const = 0;
  // The largest slide or sprite it can hold (the GPU's maximum texture size).
  [[nodiscard]] virtual image::Size max_layer_size() const = 0;
};

class ScreenDriver {
 public:
  virtual ~ScreenDriver() = default;
  // The frame's size in pixels (never above the renderer's maximum texture size).
  [[nodiscard]] virtual image::Size size() const = 0;
  // Where to draw the next frame. Valid until present().
  virtual Result<FrameView> begin_frame() = 0;
  // Shows the frame drawn since begin_frame().
  virtual Status present() = 0;
  // Handles pending window events without blocking longer than `wait_ms`; wake() ends the wait.
  virtual DriverEvents poll_events(int wait_ms) = 0;
  // Any thread: ends a poll_events() wait early (new slide ready).
  virtual void wake() = 0;
  // "offscreen, window surface 1920x1080 XRGB8888"
  [[nodiscard]] virtual std::string describe() const = 0;
  // The driver's own compositor, when it has one (a renderer that scales and blends layers);
  // null on the software drivers. A frame is drawn either into begin_frame()'s view or by
  // draw_layers(), then present().
  virtual LayerCompositor* compositor() { return nullptr; }
};

// A display mode of a connected screen.
struct DisplayMode {
  image::Size size;
  int refresh_hz = 0;
  bool preferred = false;  // the screen's own choice (its EDID's native mode)
};
// The mode the dumb-buffer driver sets: the preferred one, else the largest (then the fastest).
DisplayMode choose_display_mode(const std::vector<DisplayMode>& modes);
// True when a kernel uevent (NETLINK_KOBJECT_UEVENT: "change@/devices/...\0KEY=value\0...")
// is a DRM connector hotplug: SUBSYSTEM=drm with HOTPLUG=1. The dumb-buffer driver then probes
// its screen again (a replugged HDMI screen may want another mode).
bool is_drm_hotplug_uevent(std::string_view message);

Result<std::unique_ptr<ScreenDriver>> make_surface_driver(const DriverOptions& options);
// `options.drm_device` picks /dev/dri/cardN (-1: card0); window options do not apply.
Result<std::unique_ptr<ScreenDriver>> make_dumb_buffer_driver(const DriverOptions& options);
Result<std::unique_ptr<ScreenDriver>> make_renderer_driver(const DriverOptions& options);
std::unique_ptr<ScreenDriver> make_memory_driver(image::Size size);

}  // namespace vk::display
