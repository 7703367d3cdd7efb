// Configuration: one TOML file (/etc/venuekiosk/venuekiosk.toml on the appliance). Every
// option is declared once, in the table in config.cpp, with its default and its description;
// that table parses the file and generates docs/configuration.md (`venuekiosk config --reference`).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/ingest.h"
#include "vk/result.h"

namespace vk::catalog {

// The big screen (`venuekiosk show`); see docs/display.md.
struct ScreenConfig {
  double dwell_seconds = 7.0;       // each slide
  double fade_seconds = 1.0;        // crossfade between slides
  std::string qr_mode = "gallery";  // gallery | wifi | both | cloud | off
  std::string qr_caption = "Scan to get photos";
  std::string qr_corner = "bottom-right";  // a corner, or "rotate" to move it every few slides
  std::string gallery_url = "http://photos.venue/";
  std::string cloud_url;    // public cloud gallery (mode cloud), empty: none
  bool moderation = false;  // show only photos the organizer approved
  bool show_clock = false;
  bool show_caption = false;  // "photographer · camera" under each photo
  // off | pan | pan-zoom: a slow drift of each photo; pan-zoom pans, zoom is not built
  std::string motion = "off";
  int drm_device = -1;  // KMSDRM device index, -1: SDL's choice
};

struct WifiConfig {
  std::string ssid = "Photos";
  std::string password;  // empty: an open network
  // The access point the box runs (hostapd and dnsmasq, rendered by `venuekiosk config --render`).
  std::string interface = "wlan0";
  std::string address = "10.42.0.1";  // the box on the guest network, a /24
  int channel = 6;                    // 2.4 GHz, 1-13
  std::string country;                // regulatory domain ("DE", "CN"); empty: the driver's default
};

// What `serve` does with camera cards (sync/'s card importer reads these).
struct CardOptions {
  // Mounted volumes below these folders are looked at for a DCIM folder.
  std::vector<std::filesystem::path> watch_roots = {"/media", "/run/media", "/mnt"};
  // Volumes imported even without a DCIM folder: labels, UUIDs or mount points.
  std::vector<std::string> volumes;
  enum class Filter { all, protected_only, rated };
  Filter filter = Filter::all;
  int min_rating = 1;  // for Filter::rated (copied into ingest.min_rating)
  std::uint64_t free_space_reserve_bytes = 1024ULL * 1024 * 1024;
};

// The guests' web server (`serve`); see docs/http-api.md.
struct WebConfig {
  std::string listen = "127.0.0.1:8080";  // "0.0.0.0:80" on the appliance
  std::string host;                       // the portal's name guests are sent to; empty: the box's address
  int threads = 0;                        // event loops; 0: one per core
  int max_connections = 4096;
  int max_connections_per_client = 64;
  std::string admin_password;  // empty: /admin and /api only from the box itself
  std::string landing_token;   // gallery the landing page links to; empty: a code form
  int session_minutes = 30;
};

struct Config {
  std::filesystem::path data_dir = "./var";  // /var/lib/venuekiosk on the appliance
  std::string event_title = "Our event";
  ScreenConfig screen;
  WifiConfig wifi;
  IngestOptions ingest;
  int import_workers = 0;  // 0: one per CPU core
  CardOptions cards;
  WebConfig web;
};

// Reads `file` over the defaults. Unknown keys and wrong types are errors that name the key and
// line, so a typo never silently falls back to a default on event day.
Result<Config> load_config(const std::filesystem::path& file);
// Parses TOML text (used by load_config and tests).
Result<Config> parse_config(const std::string& toml_text, const std::string& origin = "config");

// Markdown reference of every option: key, default, meaning.
std::string config_reference();

}  // namespace vk::catalog
