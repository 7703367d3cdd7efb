// What the QR codes on the screen say, from the configuration. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "catalog/config.h"

namespace vk::display {

struct QrEntry {
  std::string label;    // shown above the code when there are two ("1  Join Wi-Fi"); may be empty
  std::string payload;  // what the phone reads
};

// The standard Wi-Fi join code: WIFI:T:WPA;S:<ssid>;P:<password>;; (WIFI:T:nopass;S:<ssid>;; for
// an open network), with \ ; , : and " escaped by a backslash as the format requires.
std::string wifi_join_code(const std::string& ssid, const std::string& password);

// The codes for screen.qr_mode: gallery -> [gallery_url]; wifi -> [join code]; both -> [join code,
// gallery_url] labelled "1  Join Wi-Fi" / "2  Open photos"; cloud -> [cloud_url] (falls back to
// the gallery when no cloud link is set); off -> none.
std::vector<QrEntry> qr_entries(const catalog::Config& config);

}  // namespace vk::display
