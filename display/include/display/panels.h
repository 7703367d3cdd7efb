// The designed parts of the screen: the QR panel, the welcome screen of an empty event, and
// the overlays (title, photo count, import progress, sync state, clock, caption).
//
// All text is white with a soft shadow, or dark on a light panel, so it reads on any photo.
// These use a TextRenderer, so they belong to the render thread. Sprites are cached: a frame
// only draws, it renders text only when the text changed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/photo_feed.h"
#include "display/canvas.h"
#include "display/qr_content.h"
#include "display/text.h"
#include "image/pixels.h"

namespace vk::display {

enum class Corner { bottom_right, bottom_left, top_right, top_left };
Corner parse_corner(const std::string& name);  // unknown: bottom_right

// The side of one QR code including its quiet zone: at least a quarter of the screen height
// (scans from 5 m on a 55" screen), less only when the screen is too narrow for `codes` codes.
int qr_min_side(image::Size screen, std::size_t codes);

// A light rounded panel with the codes (labelled when several) and the caption under them.
// Empty when there are no entries or no code could be made.
Sprite make_qr_panel(const std::vector<QrEntry>& entries, const std::string& caption, image::Size screen,
                     TextRenderer& text);

// The empty event: title, "Photos will appear here", the QR panel, on a calm gradient.
Canvas make_welcome(image::Size screen, const std::string& title, const Sprite& qr_panel, TextRenderer& text);

struct OverlayState {
  std::string title;
  std::int64_t photo_count = 0;
  std::optional<catalog::FeedImport> import;
  std::int64_t uploads_pending = 0;  // the sync indicator: "↑ 12 to upload"
  std::int64_t uploads_failed = 0;   // "! 2 uploads failed" (the uploader gave up on them)
  std::string clock;                 // empty: no clock
  std::string caption;               // empty: none
  bool welcome = false;              // the welcome screen carries its own title and QR
  bool show_qr = true;
  Corner qr_corner = Corner::bottom_right;
};

// The overlays of one picture, placed: sprites and where they go, in drawing order. It holds its
// sprites, so it stays valid while the text cache changes. Made when the overlay state changes;
// drawing it allocates nothing (with motion on it is drawn every frame).
struct OverlayLayout {
  struct Item {
    std::shared_ptr<const Sprite> sprite;
    int x = 0, y = 0;
  };
  std::vector<Item> items;
};

// True when `layout` has `item`: the same sprite (or the same pixels) at the same place.
bool layout_has(const OverlayLayout& layout, const OverlayLayout::Item& item);
// The overlays of a crossfade from layout `from` to `to` at `weight` (0..256): calls
// `draw(item, opacity)` for each in drawing order. An item in both at the same place is drawn
// as it is (256), the others fade out (`from`) or in (`to`) with the weight.
template <class Draw>
void for_each_fading_item(const OverlayLayout& from, const OverlayLayout& to, int weight, Draw&& draw) {
  weight = weight < 0 ? 0 : (weight > 256 ? 256 : weight);
  for (const auto& item : from.items) draw(item, layout_has(to, item) ? 256 : 256 - weight);
  for (const auto& item : to.items) {
    if (!layout_has(from, item)) draw(item, weight);
  }
}

// Draws a layout over the frame.
void draw_layout(const OverlayLayout& layout, const FrameView& frame);
// The overlays of a crossfade drawn over the blended pictures: an item in both layouts at the
// same place is drawn as it is (exact: drawing it over the blend equals blending it drawn over
// each), the others fade out (`from`) or in (`to`) with `weight` (0..256, as crossfade()).
void draw_layout_fade(const OverlayLayout& from, const OverlayLayout& to, int weight, const FrameView& frame);

class Overlays {
 public:
  Overlays(TextRenderer& text, image::Size screen);
  void set_qr_panel(Sprite panel) {
    index_runs(panel);
    qr_panel_ = std::make_shared<const Sprite>(std::move(panel));
  }
  // A new screen size: cached text sprites were sized for the old one.
  void set_screen(image::Size screen) {
    screen_ = screen;
    cache_.clear();
  }
  [[nodiscard]] const Sprite& qr_panel() const { return *qr_panel_; }
  [[nodiscard]] OverlayLayout layout(const OverlayState& state);
  void draw(const OverlayState& state, const FrameView& frame) { draw_layout(layout(state), frame); }

 private:
  const std::shared_ptr<const Sprite>& text(const std::string& s, int size, bool bold, std::uint32_t colour,
                                            bool shadow);

  TextRenderer& text_;
  image::Size screen_;
  std::shared_ptr<const Sprite> qr_panel_ = std::make_shared<const Sprite>();
  std::map<std::string, std::shared_ptr<const Sprite>> cache_;
  std::shared_ptr<const Sprite> pill_ = std::make_shared<const Sprite>();
};

// A rounded rectangle, premultiplied with anti-aliased corners.
Sprite rounded_rect(int width, int height, int radius, std::uint32_t colour, std::uint8_t alpha);

}  // namespace vk::display
