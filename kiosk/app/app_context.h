// What every subcommand needs, built once from the global options: the configuration, the
// photo store and the catalog. Only kiosk/app/ wires modules together.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "catalog/clock.h"
#include "catalog/config.h"
#include "catalog/photo_store.h"
#include "vk/result.h"

namespace vk::app {

struct GlobalOptions {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::filesystem::path> data_dir;
};

// The configuration in force: built-in defaults, then the config file (the one named, or
// /etc/venuekiosk/venuekiosk.toml when it exists), then --data-dir.
Result<catalog::Config> resolve_config(const GlobalOptions& global);

struct AppContext {
  catalog::Config config;
  catalog::SystemClock clock;
  std::unique_ptr<catalog::PhotoStore> store;
  std::unique_ptr<catalog::Catalog> catalog;
};

// Opens the store (creating the data dir) and the catalog.
Result<std::unique_ptr<AppContext>> open_context(const GlobalOptions& global);

}  // namespace vk::app
