#include "sdl_video.h"

#include <algorithm>
#include <string>

namespace vk::display::sdl {

Status VideoSession::start(const DriverOptions& options) {
  if (!options.video_driver.empty()) SDL_SetHint(SDL_HINT_VIDEODRIVER, options.video_driver.c_str());
  if (options.drm_device >= 0) {
    // Pi 5 numbers its DRM devices differently from boot to boot; the config pins one.
    SDL_SetHint("SDL_KMSDRM_DEVICE_INDEX", std::to_string(options.drm_device).c_str());
  }
  // A kiosk screen must never blank, and a window that loses focus must stay fullscreen.
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
  // The process decides what SIGINT/SIGTERM mean (see kiosk/app/cmd_show.cpp), not SDL.
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  if (SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
    return make_error(ErrorCode::unsupported, std::string("cannot start the display: ") + SDL_GetError(),
                      options.video_driver);
  }
  started_ = true;
  SDL_DisableScreenSaver();
  return {};
}

Result<WindowPtr> create_window(const DriverOptions& options) {
  Uint32 flags = SDL_WINDOW_SHOWN;
  // Without a display (offscreen, dummy) "fullscreen" would be the driver's made-up 1024x768
  // mode: the requested size is the screen.
  const std::string driver = SDL_GetCurrentVideoDriver() != nullptr ? SDL_GetCurrentVideoDriver() : "";
  const bool headless = driver == "offscreen" || driver == "dummy";
  if (options.windowed || headless) {
    if (!headless) flags |= SDL_WINDOW_RESIZABLE;
  } else {
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;  // the display's own mode: no mode switch, follows a replug
  }
  WindowPtr window(SDL_CreateWindow("venuekiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                    options.window_size.width, options.window_size.height, flags));
  if (!window) return make_error(ErrorCode::unsupported, std::string("cannot open the window: ") + SDL_GetError());
  if (!options.windowed && !headless) SDL_ShowCursor(SDL_DISABLE);
  return window;
}

namespace {

// A screen plugged, unplugged or switched to another mode: a fullscreen-desktop window is meant
// to cover the desktop's current mode. SDL (2.26) resizes it itself on X11 with a window manager;
// where it does not (no window manager, KMSDRM), leaving and entering fullscreen again fits it.
void refit_fullscreen(SDL_Window* window) {
  if (window == nullptr ||
      (SDL_GetWindowFlags(window) & SDL_WINDOW_FULLSCREEN_DESKTOP) != SDL_WINDOW_FULLSCREEN_DESKTOP)
    return;
  SDL_DisplayMode desktop{};
  if (SDL_GetDesktopDisplayMode(std::max(0, SDL_GetWindowDisplayIndex(window)), &desktop) != 0) return;
  int w = 0, h = 0;
  SDL_GetWindowSize(window, &w, &h);
  if (w == desktop.w && h == desktop.h) return;
  SDL_SetWindowFullscreen(window, 0);
  SDL_SetWindowFullscreen(window, SDL_WINDOW_FULLSCREEN_DESKTOP);
}

}  // namespace

DriverEvents pump_events(int wait_ms, Uint32 wake_event, SDL_Window* window) {
  DriverEvents out;
  SDL_Event e;
  bool have = wait_ms > 0 ? SDL_WaitEventTimeout(&e, wait_ms) != 0 : SDL_PollEvent(&e) != 0;
  while (have) {
    if (e.type == SDL_QUIT) out.quit = true;
    if (e.type == SDL_KEYDOWN && (e.key.keysym.sym == SDLK_ESCAPE || e.key.keysym.sym == SDLK_q)) out.quit = true;
    if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) out.resized = true;
    if (e.type == SDL_RENDER_TARGETS_RESET || e.type == SDL_RENDER_DEVICE_RESET) out.resized = true;
    if (e.type == SDL_DISPLAYEVENT) {
      // The drivers read the size again; the show only rebuilds when it really changed.
      refit_fullscreen(window);
      out.resized = true;
    }
    (void)wake_event;  // a wake only ends the wait
    have = SDL_PollEvent(&e) != 0;
  }
  return out;
}

}  // namespace vk::display::sdl
