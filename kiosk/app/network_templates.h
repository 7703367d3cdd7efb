// The venue network's configuration files (hostapd, dnsmasq, the box's address), rendered from
// the templates in systemd/*.in and the [wifi] section of venuekiosk.toml, so the access point,
// the DNS answers and the QR code's join code can never disagree.
#pragma once

#include <string>
#include <string_view>

#include "catalog/config.h"
#include "vk/result.h"

namespace vk::app {

// Fills every @NAME@ placeholder of `template_text` from `config.wifi`:
//   IFACE, BOX_IP, DHCP_FIRST, DHCP_LAST, SSID, CHANNEL,
//   COUNTRY_LINES  (hostapd's country settings, or a comment when wifi.country is empty),
//   SECURITY_LINES (hostapd's WPA2 settings, or a comment when wifi.password is empty).
// Fails (invalid_input) naming any placeholder it does not know, so a template that grows a new
// one cannot ship half-rendered.
Result<std::string> render_network_template(std::string_view template_text, const catalog::Config& config);

}  // namespace vk::app
