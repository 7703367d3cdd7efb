// QR encoding and rasterising (image/qr.h) and the screen's QR contents, read back with zbar.
#include "image/qr.h"

#include <catch2/catch.hpp>

#include "display/panels.h"
#include "display/qr_content.h"
#include "zbar_decode.h"

using namespace vk;

namespace {

display::Canvas on_canvas(const image::Image& img, int margin) {
  display::Canvas c(img.width + 2 * margin, img.height + 2 * margin, display::xrgb(255, 255, 255));
  const display::Canvas qr = display::canvas_from_image(img);
  for (int y = 0; y < qr.height; ++y) {
    for (int x = 0; x < qr.width; ++x)
      c.px[static_cast<std::size_t>((y + margin) * c.width + x + margin)] = qr.at(x, y);
  }
  return c;
}

}  // namespace

TEST_CASE("QR codes are crisp with a quiet zone and decode to their text", "[qr]") {
  const std::string url = "http://photos.venue/g/AbCdEf123";
  auto code = image::encode_qr(url);
  REQUIRE(code.ok());
  const int scale = image::qr_scale_at_least(*code, 270);
  const image::Image img = image::rasterize_qr(*code, scale);
  CHECK(img.width == image::qr_span(*code) * scale);
  CHECK(img.width >= 270);
  // The quiet zone is light all round.
  for (int i = 0; i < img.width; ++i) {
    CHECK(img.pixel(i, scale * 2)[0] == 255);
    CHECK(img.pixel(scale * 2, i)[0] == 255);
  }
  // Only two values: no resampling, no grey edges.
  for (std::size_t i = 0; i < img.rgb.size(); ++i) REQUIRE((img.rgb[i] == 0 || img.rgb[i] == 255));
  auto canvas = on_canvas(img, 0);
  const auto decoded = testing::decode_qr_codes(canvas);
  REQUIRE(decoded.size() == 1);
  CHECK(decoded[0] == url);
}

TEST_CASE("QR codes carry UTF-8 text unchanged", "[qr]") {
  const std::string text = "http://photos.venue/g/婚礼-2026";
  auto code = image::encode_qr(text, image::QrLevel::quartile);
  REQUIRE(code.ok());
  auto canvas = on_canvas(image::rasterize_qr(*code, 6), 20);
  const auto decoded = testing::decode_qr_codes(canvas);
  REQUIRE(decoded.size() == 1);
  CHECK(decoded[0] == text);
}

TEST_CASE("An empty QR text is refused", "[qr]") {
  CHECK_FALSE(image::encode_qr("").ok());
}

TEST_CASE("The Wi-Fi join code follows the WIFI: format with escaping", "[qr]") {
  CHECK(display::wifi_join_code("Venue Photos", "secret123") == "WIFI:T:WPA;S:Venue Photos;P:secret123;;");
  CHECK(display::wifi_join_code("a;b,c:d\\e\"f", "p;w") == "WIFI:T:WPA;S:a\\;b\\,c\\:d\\\\e\\\"f;P:p\\;w;;");
  CHECK(display::wifi_join_code("Open", "") == "WIFI:T:nopass;S:Open;;");
}

TEST_CASE("QR modes give the configured codes", "[qr]") {
  catalog::Config config;
  config.screen.gallery_url = "http://g.example/";
  config.wifi = {"Guests", "pw"};
  config.screen.qr_mode = "gallery";
  REQUIRE(display::qr_entries(config).size() == 1);
  CHECK(display::qr_entries(config)[0].payload == "http://g.example/");
  config.screen.qr_mode = "wifi";
  CHECK(display::qr_entries(config)[0].payload == "WIFI:T:WPA;S:Guests;P:pw;;");
  config.screen.qr_mode = "both";
  const auto both = display::qr_entries(config);
  REQUIRE(both.size() == 2);
  CHECK(both[0].label == "1  Join Wi-Fi");
  CHECK(both[1].label == "2  Open photos");
  config.screen.qr_mode = "cloud";
  config.screen.cloud_url = "https://cloud.example/e/1";
  CHECK(display::qr_entries(config)[0].payload == "https://cloud.example/e/1");
  config.screen.qr_mode = "off";
  CHECK(display::qr_entries(config).empty());
}

TEST_CASE("The QR side is at least a quarter of the screen height", "[qr]") {
  CHECK(display::qr_min_side({1920, 1080}, 1) == 270);
  CHECK(display::qr_min_side({1280, 720}, 1) == 180);
  CHECK(display::qr_min_side({1080, 1920}, 1) == 480);
  CHECK(display::qr_min_side({1080, 1920}, 2) == 480);
}
