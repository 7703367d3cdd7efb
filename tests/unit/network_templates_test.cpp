#include "network_templates.h"

#include <catch2/catch.hpp>

using vk::app::render_network_template;
using vk::catalog::Config;

TEST_CASE("network templates: every placeholder comes from [wifi]", "[network]") {
  Config config;
  config.wifi.interface = "wlan1";
  config.wifi.address = "192.168.8.1";
  config.wifi.ssid = "Anna & Ben";
  config.wifi.channel = 11;
  auto out = render_network_template("i=@IFACE@ a=@BOX_IP@ r=@DHCP_FIRST@-@DHCP_LAST@ s=@SSID@ c=@CHANNEL@", config);
  REQUIRE(out.ok());
  CHECK(*out == "i=wlan1 a=192.168.8.1 r=192.168.8.10-192.168.8.250 s=Anna & Ben c=11");
}

TEST_CASE("network templates: WPA2 and the country only when configured", "[network]") {
  Config config;
  auto open = render_network_template("@COUNTRY_LINES@\n@SECURITY_LINES@\n", config);
  REQUIRE(open.ok());
  CHECK(open->find("wpa") == std::string::npos);
  CHECK(open->find("country_code") == std::string::npos);
  config.wifi.password = "confetti-2026";
  config.wifi.country = "CN";
  auto secured = render_network_template("@COUNTRY_LINES@\n@SECURITY_LINES@\n", config);
  REQUIRE(secured.ok());
  CHECK(
      *secured ==
      "country_code=CN\nieee80211d=1\nwpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_passphrase=confetti-2026\n");
}

TEST_CASE("network templates: at-signs that are not placeholders stay text", "[network]") {
  Config config;
  auto out = render_network_template("# mail admin@venue.example\nWants=hostapd@@IFACE@.service\n@", config);
  REQUIRE(out.ok());
  CHECK(*out == "# mail admin@venue.example\nWants=hostapd@wlan0.service\n@");
}

TEST_CASE("network templates: a placeholder nothing fills is an error naming it", "[network]") {
  auto out = render_network_template("ssid=@SSID@\nbeacon_int=@BEACON_INTERVAL@\n", Config{});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().message.find("@BEACON_INTERVAL@") != std::string::npos);
}
