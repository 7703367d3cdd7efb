#include "display/panels.h"

#include <algorithm>
#include <cmath>

#include "image/qr.h"

namespace vk::display {
namespace {

constexpr std::uint32_t kPanelColour = 0xF7F7F5;  // the QR's light modules are the panel itself
constexpr std::uint8_t kPanelLight = 0xF7;
constexpr std::uint8_t kQrDark = 0x11;
constexpr std::uint32_t kInk = 0x1E2328;

Sprite opaque_sprite(const image::Image& img) {
  Sprite s;
  s.width = img.width;
  s.height = img.height;
  s.px.resize(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height));
  const std::uint8_t* p = img.rgb.data();
  for (auto& px : s.px) {
    px = 0xFF000000U | xrgb(p[0], p[1], p[2]);
    p += 3;
  }
  return s;
}

// Premultiplied "over" of one sprite onto another, alpha included (draw_sprite targets opaque
// frames and drops alpha).
void draw_onto(const Sprite& top, Sprite& base, int x, int y) {
  for (int ty = std::max(0, y); ty < std::min(base.height, y + top.height); ++ty) {
    for (int tx = std::max(0, x); tx < std::min(base.width, x + top.width); ++tx) {
      const std::uint32_t s = top.px[static_cast<std::size_t>((ty - y) * top.width + (tx - x))];
      std::uint32_t& d = base.px[static_cast<std::size_t>(ty * base.width + tx)];
      const std::uint32_t inv = 255 - (s >> 24);
      std::uint32_t out = 0;
      for (int shift = 0; shift < 32; shift += 8) {
        const std::uint32_t c = ((s >> shift) & 0xFF) + (((d >> shift) & 0xFF) * inv + 127) / 255;
        out |= std::min<std::uint32_t>(c, 255) << shift;
      }
      d = out;
    }
  }
}

}  // namespace

Corner parse_corner(const std::string& name) {
  if (name == "bottom-left") return Corner::bottom_left;
  if (name == "top-right") return Corner::top_right;
  if (name == "top-left") return Corner::top_left;
  return Corner::bottom_right;
}

int qr_min_side(image::Size screen, std::size_t codes) {
  const int quarter = (screen.height + 3) / 4;
  const int n = static_cast<int>(std::max<std::size_t>(codes, 1));
  const int room = screen.width * 9 / 10 / n;
  return std::min(quarter, room);
}

Sprite rounded_rect(int width, int height, int radius, std::uint32_t colour, std::uint8_t alpha) {
  Sprite s;
  s.width = width;
  s.height = height;
  s.px.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      // Distance outside the rounded corner's circle gives a one-pixel soft edge.
      const double cx =
          std::clamp(static_cast<double>(x) + 0.5, static_cast<double>(radius), static_cast<double>(width - radius));
      const double cy =
          std::clamp(static_cast<double>(y) + 0.5, static_cast<double>(radius), static_cast<double>(height - radius));
      // sqrt, not std::hypot: no overflow is possible here and hypot costs ~10x (start-up time).
      const double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
      const double d = std::sqrt(dx * dx + dy * dy) - radius;
      const double coverage = std::clamp(0.5 - d, 0.0, 1.0);
      const auto a = static_cast<std::uint32_t>(std::lround(coverage * alpha));
      auto mul = [a](std::uint32_t v) { return (v * a + 127) / 255; };
      s.px[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] =
          (a << 24) | (mul(red_of(colour)) << 16) | (mul(green_of(colour)) << 8) | mul(blue_of(colour));
    }
  }
  return s;
}

