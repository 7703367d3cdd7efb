// The GPU path: one streaming texture in XRGB8888, exactly the frame's size (the renderer
// never scales, never converts, never blends), copied and presented with vsync.
#include <SDL.h>

#include <algorithm>

#include "display/driver.h"
#include "sdl_video.h"

namespace vk::display {
namespace {

class RendererDriver final : public ScreenDriver {
 public:
  Status init(const DriverOptions& options) {
    VK_RETURN_IF_ERROR(session_.start(options));
    VK_ASSIGN_OR_RETURN(window_, sdl::create_window(options));
    wake_event_ = SDL_RegisterEvents(1);
    const Uint32 flags = options.vsync ? static_cast<Uint32>(SDL_RENDERER_PRESENTVSYNC) : 0U;
    renderer_.reset(SDL_CreateRenderer(window_.get(), -1, flags));
    if (!renderer_)
      return make_error(ErrorCode::unsupported, std::string("cannot create a renderer: ") + SDL_GetError());
    SDL_RendererInfo info{};
    SDL_GetRendererInfo(renderer_.get(), &info);
    name_ = info.name != nullptr ? info.name : "?";
    max_texture_ = {info.max_texture_width > 0 ? info.max_texture_width : 16384,
                    info.max_texture_height > 0 ? info.max_texture_height : 16384};
    return acquire();
  }

  [[nodiscard]] image::Size size() const override { return size_; }

  Result<FrameView> begin_frame() override {
    void* pixels = nullptr;
    int pitch = 0;
    if (SDL_LockTexture(texture_.get(), nullptr, &pixels, &pitch) != 0) {
      return make_error(ErrorCode::io, std::string("cannot lock the frame texture: ") + SDL_GetError());
    }
    return FrameView{static_cast<std::uint32_t*>(pixels), size_.width, size_.height, pitch / 4};
  }

  Status present() override {
    SDL_UnlockTexture(texture_.get());
    SDL_RenderCopy(renderer_.get(), texture_.get(), nullptr, nullptr);
    SDL_RenderPresent(renderer_.get());
    return {};
  }

  DriverEvents poll_events(int wait_ms) override {
    DriverEvents e = sdl::pump_events(wait_ms, wake_event_, window_.get());
    if (e.resized && !acquire()) e.resized = false;
    return e;
  }

  void wake() override {
    SDL_Event e{};
    e.type = wake_event_;
    SDL_PushEvent(&e);
  }

  [[nodiscard]] std::string describe() const override {
    return std::string(SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?") + ", renderer " + name_ + " " +
           std::to_string(size_.width) + "x" + std::to_string(size_.height) + " (max texture " +
           std::to_string(max_texture_.width) + ")";
  }

 private:
  Status acquire() {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_.get(), &w, &h);
    // Never above the maximum texture size (4096 on a Pi 4): the one case where the renderer
    // scales, once, on the GPU.
    size_ = {std::min(w, max_texture_.width), std::min(h, max_texture_.height)};
    texture_.reset(SDL_CreateTexture(renderer_.get(), SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING, size_.width,
                                     size_.height));
    if (!texture_)
      return make_error(ErrorCode::unsupported, std::string("cannot create the frame texture: ") + SDL_GetError());
    SDL_SetTextureBlendMode(texture_.get(), SDL_BLENDMODE_NONE);
    return {};
  }

  sdl::VideoSession session_;
  sdl::WindowPtr window_;
  sdl::RendererPtr renderer_;
  sdl::TexturePtr texture_;
  std::string name_;
  image::Size size_, max_texture_;
  Uint32 wake_event_ = 0;
};

}  // namespace

Result<std::unique_ptr<ScreenDriver>> make_renderer_driver(const DriverOptions& options) {
  auto driver = std::make_unique<RendererDriver>();
  VK_RETURN_IF_ERROR(driver->init(options));
  return std::unique_ptr<ScreenDriver>(std::move(driver));
}

}  // namespace vk::display
