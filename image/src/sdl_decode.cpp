#include "sdl_decode.h"

#include <SDL.h>
#include <SDL_image.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "byte_reader.h"
#include "png_chunks.h"

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

// SDL_image's PNG reader ignores short reads (its libpng read callback drops SDL_RWread's
// count), so past the end of a cut-off file libpng goes on parsing a stale buffer: a file that
// ends inside an ancillary chunk makes it read that chunk again and again, forever (found by
// fuzz_image; the same cut happens to a file copied off a card pulled too early). So a PNG is
// walked chunk by chunk first, and every chunk up to IEND must lie inside the file.
Status check_png_chunks(std::span<const std::uint8_t> bytes) {
  const auto walked = walk_png_chunks(bytes, [](const PngChunk&) {});
  if (!walked && walked.error().code == ErrorCode::truncated) {
    return make_error(ErrorCode::truncated,
                      "the file is truncated: the PNG ends before its last part (an incomplete copy?)");
  }
  if (!walked)
    return make_error(ErrorCode::invalid_input, "the image data is corrupt (" + walked.error().message + ")");
  return {};
}

}  // namespace

Result<Image> decode_with_sdl_image(std::span<const std::uint8_t> bytes) {
  init_sdl_image_once();
  if (ByteReader(bytes).matches(0, kPngSignature)) VK_RETURN_IF_ERROR(check_png_chunks(bytes));
  SDL_RWops* rw = SDL_RWFromConstMem(bytes.data(), static_cast<int>(bytes.size()));
  if (rw == nullptr) return make_error(ErrorCode::internal, "cannot read image from memory");
  SurfacePtr loaded(IMG_Load_RW(rw, 1));
  if (!loaded) {
    return make_error(ErrorCode::invalid_input,
                      std::string("the image data is corrupt or truncated (") + IMG_GetError() + ")");
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
