#include "gif_decode.h"

#include <gif_lib.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "limits_check.h"

namespace vk::image::detail {
namespace {

struct Reader {
  std::span<const std::uint8_t> bytes;
  std::size_t at = 0;
};

int read_from_memory(GifFileType* gif, GifByteType* out, int wanted) {
  auto* reader = static_cast<Reader*>(gif->UserData);
  const std::size_t n = std::min(static_cast<std::size_t>(std::max(wanted, 0)), reader->bytes.size() - reader->at);
  std::memcpy(out, reader->bytes.data() + reader->at, n);
  reader->at += n;
  return static_cast<int>(n);
}

struct GifCloser {
  void operator()(GifFileType* gif) const {
    int error = 0;
    DGifCloseFile(gif, &error);
  }
};

// giflib's GifErrorString() returns null for codes it does not name (found by the fuzzer).
Error damaged(const char* what) {
  return make_error(ErrorCode::invalid_input, std::string("the GIF image is damaged or truncated (") +
                                                  (what != nullptr ? what : "unknown error") + ")");
}

}  // namespace

Result<Image> decode_gif(std::span<const std::uint8_t> bytes, const Limits& limits) {
  Reader reader{bytes};
  int error = 0;
  std::unique_ptr<GifFileType, GifCloser> gif(DGifOpen(&reader, read_from_memory, &error));
  if (!gif) return damaged(GifErrorString(error));
  const int canvas_w = gif->SWidth;
  const int canvas_h = gif->SHeight;
  if (canvas_w <= 0 || canvas_h <= 0) return damaged("no canvas size");
  VK_RETURN_IF_ERROR(check_limits({canvas_w, canvas_h}, limits));

  int transparent = -1;
  GifRecordType record = UNDEFINED_RECORD_TYPE;
  do {
    if (DGifGetRecordType(gif.get(), &record) == GIF_ERROR) return damaged(GifErrorString(gif->Error));
    if (record == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* ext = nullptr;
      if (DGifGetExtension(gif.get(), &code, &ext) == GIF_ERROR) return damaged(GifErrorString(gif->Error));
      if (code == GRAPHICS_EXT_FUNC_CODE && ext != nullptr && ext[0] >= 4) {
        GraphicsControlBlock gcb{};
        if (DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
      }
      while (ext != nullptr) {
        if (DGifGetExtensionNext(gif.get(), &ext) == GIF_ERROR) return damaged(GifErrorString(gif->Error));
      }
    }
  } while (record != IMAGE_DESC_RECORD_TYPE && record != TERMINATE_RECORD_TYPE);
  if (record != IMAGE_DESC_RECORD_TYPE) return damaged("no image in the file");
  if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return damaged(GifErrorString(gif->Error));

  const GifImageDesc& desc = gif->Image;
  // The frame must lie inside the canvas: a frame header may claim anything.
  if (desc.Width <= 0 || desc.Height <= 0 || desc.Left < 0 || desc.Top < 0 || desc.Left + desc.Width > canvas_w ||
      desc.Top + desc.Height > canvas_h) {
    return damaged("the first frame lies outside the picture");
  }
  const ColorMapObject* map = desc.ColorMap != nullptr ? desc.ColorMap : gif->SColorMap;
  if (map == nullptr || map->Colors == nullptr) return damaged("no colour table");

  std::vector<GifPixelType> indices(static_cast<std::size_t>(desc.Width) * static_cast<std::size_t>(desc.Height));
  const auto row_at = [&](int row) { return indices.data() + static_cast<std::size_t>(row) * desc.Width; };
  if (desc.Interlace) {
    // GIF interlacing stores rows in four passes: every 8th from 0, every 8th from 4, ...
    constexpr int kStart[] = {0, 4, 2, 1};
    constexpr int kStep[] = {8, 8, 4, 2};
    for (int pass = 0; pass < 4; ++pass) {
      for (int row = kStart[pass]; row < desc.Height; row += kStep[pass]) {
        if (DGifGetLine(gif.get(), row_at(row), desc.Width) == GIF_ERROR) return damaged(GifErrorString(gif->Error));
      }
    }
  } else {
    for (int row = 0; row < desc.Height; ++row) {
      if (DGifGetLine(gif.get(), row_at(row), desc.Width) == GIF_ERROR) return damaged(GifErrorString(gif->Error));
    }
  }

  Image image;
  image.width = canvas_w;
  image.height = canvas_h;
  image.rgb.assign(static_cast<std::size_t>(canvas_w) * static_cast<std::size_t>(canvas_h) * 3, 255);
  for (int y = 0; y < desc.Height; ++y) {
    const GifPixelType* src = row_at(y);
    for (int x = 0; x < desc.Width; ++x) {
      const int index = src[x];
      if (index == transparent || index >= map->ColorCount) continue;
      const GifColorType& c = map->Colors[index];
      std::uint8_t* dst =
          image.rgb.data() +
          (static_cast<std::size_t>(desc.Top + y) * canvas_w + static_cast<std::size_t>(desc.Left + x)) * 3;
      dst[0] = c.Red;
      dst[1] = c.Green;
      dst[2] = c.Blue;
    }
  }
  return image;
}

}  // namespace vk::image::detail
