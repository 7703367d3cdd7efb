#include "catalog/config.h"

#include <toml++/toml.h>

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
           [](Config& c, long v) { c.ingest.derive.limits.max_pixels = static_cast<std::uint64_t>(v) * 1'000'000; },
           1, 2000)},
      {"image.screen_width", "1920", "Width of the box the screen copy of each photo fits in.",
       integer_at("image.screen_width", [](Config& c, long v) { c.ingest.derive.screen_box.width = static_cast<int>(v); },
                  320, 7680)},
      {"image.screen_height", "1080", "Height of the box the screen copy of each photo fits in.",
       integer_at("image.screen_height",
                  [](Config& c, long v) { c.ingest.derive.screen_box.height = static_cast<int>(v); }, 240, 4320)},
      {"image.thumb_size", "400", "Thumbnails fit in a square of this many pixels.",
       integer_at(
           "image.thumb_size",
           [](Config& c, long v) {
             c.ingest.derive.thumb_box = {static_cast<int>(v), static_cast<int>(v)};
           },
           64, 1024)},
      {"image.screen_quality", "85", "JPEG quality of screen copies (1-100).",
       integer_at("image.screen_quality", [](Config& c, long v) { c.ingest.derive.screen_quality = static_cast<int>(v); },
                  1, 100)},
      {"image.thumb_quality", "80", "JPEG quality of thumbnails (1-100).",
       integer_at("image.thumb_quality", [](Config& c, long v) { c.ingest.derive.thumb_quality = static_cast<int>(v); },
                  1, 100)},
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
