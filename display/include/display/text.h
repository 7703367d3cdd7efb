// Text for the screen: UTF-8 in any language, rendered with SDL2_ttf into sprites.
//
// A fallback chain of fonts picks, for each character, the first font that has it: DejaVu
// Sans (Latin, Greek, Cyrillic, symbols), then Noto Sans CJK when installed (Chinese,
// Japanese, Korean). A character no font has is drawn by the first font (a box), never dropped
// silently. SDL_ttf is not thread-safe: a TextRenderer belongs to the render thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "display/canvas.h"
#include "vk/result.h"

namespace vk::display {

struct TextStyle {
  int size_px = 32;
  std::uint32_t colour = 0xFFFFFF;  // XRGB
  bool bold = false;
  bool shadow = false;  // a soft dark shadow so light text reads on any photo
};

class TextRenderer {
 public:
  // Opens the fallback chain from `font_files` (regular faces; "-Bold" siblings are used for
  // bold when they exist). Empty: the Debian locations of DejaVu and Noto CJK. Fails when
  // none of the fonts can be opened.
  static Result<std::unique_ptr<TextRenderer>> create(std::vector<std::filesystem::path> font_files = {});
  ~TextRenderer();
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  Sprite render(std::string_view utf8, const TextStyle& style);
  // True when some font of the chain has a glyph for `codepoint`.
  bool has_glyph(char32_t codepoint);
  // The font files in use, in fallback order.
  [[nodiscard]] std::vector<std::filesystem::path> fonts() const;

 private:
  struct Impl;
  explicit TextRenderer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Default fallback chain on Debian: DejaVu Sans, then Noto Sans CJK when installed.
std::vector<std::filesystem::path> default_font_chain();

}  // namespace vk::display
