// Configuration: one TOML file (/etc/venuekiosk/venuekiosk.toml on the appliance). Every
// option is declared once, in the table in config.cpp, with its default and its description;
// that table parses the file and generates docs/configuration.md (`venuekiosk config --reference`).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "catalog/ingest.h"
#include "vk/result.h"

namespace vk::catalog {

struct Config {
  std::filesystem::path data_dir = "./var";  // /var/lib/venuekiosk on the appliance
  std::string event_title = "Our event";
  IngestOptions ingest;
  int import_workers = 0;  // 0: one per CPU core
};

// Reads `file` over the defaults. Unknown keys and wrong types are errors that name the key and
// line, so a typo never silently falls back to a default on event day.
Result<Config> load_config(const std::filesystem::path& file);
// Parses TOML text (used by load_config and tests).
Result<Config> parse_config(const std::string& toml_text, const std::string& origin = "config");

// Markdown reference of every option: key, default, meaning.
std::string config_reference();

}  // namespace vk::catalog
