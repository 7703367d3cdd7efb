// The software path: draw straight into SDL's window surface and let SDL push it to the
// display (XShm on X11, a shared buffer on Wayland, memory for offscreen). No GL, so no
// llvmpipe on a board without a GPU; no conversion when the surface is XRGB8888.
#include <SDL.h>

#include "display/driver.h"
#include "sdl_video.h"

namespace vk::display {
namespace {

bool is_xrgb(Uint32 format) {
  return format == SDL_PIXELFORMAT_RGB888 || format == SDL_PIXELFORMAT_ARGB8888;
}

class SurfaceDriver final : public ScreenDriver {
 public:
  Status init(const DriverOptions& options) {
    // Without this SDL backs the window surface with a GL renderer texture where it can (the
    // offscreen driver's EGL, KMSDRM): Mesa's llvmpipe on a board without a GPU, ~16 ms+ a frame.
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    VK_RETURN_IF_ERROR(session_.start(options));
    VK_ASSIGN_OR_RETURN(window_, sdl::create_window(options));
    wake_event_ = SDL_RegisterEvents(1);
    return acquire();
  }

  [[nodiscard]] image::Size size() const override { return size_; }

  Result<FrameView> begin_frame() override {
    if (surface_ == nullptr) VK_RETURN_IF_ERROR(acquire());
    if (!direct_) return staging_.view();
    if (SDL_MUSTLOCK(surface_)) SDL_LockSurface(surface_);
    return FrameView{static_cast<std::uint32_t*>(surface_->pixels), surface_->w, surface_->h, surface_->pitch / 4};
  }

  Status present() override {
    if (surface_ == nullptr) return {};
    if (direct_) {
      if (SDL_MUSTLOCK(surface_)) SDL_UnlockSurface(surface_);
    } else {
      // Slow path, kept for odd displays (16-bit framebuffers): one conversion per frame.
      SDL_ConvertPixels(size_.width, size_.height, SDL_PIXELFORMAT_RGB888, staging_.px.data(), size_.width * 4,
                        surface_->format->format, surface_->pixels, surface_->pitch);
    }
    if (SDL_UpdateWindowSurface(window_.get()) != 0) {
      surface_ = nullptr;  // the window changed under us: get the new surface next frame
      return make_error(ErrorCode::io, std::string("cannot show the frame: ") + SDL_GetError());
    }
    return {};
  }

  DriverEvents poll_events(int wait_ms) override {
    DriverEvents e = sdl::pump_events(wait_ms, wake_event_, window_.get());
    if (e.resized) {
      surface_ = nullptr;
      if (auto st = acquire(); !st) e.resized = false;
    }
    return e;
  }

  void wake() override {
    SDL_Event e{};
    e.type = wake_event_;
    SDL_PushEvent(&e);  // thread-safe in SDL2
  }

  [[nodiscard]] std::string describe() const override {
    return std::string(SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?") + ", window surface " +
           std::to_string(size_.width) + "x" + std::to_string(size_.height) + " " +
           (surface_ ? SDL_GetPixelFormatName(surface_->format->format) : "?") + (direct_ ? "" : " (converted)");
  }

 private:
  Status acquire() {
    surface_ = SDL_GetWindowSurface(window_.get());  // owned by the window
    if (surface_ == nullptr) {
      return make_error(ErrorCode::unsupported, std::string("the display has no window surface: ") + SDL_GetError());
    }
    size_ = {surface_->w, surface_->h};
    direct_ = is_xrgb(surface_->format->format);
    if (!direct_) staging_ = Canvas(size_.width, size_.height);
    return {};
  }

  sdl::VideoSession session_;
  sdl::WindowPtr window_;
  SDL_Surface* surface_ = nullptr;
  image::Size size_;
  bool direct_ = true;
  Canvas staging_;
  Uint32 wake_event_ = 0;
};

}  // namespace

Result<std::unique_ptr<ScreenDriver>> make_surface_driver(const DriverOptions& options) {
  auto driver = std::make_unique<SurfaceDriver>();
  VK_RETURN_IF_ERROR(driver->init(options));
  return std::unique_ptr<ScreenDriver>(std::move(driver));
}

}  // namespace vk::display
