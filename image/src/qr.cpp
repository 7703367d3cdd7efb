#include "image/qr.h"

#include <qrencode.h>

#include <algorithm>
#include <memory>
#include <string>

namespace vk::image {
namespace {

struct QrDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

QRecLevel to_qrencode(QrLevel level) {
  switch (level) {
    case QrLevel::medium: return QR_ECLEVEL_M;
    case QrLevel::quartile: return QR_ECLEVEL_Q;
    case QrLevel::high: return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

}  // namespace

Result<QrCode> encode_qr(std::string_view text, QrLevel level) {
  if (text.empty()) return make_error(ErrorCode::invalid_input, "there is no text to put in the QR code");
  // QRcode_encodeData takes a length, so text with NUL bytes or without a terminator is fine;
  // byte mode keeps UTF-8 as it is (phones read it as UTF-8).
  const std::string copy(text);
  std::unique_ptr<QRcode, QrDeleter> raw(QRcode_encodeData(static_cast<int>(copy.size()),
                                                           reinterpret_cast<const unsigned char*>(copy.data()), 0,
                                                           to_qrencode(level)));
  if (!raw) {
    return make_error(ErrorCode::too_large, "the text is too long for a QR code (" + std::to_string(text.size()) +
                                                " bytes)");
  }
  QrCode code;
  code.modules = raw->width;
  const auto count = static_cast<std::size_t>(raw->width) * static_cast<std::size_t>(raw->width);
  code.dark.resize(count);
  // libqrencode: bit 0 of each byte is the module colour (1 = dark); the other bits say
  // which function pattern the module belongs to, which we do not need.
  for (std::size_t i = 0; i < count; ++i) code.dark[i] = (raw->data[i] & 1U) != 0;
  return code;
}

int qr_scale_to_fit(const QrCode& code, int max_side) {
  const int span = qr_span(code);
  return span > 0 && max_side >= span ? max_side / span : 1;
}

int qr_scale_at_least(const QrCode& code, int min_side) {
  const int span = qr_span(code);
  if (span <= 0) return 1;
  const int scale = (min_side + span - 1) / span;
  return scale < 1 ? 1 : scale;
}

Image rasterize_qr(const QrCode& code, int scale, std::uint8_t dark, std::uint8_t light) {
  Image out;
  const int side = qr_span(code) * scale;
  out.width = side;
  out.height = side;
  out.rgb.assign(static_cast<std::size_t>(side) * static_cast<std::size_t>(side) * 3, light);
  for (int my = 0; my < code.modules; ++my) {
    for (int mx = 0; mx < code.modules; ++mx) {
      if (!code.at(mx, my)) continue;
      const int x0 = (mx + kQrQuietZone) * scale;
      const int y0 = (my + kQrQuietZone) * scale;
      for (int y = y0; y < y0 + scale; ++y) {
        auto* row = out.rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(side) +
                                      static_cast<std::size_t>(x0)) * 3;
        std::fill(row, row + static_cast<std::ptrdiff_t>(scale) * 3, dark);
      }
    }
  }
  return out;
}

}  // namespace vk::image
