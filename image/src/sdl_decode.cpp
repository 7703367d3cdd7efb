#include "sdl_decode.h"

#include <SDL.h>
#include <SDL_image.h>

#include <memory>
#include <mutex>
#include <string>

namespace vk::image::detail {
namespace {

struct SurfaceDeleter {
  void operator()(SDL_Surface* surface) const { SDL_FreeSurface(surface); }
};
using SurfacePtr = std::unique_ptr<SDL_Surface, SurfaceDeleter>;

void init_sdl_image_once() {
  static std::once_flag once;
  std::call_once(once, [] { IMG_Init(IMG_INIT_PNG | IMG_INIT_WEBP); });
}

}  // namespace

Result<Image> decode_with_sdl_image(std::span<const std::uint8_t> bytes) {
  init_sdl_image_once();
  SDL_RWops* rw = SDL_RWFromConstMem(bytes.data(), static_cast<int>(bytes.size()));
  if (rw == nullptr) return make_error(ErrorCode::internal, "cannot read image from memory");
  SurfacePtr loaded(IMG_Load_RW(rw, 1));
  if (!loaded) {
    return make_error(ErrorCode::invalid_input, std::string("the image data is corrupt or truncated (") + IMG_GetError() + ")");
  }
  // ABGR8888 is R,G,B,A in memory order on little-endian machines; RGBA32 names that portably.
  SurfacePtr rgba(SDL_ConvertSurfaceFormat(loaded.get(), SDL_PIXELFORMAT_RGBA32, 0));
  if (!rgba) return make_error(ErrorCode::internal, std::string("cannot convert pixels: ") + SDL_GetError());

  Image image;
  image.width = rgba->w;
  image.height = rgba->h;
  image.rgb.resize(static_cast<std::size_t>(image.width) * image.height * 3);
  const auto* base = static_cast<const std::uint8_t*>(rgba->pixels);
  std::uint8_t* out = image.rgb.data();
  for (int y = 0; y < rgba->h; ++y) {
    const std::uint8_t* row = base + static_cast<std::ptrdiff_t>(y) * rgba->pitch;
    for (int x = 0; x < rgba->w; ++x, out += 3) {
      const unsigned a = row[x * 4 + 3];
      for (int c = 0; c < 3; ++c) {
        out[c] = static_cast<std::uint8_t>((row[x * 4 + c] * a + 255U * (255U - a) + 127U) / 255U);
      }
    }
  }
  return image;
}

}  // namespace vk::image::detail
