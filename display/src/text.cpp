#include "display/text.h"

#include <SDL.h>
#include <SDL_ttf.h>

#include <algorithm>
#include <map>
#include <string>

#include "sdl_handles.h"

namespace vk::display {
namespace {

// One decoded UTF-8 character and where its bytes are.
struct CodePoint {
  char32_t value;
  std::size_t begin, end;
};

// Invalid bytes become U+FFFD so that hostile captions still render.
std::vector<CodePoint> decode_utf8(std::string_view s) {
  std::vector<CodePoint> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    char32_t value = len == 1 ? c : len == 2 ? (c & 0x1FU) : len == 3 ? (c & 0x0FU) : (c & 0x07U);
    bool ok = len > 0 && i + static_cast<std::size_t>(len) <= s.size();
    for (int k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      ok = (cc >> 6) == 2;
      value = (value << 6) | (cc & 0x3FU);
    }
    if (!ok) {
      out.push_back({0xFFFD, i, i + 1});
      ++i;
      continue;
    }
    out.push_back({value, i, i + static_cast<std::size_t>(len)});
    i += static_cast<std::size_t>(len);
  }
  return out;
}

// "NotoSansCJK-Regular.ttc" -> "NotoSansCJK-Bold.ttc", "DejaVuSans.ttf" -> "DejaVuSans-Bold.ttf".
std::filesystem::path bold_sibling(const std::filesystem::path& regular) {
  std::string name = regular.filename().string();
  if (const auto at = name.find("-Regular."); at != std::string::npos) {
    return regular.parent_path() / name.replace(at, 8, "-Bold");
  }
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return regular;
  return regular.parent_path() / (name.substr(0, dot) + "-Bold" + name.substr(dot));
}

// Straight-alpha ARGB surface rows -> premultiplied sprite, placed at (dx, dy).
void paste_surface(const SDL_Surface* s, Sprite& sprite, int dx, int dy) {
  for (int y = 0; y < s->h; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(static_cast<const std::uint8_t*>(s->pixels) +
                                                             static_cast<std::ptrdiff_t>(y) * s->pitch);
    const int ty = y + dy;
    if (ty < 0 || ty >= sprite.height) continue;
    for (int x = 0; x < s->w; ++x) {
      const int tx = x + dx;
      if (tx < 0 || tx >= sprite.width) continue;
      const std::uint32_t p = row[x];
      const std::uint32_t a = p >> 24;
      if (a == 0) continue;
      auto mul = [a](std::uint32_t v) { return (v * a + 127) / 255; };
      const std::uint32_t premultiplied =
          (a << 24) | (mul((p >> 16) & 0xFF) << 16) | (mul((p >> 8) & 0xFF) << 8) | mul(p & 0xFF);
      // Runs never overlap, so a plain store is enough.
      sprite.px[static_cast<std::size_t>(ty) * static_cast<std::size_t>(sprite.width) + static_cast<std::size_t>(tx)] =
          premultiplied;
    }
  }
}

// A soft shadow under `text`: its alpha, blurred, in black at 65 %, offset down-right.
Sprite with_shadow(const Sprite& text, int size_px) {
  const int radius = std::max(1, size_px / 14);
  const int offset = std::max(1, size_px / 18);
  const int pad = radius * 3 + offset;
  Sprite out;
  out.width = text.width + 2 * pad;
  out.height = text.height + 2 * pad;
  std::vector<int> alpha(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height), 0);
  auto idx = [&](int x, int y) {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x);
  };
  for (int y = 0; y < text.height; ++y) {
    for (int x = 0; x < text.width; ++x) {
      alpha[idx(x + pad + offset, y + pad + offset)] = static_cast<int>(
          text.px[static_cast<std::size_t>(y) * static_cast<std::size_t>(text.width) + static_cast<std::size_t>(x)] >>
          24);
    }
  }
  std::vector<int> tmp(alpha.size());
  for (int round = 0; round < 2; ++round) {
    for (int y = 0; y < out.height; ++y) {
      for (int x = 0; x < out.width; ++x) {
        int sum = 0, n = 0;
        for (int k = std::max(0, x - radius); k <= std::min(out.width - 1, x + radius); ++k, ++n)
          sum += alpha[idx(k, y)];
        tmp[idx(x, y)] = sum / n;
      }
    }
    for (int y = 0; y < out.height; ++y) {
      for (int x = 0; x < out.width; ++x) {
        int sum = 0, n = 0;
        for (int k = std::max(0, y - radius); k <= std::min(out.height - 1, y + radius); ++k, ++n)
          sum += tmp[idx(x, k)];
        alpha[idx(x, y)] = sum / n;
      }
    }
  }
  out.px.resize(alpha.size());
  for (std::size_t i = 0; i < alpha.size(); ++i) {
    out.px[i] = static_cast<std::uint32_t>(std::min(255, alpha[i] * 2) * 166 / 255) << 24;  // black, premultiplied
  }
  // The text over its shadow.
  for (int y = 0; y < text.height; ++y) {
    for (int x = 0; x < text.width; ++x) {
      const std::uint32_t s =
          text.px[static_cast<std::size_t>(y) * static_cast<std::size_t>(text.width) + static_cast<std::size_t>(x)];
      const std::uint32_t a = s >> 24;
      if (a == 0) continue;
      std::uint32_t& d = out.px[idx(x + pad, y + pad)];
      const std::uint32_t da = d >> 24;
      const std::uint32_t out_a = a + da * (255 - a) / 255;
      // Shadow colour is black, so only alpha adds; text colour is already premultiplied.
      d = (out_a << 24) | (s & 0xFFFFFFU);
    }
  }
  return out;
}

}  // namespace

