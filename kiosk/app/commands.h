// The subcommands of the `venuekiosk` binary. Each registers itself on the CLI11 app and
// returns the process exit code when run.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "app_context.h"

namespace vk::app {

// A registered subcommand: run() is called when it was chosen on the command line.
struct Command {
  CLI::App* subcommand = nullptr;
  std::function<int()> run;
};

Command add_import_command(CLI::App& app, const GlobalOptions& global);
Command add_config_command(CLI::App& app, const GlobalOptions& global);
Command add_serve_command(CLI::App& app, const GlobalOptions& global);
Command add_gallery_command(CLI::App& app, const GlobalOptions& global);
Command add_report_command(CLI::App& app, const GlobalOptions& global);
Command add_show_command(CLI::App& app, const GlobalOptions& global);

// Exit codes shared by all commands (documented in docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeRejected = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitFailed = 3;

}  // namespace vk::app
