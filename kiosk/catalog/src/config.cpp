#include "catalog/config.h"

#include <arpa/inet.h>
#include <toml++/toml.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

namespace vk::catalog {
namespace {

struct Option {
  const char* key;           // dotted TOML key
  const char* default_text;  // as shown in the docs
  const char* description;
  std::function<Status(Config&, const toml::node&)> apply;
};

Error wrong_type(const toml::node& node, const char* key, const char* expected) {
  const auto& where = node.source().begin;
  return make_error(ErrorCode::invalid_input, std::string("option ") + key + " must be " + expected + " (line " +
                                                  std::to_string(where.line) + ")");
}

template <class T>
std::function<Status(Config&, const toml::node&)> integer(const char* key, T Config::*member, long min, long max) {
  return [=](Config& c, const toml::node& n) -> Status {
    auto v = n.value<long>();
    if (!v || *v < min || *v > max) {
      return wrong_type(n, key, ("a whole number from " + std::to_string(min) + " to " + std::to_string(max)).c_str());
    }
    c.*member = static_cast<T>(*v);
    return {};
  };
}

// Nested members (c.ingest.derive.x) need a setter rather than a member pointer.
std::function<Status(Config&, const toml::node&)> integer_at(const char* key, std::function<void(Config&, long)> set,
                                                             long min, long max) {
  return [=](Config& c, const toml::node& n) -> Status {
    auto v = n.value<long>();
    if (!v || *v < min || *v > max) {
      return wrong_type(n, key, ("a whole number from " + std::to_string(min) + " to " + std::to_string(max)).c_str());
    }
    set(c, *v);
    return {};
  };
}

// Text, choice, flag and seconds options of the screen and Wi-Fi sections.
std::function<Status(Config&, const toml::node&)> text_at(const char* key,
                                                          std::function<void(Config&, std::string)> set,
                                                          std::vector<std::string> choices = {}) {
  return [=](Config& c, const toml::node& n) -> Status {
    auto v = n.value<std::string>();
    bool allowed = v.has_value();
    if (allowed && !choices.empty()) {
      allowed = false;
      for (const auto& choice : choices) allowed = allowed || *v == choice;
    }
    if (!allowed) {
      std::string expected = "text";
      if (!choices.empty()) {
        expected = "one of";
        for (const auto& choice : choices) expected += " \"" + choice + "\"";
      }
      return wrong_type(n, key, expected.c_str());
    }
    set(c, *v);
    return {};
  };
}

// Text that must pass `problem` (which returns what is wrong, or an empty string).
std::function<Status(Config&, const toml::node&)> checked_text_at(const char* key,
                                                                  std::string (*problem)(const std::string&),
                                                                  std::function<void(Config&, std::string)> set) {
  return [=](Config& c, const toml::node& n) -> Status {
    auto v = n.value<std::string>();
    if (!v) return wrong_type(n, key, "text");
    if (auto what = problem(*v); !what.empty()) return wrong_type(n, key, what.c_str());
    set(c, *v);
    return {};
  };
}

// hostapd refuses a WPA2 passphrase outside 8-63 printable ASCII characters and then brings no
// network up at all: better to say so when the configuration is read.
std::string wpa_passphrase_problem(const std::string& v) {
  if (v.empty()) return {};
  bool printable = true;
  for (const char ch : v) printable = printable && ch >= 0x20 && ch <= 0x7E;
  if (v.size() < 8 || v.size() > 63 || !printable) return "empty or 8 to 63 printable ASCII characters";
  return {};
}

// 802.11 allows 32 bytes. Control characters are refused: the name is written into hostapd's
// line-based configuration, where a newline would start a setting of its own.
std::string ssid_problem(const std::string& v) {
  bool ok = !v.empty() && v.size() <= 32;
  for (const char ch : v) ok = ok && static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7F;
  return ok ? std::string() : std::string("a name of 1 to 32 bytes without control characters");
}

std::string interface_name_problem(const std::string& v) {
  bool ok = !v.empty() && v.size() <= 15;  // IFNAMSIZ - 1
  for (const char ch : v)
    ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '-' || ch == '_' || ch == '.');
  return ok ? std::string() : std::string("an interface name such as \"wlan0\"");
}

std::string ipv4_problem(const std::string& v) {
  in_addr parsed{};
  // Host part 1-9: DHCP hands out .10-.250 of the same /24 and must not give the box's own address.
  const auto dot = v.rfind('.');
  const long host = dot == std::string::npos ? 0 : std::strtol(v.c_str() + dot + 1, nullptr, 10);
  if (inet_pton(AF_INET, v.c_str(), &parsed) != 1 || host < 1 || host > 9) {
    return "an IPv4 address whose last number is 1 to 9, e.g. \"10.42.0.1\"";
  }
  return {};
}

std::string country_code_problem(const std::string& v) {
  const bool ok = v.empty() || (v.size() == 2 && std::isupper(static_cast<unsigned char>(v[0])) != 0 &&
                                std::isupper(static_cast<unsigned char>(v[1])) != 0);
  return ok ? std::string() : std::string("empty or a two-letter country code in capitals, e.g. \"DE\"");
}

std::function<Status(Config&, const toml::node&)> flag_at(const char* key, std::function<void(Config&, bool)> set) {
  return [=](Config& c, const toml::node& n) -> Status {
    auto v = n.value<bool>();
    if (!v) return wrong_type(n, key, "true or false");
    set(c, *v);
    return {};
  };
}

std::function<Status(Config&, const toml::node&)> seconds_at(const char* key, std::function<void(Config&, double)> set,
                                                             double min, double max) {
  return [=](Config& c, const toml::node& n) -> Status {
    auto v = n.value<double>();  // toml++ also converts integers here
    if (!v || *v < min || *v > max) {
      return wrong_type(n, key,
                        ("a number of seconds from " + std::to_string(min) + " to " + std::to_string(max)).c_str());
    }
    set(c, *v);
    return {};
  };
}

// A list of text values (folders, volume names).
std::function<Status(Config&, const toml::node&)> text_list_at(
    const char* key, std::function<void(Config&, std::vector<std::string>)> set) {
  return [=](Config& c, const toml::node& n) -> Status {
    const auto* array = n.as_array();
    if (array == nullptr) return wrong_type(n, key, "a list of texts, e.g. [\"/media\"]");
    std::vector<std::string> values;
    for (const auto& item : *array) {
      auto v = item.value<std::string>();
      if (!v) return wrong_type(n, key, "a list of texts, e.g. [\"/media\"]");
      values.push_back(*v);
    }
    set(c, std::move(values));
    return {};
  };
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" -> "YYYY-MM-DDTHH:MM:SS", the shape of EXIF capture times.
std::optional<std::string> normalise_camera_time(const std::string& text) {
  const auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i) {
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  if (!digits(0, 4) || text.size() < 10 || text[4] != '-' || !digits(5, 2) || text[7] != '-' || !digits(8, 2)) {
    return std::nullopt;
  }
  if (text.size() == 10) return text + "T00:00:00";
  if ((text[10] != 'T' && text[10] != ' ') || !digits(11, 2) || text.size() < 16 || text[13] != ':' || !digits(14, 2)) {
    return std::nullopt;
  }
  if (text.size() == 16) return text.substr(0, 10) + "T" + text.substr(11, 5) + ":00";
  if (text.size() == 19 && text[16] == ':' && digits(17, 2)) return text.substr(0, 10) + "T" + text.substr(11);
  return std::nullopt;
}

const std::vector<Option>& options() {
  static const std::vector<Option> table = {
      {"data.dir", "\"./var\" (appliance: \"/var/lib/venuekiosk\")",
       "Where the catalog (catalog.db) and the photo store (originals/, screen/, thumb/) live.",
       [](Config& c, const toml::node& n) -> Status {
         auto v = n.value<std::string>();
         if (!v || v->empty()) return wrong_type(n, "data.dir", "a non-empty path");
         c.data_dir = *v;
         return {};
       }},
      {"event.title", "\"Our event\"", "The event's name, shown on the big screen and in the gallery.",
       [](Config& c, const toml::node& n) -> Status {
         auto v = n.value<std::string>();
         if (!v) return wrong_type(n, "event.title", "text");
         c.event_title = *v;
         return {};
       }},
      {"import.workers", "0", "Photos processed at once during an import; 0 means one per CPU core.",
       integer("import.workers", &Config::import_workers, 0, 64)},
      {"import.max_file_mb", "400", "Files larger than this are refused without being read.",
       integer_at(
           "import.max_file_mb",
           [](Config& c, long v) { c.ingest.max_file_bytes = static_cast<std::uint64_t>(v) * 1024 * 1024; }, 1,
           1 << 20)},
      {"image.max_megapixels", "120",
       "Images whose header claims more pixels than this are refused before any memory is allocated.",
       integer_at(
           "image.max_megapixels",
           [](Config& c, long v) { c.ingest.derive.limits.max_pixels = static_cast<std::uint64_t>(v) * 1'000'000; }, 1,
           2000)},
      {"image.screen_width", "1920", "Width of the box the screen copy of each photo fits in.",
       integer_at(
           "image.screen_width", [](Config& c, long v) { c.ingest.derive.screen_box.width = static_cast<int>(v); }, 320,
           7680)},
      {"image.screen_height", "1080", "Height of the box the screen copy of each photo fits in.",
       integer_at(
           "image.screen_height", [](Config& c, long v) { c.ingest.derive.screen_box.height = static_cast<int>(v); },
           240, 4320)},
      {"image.thumb_size", "400", "Thumbnails fit in a square of this many pixels.",
       integer_at(
           "image.thumb_size",
           [](Config& c, long v) {
             c.ingest.derive.thumb_box = {static_cast<int>(v), static_cast<int>(v)};
           },
           64, 1024)},
      {"image.screen_quality", "85", "JPEG quality of screen copies (1-100).",
       integer_at(
           "image.screen_quality", [](Config& c, long v) { c.ingest.derive.screen_quality = static_cast<int>(v); }, 1,
           100)},
      {"image.thumb_quality", "80", "JPEG quality of thumbnails (1-100).",
       integer_at(
           "image.thumb_quality", [](Config& c, long v) { c.ingest.derive.thumb_quality = static_cast<int>(v); }, 1,
           100)},
      {"screen.dwell_seconds", "7", "How long each slide stays on the big screen.",
       seconds_at(
           "screen.dwell_seconds", [](Config& c, double v) { c.screen.dwell_seconds = v; }, 1, 600)},
      {"screen.fade_seconds", "1", "Crossfade between slides; 0 cuts.",
       seconds_at(
           "screen.fade_seconds", [](Config& c, double v) { c.screen.fade_seconds = v; }, 0, 10)},
      {"screen.qr_mode", "\"gallery\"",
       "What the QR on the screen opens: \"gallery\" (screen.gallery_url), \"wifi\" (joins wifi.ssid), \"both\" "
       "(two codes: join, then open), \"cloud\" (screen.cloud_url) or \"off\".",
       text_at("screen.qr_mode", [](Config& c, std::string v) { c.screen.qr_mode = std::move(v); },
               {"gallery", "wifi", "both", "cloud", "off"})},
      {"screen.qr_caption", "\"Scan to get photos\"", "Text under the QR code (any language).",
       text_at("screen.qr_caption", [](Config& c, std::string v) { c.screen.qr_caption = std::move(v); })},
      {"screen.qr_corner", "\"bottom-right\"",
       "Where the QR panel sits: \"bottom-right\", \"bottom-left\", \"top-right\", \"top-left\", or \"rotate\" "
       "(moves every few slides so it never covers the same faces).",
       text_at("screen.qr_corner", [](Config& c, std::string v) { c.screen.qr_corner = std::move(v); },
               {"bottom-right", "bottom-left", "top-right", "top-left", "rotate"})},
      {"screen.gallery_url", "\"http://photos.venue/\"", "The guest gallery's address, put in the QR code.",
       text_at("screen.gallery_url", [](Config& c, std::string v) { c.screen.gallery_url = std::move(v); })},
      {"screen.cloud_url", "\"\"", "The public cloud gallery (QR mode \"cloud\", when the box is online).",
       text_at("screen.cloud_url", [](Config& c, std::string v) { c.screen.cloud_url = std::move(v); })},
      {"screen.moderation", "false", "Show only photos the organizer approved.",
       flag_at("screen.moderation", [](Config& c, bool v) { c.screen.moderation = v; })},
      {"screen.show_clock", "false", "A clock in the top-right corner.",
       flag_at("screen.show_clock", [](Config& c, bool v) { c.screen.show_clock = v; })},
      {"screen.show_caption", "false", "The photographer and camera under each photo (\"Jane Doe · Canon EOS R6\").",
       flag_at("screen.show_caption", [](Config& c, bool v) { c.screen.show_caption = v; })},
      {"screen.motion", "\"off\"",
       "A slow drift of each photo while it is shown (Ken Burns): \"off\", \"pan\" (the photo glides a few "
       "percent across the screen) or \"pan-zoom\" (it also zooms slowly in or out: on a GPU, with --output renderer; "
       "elsewhere it pans, see docs/display.md).",
       text_at("screen.motion", [](Config& c, std::string v) { c.screen.motion = std::move(v); },
               {"off", "pan", "pan-zoom"})},
      {"screen.drm_device", "-1",
       "KMSDRM device index on a console without a desktop (Pi 5 numbering changes between boots); -1: SDL's choice.",
       integer_at(
           "screen.drm_device", [](Config& c, long v) { c.screen.drm_device = static_cast<int>(v); }, -1, 16)},
      {"wifi.ssid", "\"Photos\"", "The guest Wi-Fi's name (1-32 bytes), for the access point and the join QR code.",
       checked_text_at("wifi.ssid", ssid_problem, [](Config& c, std::string v) { c.wifi.ssid = std::move(v); })},
      {"wifi.password", "\"\"", "The guest Wi-Fi's WPA password (8-63 characters); empty: an open network.",
       checked_text_at("wifi.password", wpa_passphrase_problem,
                       [](Config& c, std::string v) { c.wifi.password = std::move(v); })},
      {"wifi.interface", "\"wlan0\"", "The Wi-Fi interface the box runs its access point on.",
       checked_text_at("wifi.interface", interface_name_problem,
                       [](Config& c, std::string v) { c.wifi.interface = std::move(v); })},
      {"wifi.address", "\"10.42.0.1\"",
       "The box's IPv4 address on the guest network (a /24); phones get .10 to .250 of it by DHCP.",
       checked_text_at("wifi.address", ipv4_problem, [](Config& c, std::string v) { c.wifi.address = std::move(v); })},
      {"wifi.channel", "6", "The 2.4 GHz channel of the access point (1-13).",
       integer_at(
           "wifi.channel", [](Config& c, long v) { c.wifi.channel = static_cast<int>(v); }, 1, 13)},
      {"wifi.country", "\"\"",
       "Two-letter country code for the radio's legal channels and power (\"DE\", \"US\", \"CN\"); empty: the "
       "driver's default.",
       checked_text_at("wifi.country", country_code_problem,
                       [](Config& c, std::string v) { c.wifi.country = std::move(v); })},
      {"cards.watch_roots", "[\"/media\", \"/run/media\", \"/mnt\"]",
       "`serve` imports every volume mounted below these folders that has a DCIM folder.",
       text_list_at("cards.watch_roots",
                    [](Config& c, std::vector<std::string> v) { c.cards.watch_roots.assign(v.begin(), v.end()); })},
      {"cards.volumes", "[]",
       "Volumes `serve` imports even without a DCIM folder: labels, UUIDs (\"6BC2-526B\") or mount points.",
       text_list_at("cards.volumes", [](Config& c, std::vector<std::string> v) { c.cards.volumes = std::move(v); })},
      {"import.filter", "\"all\"",
       "Which photos of a card `serve` imports: \"all\", \"protected\" (locked in the camera) or \"rated\" "
       "(rated at least import.min_rating stars in the camera).",
       text_at("import.filter",
               [](Config& c, std::string v) {
                 c.cards.filter = v == "protected" ? CardOptions::Filter::protected_only
                                  : v == "rated"   ? CardOptions::Filter::rated
                                                   : CardOptions::Filter::all;
               },
               {"all", "protected", "rated"})},
      {"import.min_rating", "1", "Stars a photo needs with import.filter = \"rated\" (1-5).",
       integer_at(
           "import.min_rating", [](Config& c, long v) { c.cards.min_rating = static_cast<int>(v); }, 1, 5)},
      {"import.ignore_older_than", "\"\"",
       "Photos taken before this camera time (\"YYYY-MM-DD\" or \"YYYY-MM-DDTHH:MM\") are left on the card, "
       "e.g. yesterday's shoot; empty: none.",
       text_at("import.ignore_older_than",
               [](Config& c, std::string v) {
                 if (v.empty()) {
                   c.ingest.ignore_captured_before.reset();
                 } else {
                   c.ingest.ignore_captured_before = std::move(v);
                 }
               })},
      {"import.moderation", "false",
       "New photos wait for the organizer's approval before the screen and the galleries show them.",
       flag_at("import.moderation", [](Config& c, bool v) { c.ingest.approve_automatically = !v; })},
      {"import.free_space_reserve_mb", "1024",
       "A card import pauses (\"waiting for disk space\") rather than leave less free space than this, and "
       "goes on by itself once there is room again.",
       integer_at(
           "import.free_space_reserve_mb",
           [](Config& c, long v) { c.cards.free_space_reserve_bytes = static_cast<std::uint64_t>(v) * 1024 * 1024; }, 0,
           1 << 20)},
      {"web.listen", "\"127.0.0.1:8080\" (appliance: \"0.0.0.0:80\")",
       "Address and port of the guests' web server: ADDR:PORT, or [ADDR]:PORT for IPv6 (\"[::]:80\" serves IPv6 and "
       "IPv4 guests). `serve --listen` overrides it.",
       text_at("web.listen", [](Config& c, std::string v) { c.web.listen = std::move(v); })},
      {"web.host", "\"\"",
       "The name guests' phones are sent to (e.g. \"photos.venue\"); requests for any other name are redirected "
       "to the landing page. Empty: the box's address.",
       text_at("web.host", [](Config& c, std::string v) { c.web.host = std::move(v); })},
      {"web.threads", "0", "Event loops of the web server; 0 means one per CPU core.",
       integer_at(
           "web.threads", [](Config& c, long v) { c.web.threads = static_cast<int>(v); }, 0, 64)},
      {"web.max_connections", "4096", "Open connections the web server accepts in total.",
       integer_at(
           "web.max_connections", [](Config& c, long v) { c.web.max_connections = static_cast<int>(v); }, 16,
           1'000'000)},
      {"web.max_connections_per_client", "64", "Open connections accepted from one guest's address.",
       integer_at(
           "web.max_connections_per_client",
           [](Config& c, long v) { c.web.max_connections_per_client = static_cast<int>(v); }, 2, 100'000)},
      {"web.admin_password", "\"\"",
       "Password of the organizer's pages (/admin, /api). Empty: they answer only on the box itself (127.0.0.1).",
       text_at("web.admin_password", [](Config& c, std::string v) { c.web.admin_password = std::move(v); })},
      {"web.landing_token", "\"\"",
       "Token of the gallery the captive-portal landing page opens; empty: the page asks for a gallery code.",
       text_at("web.landing_token", [](Config& c, std::string v) { c.web.landing_token = std::move(v); })},
      {"web.session_minutes", "30",
       "A guest's visit lasts this long without activity; reloads within it do not count as new opens.",
       integer_at(
           "web.session_minutes", [](Config& c, long v) { c.web.session_minutes = static_cast<int>(v); }, 1, 24 * 60)},
  };
  return table;
}

// Every leaf key in the document, dotted ("image.thumb_size"), so unknown keys can be refused.
void collect_keys(const toml::table& table, const std::string& prefix,
                  std::vector<std::pair<std::string, const toml::node*>>& out) {
  for (const auto& [key, node] : table) {
    const std::string dotted = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const auto* sub = node.as_table()) {
      collect_keys(*sub, dotted, out);
    } else {
      out.emplace_back(dotted, &node);
    }
  }
}

}  // namespace

Result<Config> parse_config(const std::string& toml_text, const std::string& origin) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCode::invalid_input,
                      std::string("the configuration is not valid TOML: ") + std::string(e.description()) + " (line " +
                          std::to_string(e.source().begin.line) + ")",
                      origin);
  }
  std::vector<std::pair<std::string, const toml::node*>> keys;
  collect_keys(doc, "", keys);
  Config config;
  for (const auto& [key, node] : keys) {
    const Option* option = nullptr;
    for (const auto& o : options()) {
      if (key == o.key) option = &o;
    }
    if (option == nullptr) {
      return make_error(ErrorCode::invalid_input, "unknown option \"" + key + "\" (see docs/configuration.md)", origin);
    }
    if (auto st = option->apply(config, *node); !st) return st.error().with_subject(origin);
  }
  // Options that depend on each other are settled once every key is read, whatever their order.
  if (config.cards.filter == CardOptions::Filter::rated) config.ingest.min_rating = config.cards.min_rating;
  if (config.ingest.ignore_captured_before) {
    auto when = normalise_camera_time(*config.ingest.ignore_captured_before);
    if (!when) {
      return make_error(ErrorCode::invalid_input,
                        "option import.ignore_older_than must be a date \"YYYY-MM-DD\" or \"YYYY-MM-DDTHH:MM\"",
                        origin);
    }
    config.ingest.ignore_captured_before = *when;
  }
  return config;
}

Result<Config> load_config(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return make_error(ErrorCode::not_found, "cannot read the configuration file", file.string());
  std::stringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), file.string());
}

std::string config_reference() {
  std::string out = "| option | default | meaning |\n| --- | --- | --- |\n";
  for (const auto& o : options()) {
    out += std::string("| `") + o.key + "` | " + o.default_text + " | " + o.description + " |\n";
  }
  return out;
}

}  // namespace vk::catalog
