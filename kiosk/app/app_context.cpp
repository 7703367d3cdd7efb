#include "app_context.h"

namespace vk::app {

constexpr const char* kSystemConfig = "/etc/venuekiosk/venuekiosk.toml";

Result<catalog::Config> resolve_config(const GlobalOptions& global) {
  catalog::Config config;
  if (global.config_file) {
    VK_ASSIGN_OR_RETURN(config, catalog::load_config(*global.config_file));
  } else if (std::error_code ec; std::filesystem::exists(kSystemConfig, ec)) {
    VK_ASSIGN_OR_RETURN(config, catalog::load_config(kSystemConfig));
  }
  if (global.data_dir) config.data_dir = *global.data_dir;
  return config;
}

Result<std::unique_ptr<AppContext>> open_context(const GlobalOptions& global) {
  auto context = std::make_unique<AppContext>();
  VK_ASSIGN_OR_RETURN(context->config, resolve_config(global));
  context->store = std::make_unique<catalog::PhotoStore>(context->config.data_dir, catalog::posix_file_system());
  VK_RETURN_IF_ERROR(context->store->open());
  VK_ASSIGN_OR_RETURN(context->catalog,
                      catalog::Catalog::open(context->config.data_dir / "catalog.db", context->clock));
  return context;
}

}  // namespace vk::app
