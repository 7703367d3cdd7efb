// QR codes: encoding text into a module matrix (libqrencode) and rasterising it crisply.
//
// Crisp means what a phone camera needs from across a room: every module is a whole number of
// pixels (no resampling, no anti-aliased edges), dark on light, with the 4-module quiet zone the
// standard asks for. Pure functions; callable from any thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "image/pixels.h"
#include "vk/result.h"

namespace vk::image {

// Error correction: M (15 %) is the floor for a code on a screen that people may partly block;
// Q and H cost modules (a smaller scale at the same size).
enum class QrLevel { medium, quartile, high };

// A square matrix of modules, row-major, true = dark. Excludes the quiet zone.
struct QrCode {
  int modules = 0;
  std::vector<bool> dark;
  [[nodiscard]] bool at(int x, int y) const {
    return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(modules) + static_cast<std::size_t>(x)];
  }
};

inline constexpr int kQrQuietZone = 4;  // modules of light margin on every side (ISO/IEC 18004)

// Encodes `text` (any bytes, UTF-8 included) in byte mode at the smallest version that fits.
// Fails for empty text or text longer than a version-40 code holds.
Result<QrCode> encode_qr(std::string_view text, QrLevel level = QrLevel::medium);

// Modules across, quiet zone included: the unit the scale multiplies.
inline int qr_span(const QrCode& code) { return code.modules + 2 * kQrQuietZone; }

// The largest whole-pixel module scale whose code (quiet zone included) fits in `max_side`
// pixels; at least 1.
int qr_scale_to_fit(const QrCode& code, int max_side);

// The smallest whole-pixel scale whose code (quiet zone included) is at least `min_side` pixels.
int qr_scale_at_least(const QrCode& code, int min_side);

// Rasterises at `scale` pixels per module, quiet zone included: an RGB image of side
// qr_span(code) * scale, `dark` on `light`.
Image rasterize_qr(const QrCode& code, int scale, std::uint8_t dark = 0, std::uint8_t light = 255);

}  // namespace vk::image
