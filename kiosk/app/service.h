// A long-running part of `venuekiosk serve` (the web server, the card watcher, the uploader).
// serve starts every service, waits for SIGTERM/SIGINT, then stops them in reverse order.
//
// start() returns once the service runs on its own threads (or fails with a reason that serve
// prints before exiting); stop() must return promptly and leave nothing half-written.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app_context.h"
#include "vk/result.h"

namespace vk::app {

class Service {
 public:
  virtual ~Service() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  virtual Status start() = 0;
  virtual void stop() = 0;
};

// Options of `serve` given on the command line.
struct ServeOptions {
  std::string listen;  // "ADDR:PORT"; empty: from the configuration
};

// Builds the services serve runs, in start order. Each service is added here with one line
// (see services.cpp), so serve itself never changes when a service is added.
Result<std::vector<std::unique_ptr<Service>>> make_services(AppContext& context, const ServeOptions& options);

}  // namespace vk::app
