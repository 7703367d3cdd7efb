// Shared SDL start-up of the surface and renderer drivers (internal).
#pragma once

#include <SDL.h>

#include "display/driver.h"
#include "sdl_handles.h"

namespace vk::display::sdl {

// Owns SDL's video subsystem for as long as a driver lives.
class VideoSession {
 public:
  VideoSession() = default;
  VideoSession(const VideoSession&) = delete;
  VideoSession& operator=(const VideoSession&) = delete;
  ~VideoSession() {
    if (started_) SDL_QuitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
  }
  Status start(const DriverOptions& options);

 private:
  bool started_ = false;
};

// Creates the window (fullscreen-desktop unless windowed), hides the cursor.
Result<WindowPtr> create_window(const DriverOptions& options);

// Window events -> DriverEvents, waiting at most `wait_ms` for the first one. A display event
// (screen plugged, unplugged, another mode) fits a fullscreen `window` to the desktop again
// and reports `resized`.
DriverEvents pump_events(int wait_ms, Uint32 wake_event, SDL_Window* window);

}  // namespace vk::display::sdl
