// The GPU path. Where the renderer can blend premultiplied alpha (a custom blend mode: GLES2,
// OpenGL; not SDL's software renderer) it composes every frame itself (LayerCompositor): each
// slide and overlay sprite is a static texture, filled once per picture; a frame draws the
// slides scaled (linear filtering, to fractions of a pixel), blended by their opacity, and the
// premultiplied sprites over them. Elsewhere our frame goes into one streaming texture in
// XRGB8888, exactly the frame's size (the renderer never scales, never converts, never
// blends), copied and presented with vsync.
#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "display/driver.h"
#include "sdl_video.h"

namespace vk::display {
namespace {

// Premultiplied "over": the sprites' colours are already multiplied by their alpha.
SDL_BlendMode premultiplied_blend() {
  return SDL_ComposeCustomBlendMode(SDL_BLENDFACTOR_ONE, SDL_BLENDFACTOR_ONE_MINUS_SRC_ALPHA, SDL_BLENDOPERATION_ADD,
                                    SDL_BLENDFACTOR_ONE, SDL_BLENDFACTOR_ONE_MINUS_SRC_ALPHA, SDL_BLENDOPERATION_ADD);
}

Uint8 to_alpha(int opacity) {
  return static_cast<Uint8>((std::clamp(opacity, 0, 256) * 255 + 128) / 256);
}

class RendererDriver final : public ScreenDriver, public LayerCompositor {
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
    VK_RETURN_IF_ERROR(acquire());
    composes_ = blends_premultiplied();
    // SDL's offscreen driver presents into an EGL pbuffer, where a swap does nothing: without a
    // flush Mesa kept queueing every frame's draws (and the textures they name, freed or not)
    // until a frame was read back: measured, 1.2 s of queued frames drawn at once when a texture
    // was refilled, and memory growing by each freed texture's size. With only a flush, a GPU
    // slower than the loop (Mesa's llvmpipe under load) fell seconds behind. A screen's swap
    // flushes, and waits once the GPU is a frame or two behind; here each frame is finished.
    const char* video = SDL_GetCurrentVideoDriver();
    if (video != nullptr && std::string_view(video) == "offscreen" && SDL_GL_GetCurrentContext() != nullptr) {
      gl_finish_ = reinterpret_cast<void (*)()>(SDL_GL_GetProcAddress("glFinish"));
    }
    return {};
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
    if (!layered_) {
      SDL_UnlockTexture(texture_.get());
      SDL_RenderCopy(renderer_.get(), texture_.get(), nullptr, nullptr);
    }
    layered_ = false;
    SDL_RenderPresent(renderer_.get());
    if (gl_finish_ != nullptr) gl_finish_();
    return {};
  }

  LayerCompositor* compositor() override { return composes_ ? this : nullptr; }

