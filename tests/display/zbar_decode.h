// Decodes every QR code in a frame with zbar (the real decoder phones' apps are built on).
#pragma once

#include <zbar.h>

#include <string>
#include <vector>

#include "display/canvas.h"

namespace vk::testing {

using namespace zbar;  // zbar.h puts its C API in namespace zbar under C++

inline std::vector<std::string> decode_qr_codes(const display::FrameView& view) {
  std::vector<unsigned char> gray(static_cast<std::size_t>(view.width) * static_cast<std::size_t>(view.height));
  for (int y = 0; y < view.height; ++y) {
    for (int x = 0; x < view.width; ++x) {
      const std::uint32_t p = view.row(y)[x];
      gray[static_cast<std::size_t>(y) * static_cast<std::size_t>(view.width) + static_cast<std::size_t>(x)] =
          static_cast<unsigned char>((display::red_of(p) * 30 + display::green_of(p) * 59 + display::blue_of(p) * 11) /
                                     100);
    }
  }
  zbar_image_scanner_t* scanner = zbar_image_scanner_create();
  zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  // The bytes as encoded: zbar otherwise guesses a text encoding and may turn UTF-8 into Shift-JIS.
  zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  zbar_image_t* image = zbar_image_create();
  zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(image, static_cast<unsigned>(view.width), static_cast<unsigned>(view.height));
  zbar_image_set_data(image, gray.data(), gray.size(), nullptr);
  zbar_scan_image(scanner, image);
  std::vector<std::string> out;
  for (const zbar_symbol_t* s = zbar_image_first_symbol(image); s != nullptr; s = zbar_symbol_next(s)) {
    out.emplace_back(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
  }
  zbar_image_destroy(image);
  zbar_image_scanner_destroy(scanner);
  return out;
}

inline std::vector<std::string> decode_qr_codes(display::Canvas& canvas) {
  return decode_qr_codes(canvas.view());
}

}  // namespace vk::testing
