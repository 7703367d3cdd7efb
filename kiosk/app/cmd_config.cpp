// `venuekiosk config [--reference] [--json] [--render TEMPLATE]`: show the configuration in
// force, the reference of every option (docs/configuration.md is generated from it), or one of
// the venue network's files rendered from it (scripts/install.sh).
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "network_templates.h"

namespace vk::app {
namespace {

struct ConfigArgs {
  bool reference = false;
  bool json = false;
  std::string render;  // a template of systemd/*.in
};

int render_template_file(const std::string& path, const catalog::Config& config) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "venuekiosk config: cannot read the template " << path << "\n";
    return kExitFailed;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto rendered = render_network_template(text.str(), config);
  if (!rendered) {
    std::cerr << "venuekiosk config: " << path << ": " << rendered.error().describe() << "\n";
    return kExitFailed;
  }
  std::cout << *rendered;
  return std::cout.flush() ? kExitOk : kExitFailed;
}

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
  if (!args.render.empty()) return render_template_file(args.render, c);
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
      {"wifi",
       {{"ssid", c.wifi.ssid},
        {"password_set", !c.wifi.password.empty()},
        {"interface", c.wifi.interface},
        {"address", c.wifi.address},
        {"channel", c.wifi.channel},
        {"country", c.wifi.country}}},
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
  sub->add_option("--render", args->render,
                  "Print a venue network template (systemd/*.in) filled from the [wifi] section");
  return {sub, [args, &global] { return run_config_command(*args, global); }};
}

}  // namespace vk::app
