// `venuekiosk config [--reference] [--json]`: show the configuration in force, or the
// reference of every option (docs/configuration.md is generated from it).
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"

namespace vk::app {
namespace {

struct ConfigArgs {
  bool reference = false;
  bool json = false;
};

int run_config_command(const ConfigArgs& args, const GlobalOptions& global) {
  if (args.reference) {
    std::cout << catalog::config_reference();
    return kExitOk;
  }
  auto config = resolve_config(global);
  if (!config) {
    std::cerr << "venuekiosk config: " << config.error().describe() << "\n";
    return kExitFailed;
  }
  const auto& c = *config;
  const auto& d = c.ingest.derive;
  nlohmann::json out = {
      {"data", {{"dir", c.data_dir.string()}}},
      {"event", {{"title", c.event_title}}},
      {"import", {{"workers", c.import_workers}, {"max_file_mb", c.ingest.max_file_bytes / (1024 * 1024)}}},
      {"image",
       {{"max_megapixels", d.limits.max_pixels / 1'000'000},
        {"screen_width", d.screen_box.width},
        {"screen_height", d.screen_box.height},
        {"thumb_size", d.thumb_box.width},
        {"screen_quality", d.screen_quality},
        {"thumb_quality", d.thumb_quality}}},
  };
  std::cout << (args.json ? out.dump() : out.dump(2)) << "\n";
  return kExitOk;
}

}  // namespace

Command add_config_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ConfigArgs>();
  CLI::App* sub = app.add_subcommand("config", "Show the configuration in force");
  sub->add_flag("--reference", args->reference, "Print the reference of every option (Markdown)");
  sub->add_flag("--json", args->json, "Print one JSON object on stdout");
  return {sub, [args, &global] { return run_config_command(*args, global); }};
}

}  // namespace vk::app