  Status draw_layers(std::span<const SlideLayer> slides, std::span<const SpriteLayer> sprites) override {
    layered_ = true;
    SDL_Renderer* r = renderer_.get();
    SDL_SetRenderDrawColor(r, 0, 0, 0, 255);
    SDL_RenderClear(r);
    // The frame is size_; the output is larger only past the maximum texture size.
    int out_w = 0, out_h = 0;
    SDL_GetRendererOutputSize(r, &out_w, &out_h);
    const double to_out_x = static_cast<double>(out_w) / size_.width;
    const double to_out_y = static_cast<double>(out_h) / size_.height;
    Status status;
    bool first = true;
    for (const SlideLayer& layer : slides) {
      if (!layer.slide || layer.window.width <= 0 || layer.window.height <= 0) continue;
      auto texture = slide_texture(layer.slide);
      if (!texture) {
        status = texture.error();
        continue;
      }
      SDL_SetTextureBlendMode(*texture, first ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
      SDL_SetTextureAlphaMod(*texture, first ? 255 : to_alpha(layer.opacity));
      // The window fills the frame: the whole slide drawn that much larger, shifted.
      const double kx = size_.width / layer.window.width * to_out_x;
      const double ky = size_.height / layer.window.height * to_out_y;
      const SDL_FRect where{static_cast<float>(-layer.window.x * kx), static_cast<float>(-layer.window.y * ky),
                            static_cast<float>(layer.slide->width * kx), static_cast<float>(layer.slide->height * ky)};
      SDL_RenderCopyF(r, *texture, nullptr, &where);
      first = false;
    }
    for (const SpriteLayer& layer : sprites) {
      if (!layer.sprite || layer.sprite->empty() || layer.opacity <= 0) continue;
      auto texture = texture_of(layer.sprite, layer.sprite->width, layer.sprite->height, SDL_PIXELFORMAT_ARGB8888,
                                layer.sprite->px.data(), SDL_ScaleModeNearest);
      if (!texture) {
        status = texture.error();
        continue;
      }
      const Uint8 a = to_alpha(layer.opacity);
      SDL_SetTextureBlendMode(*texture, premultiplied_blend());
      SDL_SetTextureColorMod(*texture, a, a, a);  // premultiplied: the colour fades with alpha
      SDL_SetTextureAlphaMod(*texture, a);
      const SDL_FRect where{static_cast<float>(layer.x * to_out_x), static_cast<float>(layer.y * to_out_y),
                            static_cast<float>(layer.sprite->width * to_out_x),
                            static_cast<float>(layer.sprite->height * to_out_y)};
      SDL_RenderCopyF(r, *texture, nullptr, &where);
    }
    // Textures of slides and sprites no longer drawn let go of their pixels and wait to be
    // filled again by the next picture of their size (the next slide); a few at most are kept.
    int spares = 0;
    const Uint64 now = SDL_GetTicks64();
    for (Held& h : held_) {
      if (!h.used && h.what) {
        h.what.reset();
        h.released_ms = now;
      }
      if (!h.what) ++spares;
      h.used = false;
    }
    // Over the cap, the smallest spare goes first: a text sprite is cheap to make again, a
    // slide's texture is 8-10 MB (and an import's progress line makes a new sprite per photo).
    for (; spares > kSpareTextures; --spares) {
      auto smallest = held_.end();
      for (auto it = held_.begin(); it != held_.end(); ++it) {
        if (!it->what && (smallest == held_.end() || it->width * it->height < smallest->width * smallest->height)) {
          smallest = it;
        }
      }
      held_.erase(smallest);
    }
    return status;
  }

  Status prepare(const std::shared_ptr<const Canvas>& slide) override {
    if (!slide) return {};
    auto texture = slide_texture(slide);
    if (!texture) return texture.error();
    return {};
  }

  Status read_frame(Canvas& into) override {
    if (into.size() != size_) into = Canvas(size_.width, size_.height);
    const SDL_Rect all{0, 0, size_.width, size_.height};
    if (SDL_RenderReadPixels(renderer_.get(), &all, SDL_PIXELFORMAT_RGB888, into.px.data(), size_.width * 4) != 0) {
      return make_error(ErrorCode::io, std::string("cannot read the frame back: ") + SDL_GetError());
    }
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
           std::to_string(max_texture_.width) + (composes_ ? ", composes layers" : "") + ")";
  }

  [[nodiscard]] image::Size max_layer_size() const override { return max_texture_; }
  [[nodiscard]] std::uint64_t uploads() const override { return uploads_; }

 private:
  // A texture held while its slide or sprite is drawn; `what` keeps the pixels alive, so its
  // address is never another picture's while the texture shows it. Empty `what`: a spare.
  struct Held {
    std::shared_ptr<const void> what;
    sdl::TexturePtr texture;
    int width = 0, height = 0;
    Uint32 format = 0;
    bool used = false;
    Uint64 released_ms = 0;  // when it became a spare (SDL_GetTicks64)
  };
  // Spare textures kept for reuse. Slides come and go at the same size, so a new slide fills the
  // texture of a slide shown a while ago: no 10 MB of GPU memory is freed and allocated again
  // per slide, all day (on a Pi that memory is the kernel's contiguous pool, which fragments).
  static constexpr int kSpareTextures = 4;
  // A spare is refilled only this long after its last frame: refilling a texture the GPU may
  // still be drawing from waits for the GPU. The slide that just faded out is not reused for
  // the next one (a third texture is made once), the one before it is.
  static constexpr Uint64 kRefillAfterMs = 1000;

  Result<SDL_Texture*> slide_texture(const std::shared_ptr<const Canvas>& slide) {
    return texture_of(slide, slide->width, slide->height, SDL_PIXELFORMAT_RGB888, slide->px.data(),
                      SDL_ScaleModeLinear);
  }

  Result<SDL_Texture*> texture_of(const std::shared_ptr<const void>& what, int width, int height, Uint32 format,
                                  const std::uint32_t* pixels, SDL_ScaleMode scale) {
    for (Held& h : held_) {
      if (h.what == what) {
        h.used = true;
        return h.texture.get();
      }
    }
    Held* oldest = nullptr;
    const Uint64 now = SDL_GetTicks64();
    for (Held& h : held_) {
      if (!h.what && h.width == width && h.height == height && h.format == format &&
          now - h.released_ms >= kRefillAfterMs && (oldest == nullptr || h.released_ms < oldest->released_ms)) {
        oldest = &h;
      }
    }
    if (oldest != nullptr) {
      if (SDL_UpdateTexture(oldest->texture.get(), nullptr, pixels, width * 4) != 0) {
        return make_error(ErrorCode::io, std::string("cannot fill a texture: ") + SDL_GetError());
      }
      oldest->what = what;
      oldest->used = true;
      ++uploads_;
      return oldest->texture.get();
    }
    if (width > max_texture_.width || height > max_texture_.height) {
      return make_error(ErrorCode::unsupported, "a layer of " + std::to_string(width) + "x" + std::to_string(height) +
                                                    " is larger than the GPU's textures (" +
                                                    std::to_string(max_texture_.width) + ")");
    }
    sdl::TexturePtr texture(SDL_CreateTexture(renderer_.get(), format, SDL_TEXTUREACCESS_STATIC, width, height));
    if (!texture || SDL_UpdateTexture(texture.get(), nullptr, pixels, width * 4) != 0) {
      return make_error(ErrorCode::io, std::string("cannot make a texture: ") + SDL_GetError());
    }
    SDL_SetTextureScaleMode(texture.get(), scale);
    held_.push_back({what, std::move(texture), width, height, format, true});
    ++uploads_;
    return held_.back().texture.get();
  }

  // SDL's software renderer refuses custom blend modes; GLES2 and OpenGL take them.
  bool blends_premultiplied() {
    sdl::TexturePtr probe(SDL_CreateTexture(renderer_.get(), SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, 1, 1));
    return probe && SDL_SetTextureBlendMode(probe.get(), premultiplied_blend()) == 0;
  }

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
  std::vector<Held> held_;  // after renderer_: destroyed before it
  std::string name_;
  image::Size size_, max_texture_;
  Uint32 wake_event_ = 0;
  bool composes_ = false;          // a compositor (see blends_premultiplied)
  std::uint64_t uploads_ = 0;      // textures filled (see uploads())
  void (*gl_finish_)() = nullptr;  // offscreen GL renderers only (see init)
  bool layered_ = false;           // this frame was drawn by draw_layers, not into the streaming texture
};

}  // namespace

Result<std::unique_ptr<ScreenDriver>> make_renderer_driver(const DriverOptions& options) {
  auto driver = std::make_unique<RendererDriver>();
  VK_RETURN_IF_ERROR(driver->init(options));
  return std::unique_ptr<ScreenDriver>(std::move(driver));
}

}  // namespace vk::display
