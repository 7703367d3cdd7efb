#include "network_templates.h"

#include <map>

namespace vk::app {
namespace {

// "10.42.0.1" -> "10.42.0." (the config has already checked it is dotted IPv4).
std::string network_prefix(const std::string& address) {
  return address.substr(0, address.rfind('.') + 1);
}

std::map<std::string, std::string, std::less<>> placeholders(const catalog::Config& config) {
  const auto& wifi = config.wifi;
  const std::string prefix = network_prefix(wifi.address);
  std::string country = "# wifi.country is empty: the radio's default regulatory domain";
  if (!wifi.country.empty()) country = "country_code=" + wifi.country + "\nieee80211d=1";
  std::string security = "# wifi.password is empty: an open network, as a photo pickup network usually is";
  if (!wifi.password.empty()) {
    security = "wpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_passphrase=" + wifi.password;
  }
  return {
      {"IFACE", wifi.interface},     {"BOX_IP", wifi.address},     {"DHCP_FIRST", prefix + "10"},
      {"DHCP_LAST", prefix + "250"}, {"SSID", wifi.ssid},          {"CHANNEL", std::to_string(wifi.channel)},
      {"COUNTRY_LINES", country},    {"SECURITY_LINES", security},
  };
}

}  // namespace

Result<std::string> render_network_template(std::string_view template_text, const catalog::Config& config) {
  const auto values = placeholders(config);
  std::string out;
  out.reserve(template_text.size() + 256);
  std::size_t at = 0;
  while (at < template_text.size()) {
    const auto open = template_text.find('@', at);
    if (open == std::string_view::npos) break;
    const auto close = template_text.find('@', open + 1);
    const auto name =
        close == std::string_view::npos ? std::string_view() : template_text.substr(open + 1, close - open - 1);
    const bool looks_like_placeholder =
        !name.empty() && name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string_view::npos;
    if (!looks_like_placeholder) {  // a lone '@' is text (an e-mail address in a comment)
      out.append(template_text.substr(at, open + 1 - at));
      at = open + 1;
      continue;
    }
    const auto value = values.find(name);
    if (value == values.end()) {
      return make_error(ErrorCode::invalid_input,
                        "the template has a placeholder nothing fills: @" + std::string(name) + "@");
    }
    out.append(template_text.substr(at, open - at));
    out += value->second;
    at = close + 1;
  }
  out.append(template_text.substr(std::min(at, template_text.size())));
  return out;
}

}  // namespace vk::app