Sprite make_qr_panel(const std::vector<QrEntry>& entries, const std::string& caption, image::Size screen,
                     TextRenderer& text) {
  std::vector<Sprite> codes;
  std::vector<Sprite> labels;
  const int min_side = qr_min_side(screen, entries.size());
  const int label_px = std::max(14, screen.height / 38);
  for (const auto& e : entries) {
    auto code = image::encode_qr(e.payload, image::QrLevel::medium);
    if (!code) continue;
    // Rounding the scale up must not push the panel off a narrow (portrait) screen.
    const int n = static_cast<int>(entries.size());
    const int room = (screen.width * 85 / 100 - (n - 1) * std::max(8, screen.height / 60)) / n;
    const int scale = std::min(image::qr_scale_at_least(*code, min_side), image::qr_scale_to_fit(*code, room));
    codes.push_back(opaque_sprite(image::rasterize_qr(*code, scale, kQrDark, kPanelLight)));
    labels.push_back(e.label.empty() ? Sprite{} : text.render(e.label, {label_px, kInk, true, false}));
  }
  if (codes.empty()) return {};
  const Sprite cap =
      caption.empty() ? Sprite{} : text.render(caption, {std::max(16, screen.height / 28), kInk, true, false});
  // The codes' quiet zones already give white space; the panel adds a little more.
  const int pad = std::max(6, screen.height / 120);
  const int gap = std::max(8, screen.height / 60);
  int codes_w = 0, code_h = 0, label_h = 0;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    codes_w += codes[i].width + (i > 0 ? gap : 0);
    code_h = std::max(code_h, codes[i].height);
    label_h = std::max(label_h, labels[i].height);
  }
  const int width = std::max(codes_w, cap.width + 4 * pad) + 2 * pad;
  const int height = pad + (label_h > 0 ? label_h + pad : 0) + code_h + (cap.empty() ? pad : cap.height + 2 * pad);
  Sprite panel = rounded_rect(width, height, std::max(8, screen.height / 50), kPanelColour, 255);
  int x = (width - codes_w) / 2;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (!labels[i].empty()) draw_onto(labels[i], panel, x + (codes[i].width - labels[i].width) / 2, pad);
    draw_onto(codes[i], panel, x, pad + (label_h > 0 ? label_h + pad : 0));
    x += codes[i].width + gap;
  }
  if (!cap.empty()) draw_onto(cap, panel, (width - cap.width) / 2, height - pad - cap.height - pad / 2);
  return panel;
}

Canvas make_welcome(image::Size screen, const std::string& title, const Sprite& qr_panel, TextRenderer& text) {
  Canvas out(screen.width, screen.height);
  // A deep blue vertical gradient with a soft light from the top centre: calm, not black.
  for (int y = 0; y < screen.height; ++y) {
    std::uint32_t* row = out.px.data() + static_cast<std::ptrdiff_t>(y) * screen.width;
    const double fy = static_cast<double>(y) / screen.height;
    for (int x = 0; x < screen.width; ++x) {
      const double fx = static_cast<double>(x) / screen.width - 0.5;
      const double glow = std::max(0.0, 1.0 - std::sqrt(fx * fx * 1.44 + fy * fy * 1.21)) * 0.35;
      const double r = 14 + (8 - 14) * fy + glow * 60;
      const double g = 26 + (14 - 26) * fy + glow * 80;
      const double b = 48 + (28 - 48) * fy + glow * 110;
      row[x] = xrgb(static_cast<std::uint8_t>(r), static_cast<std::uint8_t>(g), static_cast<std::uint8_t>(b));
    }
  }
  const FrameView view = out.view();
  const int h = screen.height;
  const Sprite t = text.render(title, {std::max(24, std::min(h / 11, screen.width / 14)), 0xFFFFFF, true, true});
  const Sprite sub = text.render("Photos will appear here", {std::max(16, h / 26), 0xC9D3E0, false, true});
  const int gap = h / 30;
  const int total = t.height + gap / 2 + sub.height + gap + qr_panel.height;
  int y = std::max(h / 20, (h - total) / 2);
  draw_sprite(t, (screen.width - t.width) / 2, y, view);
  y += t.height + gap / 2;
  draw_sprite(sub, (screen.width - sub.width) / 2, y, view);
  y += sub.height + gap;
  if (!qr_panel.empty()) draw_sprite(qr_panel, (screen.width - qr_panel.width) / 2, y, view);
  return out;
}

Overlays::Overlays(TextRenderer& text, image::Size screen) : text_(text), screen_(screen) {}

const std::shared_ptr<const Sprite>& Overlays::text(const std::string& s, int size, bool bold, std::uint32_t colour,
                                                    bool shadow) {
  const std::string key =
      std::to_string(size) + (bold ? "b" : "r") + std::to_string(colour) + (shadow ? "s" : "") + "|" + s;
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  if (cache_.size() > 64) cache_.clear();  // changing lines (counts, clock) must not grow it forever
  Sprite sprite = text_.render(s, {size, colour, bold, shadow});
  index_runs(sprite);
  return cache_.emplace(key, std::make_shared<const Sprite>(std::move(sprite))).first->second;
}

namespace {

std::shared_ptr<const Sprite> solid_sprite(int width, int height, std::uint32_t colour) {
  auto s = std::make_shared<Sprite>();
  if (width <= 0 || height <= 0) return s;
  s->width = width;
  s->height = height;
  s->px.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0xFF000000U | colour);
  index_runs(*s);
  return s;
}

// The same sprite at the same place (the text cache may have made the same text again).
bool same_item(const OverlayLayout::Item& a, const OverlayLayout::Item& b) {
  if (a.x != b.x || a.y != b.y) return false;
  if (a.sprite == b.sprite) return true;
  return a.sprite->width == b.sprite->width && a.sprite->height == b.sprite->height && a.sprite->px == b.sprite->px;
}

}  // namespace

