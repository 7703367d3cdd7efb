// The services `venuekiosk serve` runs, in start order. Add a service with one line here.
#include "service.h"

namespace vk::app {

Result<std::vector<std::unique_ptr<Service>>> make_services(AppContext& context, const ServeOptions& options) {
  (void)context;
  (void)options;
  std::vector<std::unique_ptr<Service>> services;
  return services;
}

}  // namespace vk::app
