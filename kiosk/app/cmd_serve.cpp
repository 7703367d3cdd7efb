// `venuekiosk serve [--listen ADDR:PORT]`: the daemon. Runs every service (web, card watcher,
// import, sync) in the foreground until SIGTERM or SIGINT, then stops them cleanly.
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <cstring>
#include <iostream>

#include "commands.h"
#include "service.h"

namespace vk::app {
namespace {

int run_serve_command(const ServeOptions& options, const GlobalOptions& global) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto context = open_context(global);
  if (!context) {
    std::cerr << "venuekiosk serve: " << context.error().describe() << "\n";
    return kExitFailed;
  }
  auto services = make_services(**context, options);
  if (!services) {
    std::cerr << "venuekiosk serve: " << services.error().describe() << "\n";
    return kExitFailed;
  }
  std::vector<Service*> started;
  for (auto& service : *services) {
    if (auto st = service->start(); !st) {
      std::cerr << "venuekiosk serve: cannot start " << service->name() << ": " << st.error().describe() << "\n";
      for (auto it = started.rbegin(); it != started.rend(); ++it) (*it)->stop();
      return kExitFailed;
    }
    started.push_back(service.get());
    std::cerr << "venuekiosk serve: " << service->name() << " started\n";
  }
  sd_notify(0, "READY=1\nSTATUS=serving");

  int received = 0;
  sigwait(&stop_signals, &received);
  sd_notify(0, "STOPPING=1");
  std::cerr << "venuekiosk serve: stopping (" << strsignal(received) << ")\n";
  for (auto it = started.rbegin(); it != started.rend(); ++it) (*it)->stop();
  return kExitOk;
}

}  // namespace

Command add_serve_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* sub = app.add_subcommand("serve", "Run the daemon (web, card watcher, import, sync) until stopped");
  sub->add_option("--listen", options->listen, "Address to listen on, ADDR:PORT (default from the configuration)");
  return {sub, [options, &global] { return run_serve_command(*options, global); }};
}

}  // namespace vk::app