bool layout_has(const OverlayLayout& layout, const OverlayLayout::Item& item) {
  return std::any_of(layout.items.begin(), layout.items.end(), [&](const auto& i) { return same_item(i, item); });
}

void draw_layout(const OverlayLayout& layout, const FrameView& frame) {
  for (const auto& item : layout.items) draw_sprite(*item.sprite, item.x, item.y, frame);
}

void draw_layout_fade(const OverlayLayout& from, const OverlayLayout& to, int weight, const FrameView& frame) {
  for_each_fading_item(from, to, weight, [&](const OverlayLayout::Item& item, int opacity) {
    draw_sprite(*item.sprite, item.x, item.y, frame, opacity);
  });
}

OverlayLayout Overlays::layout(const OverlayState& st) {
  OverlayLayout out;
  const auto place = [&](const std::shared_ptr<const Sprite>& sprite, int x, int y) {
    if (!sprite->empty()) out.items.push_back({sprite, x, y});
  };
  const int h = screen_.height, w = screen_.width;
  const int margin = std::max(12, h / 30);
  const bool qr_left = st.qr_corner == Corner::bottom_left || st.qr_corner == Corner::top_left;
  const bool qr_top = st.qr_corner == Corner::top_left || st.qr_corner == Corner::top_right;
  const bool qr_here = st.show_qr && !st.welcome && !qr_panel_->empty();
  if (qr_here) {
    const int x = qr_left ? margin : w - margin - qr_panel_->width;
    const int y = qr_top ? margin : h - margin - qr_panel_->height;
    place(qr_panel_, x, y);
  }
  // Title and counts at the top, on the side away from a top QR panel.
  const bool text_right = qr_here && qr_top && qr_left;
  auto place_x = [&](const Sprite& s, bool right) { return right ? w - margin - s.width : margin; };
  int y = margin;
  if (!st.welcome) {
    const auto& title = text(st.title, std::max(18, h / 22), true, 0xFFFFFF, true);
    place(title, place_x(*title, text_right), y);
    y += title->height;
    std::string status = std::to_string(st.photo_count) + (st.photo_count == 1 ? " photo" : " photos");
    if (st.uploads_pending > 0)
      status += "  \xC2\xB7  \xE2\x86\x91 " + std::to_string(st.uploads_pending) + " to upload";
    if (st.uploads_failed > 0) {
      status += "  \xC2\xB7  ! " + std::to_string(st.uploads_failed) +
                (st.uploads_failed == 1 ? " upload" : " uploads") + " failed";
    }
    const auto& line = text(status, std::max(14, h / 40), false, 0xE8ECF0, true);
    place(line, place_x(*line, text_right), y);
    y += line->height;
  }
  if (!st.clock.empty()) {
    const bool clock_right = !(qr_here && qr_top && !qr_left);
    const auto& clock = text(st.clock, std::max(18, h / 22), true, 0xFFFFFF, true);
    place(clock, clock_right && !text_right ? w - margin - clock->width : margin, clock_right ? margin : y);
  }
  if (!st.caption.empty() && !st.welcome) {
    const auto& cap = text(st.caption, std::max(14, h / 42), false, 0xE8ECF0, true);
    place(cap, (w - cap->width) / 2, h - margin - cap->height);
  }
  if (st.import && st.import->total > 0) {
    // A dark pill with the line and a thin progress bar, at the bottom away from the QR.
    const std::string line = "Importing " + std::to_string(st.import->done) + "/" + std::to_string(st.import->total);
    const auto& label = text(line, std::max(14, h / 36), true, 0xFFFFFF, false);
    const int pad = label->height / 3;
    const int bar_h = std::max(3, h / 270);
    const int pw = std::max(label->width + 2 * pad, w / 6);
    const int ph = label->height + 3 * pad + bar_h;
    if (pill_->width != pw || pill_->height != ph) {
      Sprite pill = rounded_rect(pw, ph, ph / 4, 0x101418, 190);
      index_runs(pill);
      pill_ = std::make_shared<const Sprite>(std::move(pill));
    }
    const bool right = qr_here && !qr_top && qr_left;
    const int px = right ? w - margin - pw : margin;
    const int py = h - margin - ph;
    place(pill_, px, py);
    place(label, px + pad, py + pad);
    const int bar_w = pw - 2 * pad;
    const int filled = static_cast<int>(static_cast<long>(bar_w) * std::clamp(st.import->done, 0, st.import->total) /
                                        st.import->total);
    // The bar as opaque sprites: drawn exactly as a filled rectangle (alpha 255 is a copy).
    place(solid_sprite(bar_w, bar_h, 0x3A4450), px + pad, py + ph - pad - bar_h);
    place(solid_sprite(filled, bar_h, 0x4FC3F7), px + pad, py + ph - pad - bar_h);
  }
  return out;
}

}  // namespace vk::display