std::vector<std::filesystem::path> default_font_chain() {
  return {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"};
}

struct TextRenderer::Impl {
  std::vector<std::filesystem::path> regular, bold;
  std::map<std::pair<std::size_t, int>, sdl::FontPtr> open;  // (chain index * 2 + bold, size) -> font
  bool ttf_started = false;

  ~Impl() {
    open.clear();
    if (ttf_started) TTF_Quit();
  }

  TTF_Font* font(std::size_t index, bool is_bold, int size) {
    const auto key = std::make_pair(index * 2 + (is_bold ? 1 : 0), size);
    if (auto it = open.find(key); it != open.end()) return it->second.get();
    TTF_Font* f = TTF_OpenFont((is_bold ? bold : regular)[index].c_str(), size);
    if (f == nullptr && is_bold) f = TTF_OpenFont(regular[index].c_str(), size);
    if (f != nullptr) TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    return open.emplace(key, sdl::FontPtr(f)).first->second.get();
  }

  std::size_t pick(char32_t c, bool is_bold, int size) {
    for (std::size_t i = 0; i < regular.size(); ++i) {
      TTF_Font* f = font(i, is_bold, size);
      if (f != nullptr && TTF_GlyphIsProvided32(f, static_cast<Uint32>(c)) != 0) return i;
    }
    return 0;
  }
};

TextRenderer::TextRenderer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextRenderer::~TextRenderer() = default;

Result<std::unique_ptr<TextRenderer>> TextRenderer::create(std::vector<std::filesystem::path> font_files) {
  if (font_files.empty()) font_files = default_font_chain();
  auto impl = std::make_unique<Impl>();
  if (TTF_Init() != 0) return make_error(ErrorCode::internal, std::string("cannot start SDL_ttf: ") + TTF_GetError());
  impl->ttf_started = true;
  for (const auto& f : font_files) {
    std::error_code ec;
    if (!std::filesystem::exists(f, ec)) continue;
    impl->regular.push_back(f);
    const auto b = bold_sibling(f);
    impl->bold.push_back(std::filesystem::exists(b, ec) ? b : f);
  }
  if (impl->regular.empty() || impl->font(0, false, 24) == nullptr) {
    return make_error(ErrorCode::not_found, "no usable font found (install fonts-dejavu-core)");
  }
  return std::unique_ptr<TextRenderer>(new TextRenderer(std::move(impl)));
}

std::vector<std::filesystem::path> TextRenderer::fonts() const {
  return impl_->regular;
}

bool TextRenderer::has_glyph(char32_t codepoint) {
  for (std::size_t i = 0; i < impl_->regular.size(); ++i) {
    TTF_Font* f = impl_->font(i, false, 24);
    if (f != nullptr && TTF_GlyphIsProvided32(f, static_cast<Uint32>(codepoint)) != 0) return true;
  }
  return false;
}

Sprite TextRenderer::render(std::string_view utf8, const TextStyle& style) {
  const auto points = decode_utf8(utf8);
  if (points.empty()) return {};
  // Runs of characters that the same font draws.
  struct Run {
    std::size_t font;
    std::string text;
  };
  std::vector<Run> runs;
  for (const auto& cp : points) {
    const std::size_t f = impl_->pick(cp.value, style.bold, style.size_px);
    std::string bytes = cp.value == 0xFFFD && cp.end - cp.begin == 1
                            ? std::string("\xEF\xBF\xBD")
                            : std::string(utf8.substr(cp.begin, cp.end - cp.begin));
    if (runs.empty() || runs.back().font != f) runs.push_back({f, {}});
    runs.back().text += bytes;
  }
  const SDL_Color colour{red_of(style.colour), green_of(style.colour), blue_of(style.colour), 255};
  std::vector<std::pair<sdl::SurfacePtr, int>> rendered;  // surface, ascent
  int width = 0, max_ascent = 0, max_descent = 0;
  for (const auto& run : runs) {
    TTF_Font* f = impl_->font(run.font, style.bold, style.size_px);
    if (f == nullptr) continue;
    sdl::SurfacePtr s(TTF_RenderUTF8_Blended(f, run.text.c_str(), colour));
    if (!s) continue;
    const int ascent = TTF_FontAscent(f);
    width += s->w;
    max_ascent = std::max(max_ascent, ascent);
    max_descent = std::max(max_descent, s->h - ascent);
    rendered.emplace_back(std::move(s), ascent);
  }
  Sprite text;
  text.width = width;
  text.height = max_ascent + max_descent;
  if (width <= 0 || text.height <= 0) return {};
  text.px.assign(static_cast<std::size_t>(text.width) * static_cast<std::size_t>(text.height), 0);
  int x = 0;
  for (const auto& [surface, ascent] : rendered) {
    paste_surface(surface.get(), text, x, max_ascent - ascent);
    x += surface->w;
  }
  return style.shadow ? with_shadow(text, style.size_px) : text;
}

}  // namespace vk::display
