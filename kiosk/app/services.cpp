// The services `venuekiosk serve` runs, in start order. Add a service with one line here.
#include "service.h"
#include "card_service.h"
#include "web_service.h"

namespace vk::app {

Result<std::vector<std::unique_ptr<Service>>> make_services(AppContext& context, const ServeOptions& options) {
  (void)context;
  (void)options;
  std::vector<std::unique_ptr<Service>> services;
  services.push_back(make_card_service(context));
  services.push_back(make_web_service(context, options));
  return services;
}

}  // namespace vk::app
