#include "display/qr_content.h"

namespace vk::display {
namespace {

std::string escape_wifi(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',' || c == ':' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string wifi_join_code(const std::string& ssid, const std::string& password) {
  if (password.empty()) return "WIFI:T:nopass;S:" + escape_wifi(ssid) + ";;";
  return "WIFI:T:WPA;S:" + escape_wifi(ssid) + ";P:" + escape_wifi(password) + ";;";
}

std::vector<QrEntry> qr_entries(const catalog::Config& config) {
  const auto& s = config.screen;
  const std::string wifi = wifi_join_code(config.wifi.ssid, config.wifi.password);
  if (s.qr_mode == "off") return {};
  if (s.qr_mode == "wifi") return {{"", wifi}};
  if (s.qr_mode == "both") return {{"1  Join Wi-Fi", wifi}, {"2  Open photos", s.gallery_url}};
  if (s.qr_mode == "cloud" && !s.cloud_url.empty()) return {{"", s.cloud_url}};
  return {{"", s.gallery_url}};
}

}  // namespace vk::display
