#include "catalog/config.h"

#include <catch2/catch.hpp>

using namespace vk::catalog;

TEST_CASE("config: defaults", "[config]") {
  auto c = parse_config("");
  REQUIRE(c.ok());
  CHECK(c->data_dir == "./var");
  CHECK(c->ingest.derive.screen_box.width == 1920);
  CHECK(c->ingest.derive.limits.max_pixels == 120'000'000);
}

TEST_CASE("config: values override defaults", "[config]") {
  auto c = parse_config(R"(
[data]
dir = "/var/lib/venuekiosk"
[event]
title = "Anna & Ben 婚礼"
[image]
max_megapixels = 50
thumb_size = 320
)");
  REQUIRE(c.ok());
  CHECK(c->data_dir == "/var/lib/venuekiosk");
  CHECK(c->event_title == "Anna & Ben 婚礼");
  CHECK(c->ingest.derive.limits.max_pixels == 50'000'000);
  CHECK(c->ingest.derive.thumb_box.width == 320);
}

TEST_CASE("config: mistakes are named - never silently ignored", "[config]") {
  SECTION("unknown key") {
    auto c = parse_config("[image]\nthumbsize = 300\n");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("image.thumbsize") != std::string::npos);
  }
  SECTION("wrong type") {
    auto c = parse_config("[image]\nthumb_size = \"big\"\n");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("image.thumb_size") != std::string::npos);
    CHECK(c.error().message.find("line 2") != std::string::npos);
  }
  SECTION("out of range") {
    REQUIRE_FALSE(parse_config("[image]\nscreen_quality = 0\n").ok());
  }
  SECTION("not TOML") {
    auto c = parse_config("[image\n");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("not valid TOML") != std::string::npos);
  }
}

TEST_CASE("config: the reference lists every option", "[config]") {
  const std::string ref = config_reference();
  for (const char* key : {"data.dir", "event.title", "image.max_megapixels", "image.thumb_size", "import.workers"}) {
    CHECK(ref.find(key) != std::string::npos);
  }
}

TEST_CASE("config: the Wi-Fi settings hostapd would refuse are refused when read", "[config]") {
  auto good = parse_config(
      "[wifi]\nssid = \"Anna & Ben\"\npassword = \"confetti-2026\"\ninterface = \"wlan1\"\naddress = \"192.168.8.1\"\n"
      "channel = 11\ncountry = \"DE\"\n");
  REQUIRE(good.ok());
  CHECK(good->wifi.interface == "wlan1");
  CHECK(good->wifi.address == "192.168.8.1");
  CHECK(good->wifi.channel == 11);
  CHECK(good->wifi.country == "DE");
  CHECK(parse_config("[wifi]\npassword = \"\"\n").ok());  // an open network
  for (const char* bad :
       {"password = \"short\"",
        "password = \"" /* 64 characters: */
        "0123456789012345678901234567890123456789012345678901234567890123\"",
        "password = \"caf\u00e9-caf\u00e9\"", "ssid = \"\"", "ssid = \"a\\nwpa=0\"",
        "ssid = \"123456789012345678901234567890123\"", "interface = \"wlan0 up\"", "address = \"10.42.0\"",
        "address = \"10.42.0.10\"", "channel = 0", "channel = 14", "country = \"de\"", "country = \"DEU\""}) {
    auto c = parse_config(std::string("[wifi]\n") + bad + "\n");
    INFO(bad);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("option wifi.") != std::string::npos);
  }
}
