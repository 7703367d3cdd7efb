// venuekiosk: the one binary. main() only parses the command line and dispatches.
#include <CLI/CLI.hpp>

#include <vector>

#include "commands.h"

int main(int argc, char** argv) {
  using namespace vk::app;
  CLI::App app{"venuekiosk: event photos on the big screen, on guests' phones and in the cloud"};
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--config", global.config_file, "Configuration file (TOML)")->check(CLI::ExistingFile);
  app.add_option("--data-dir", global.data_dir, "Data directory (catalog and photo store)");

  const std::vector<Command> commands = {
      add_import_command(app, global),
      add_config_command(app, global),
      add_serve_command(app, global),
      add_gallery_command(app, global),
      add_report_command(app, global),
      add_show_command(app, global),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const auto& command : commands) {
    if (command.subcommand->parsed()) return command.run();
  }
  return kExitUsage;
}
