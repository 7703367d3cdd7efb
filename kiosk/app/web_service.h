// The guests' web server as a part of `venuekiosk serve` (kiosk/web/ on its own loops).
#pragma once

#include <memory>

#include "service.h"

namespace vk::app {

std::unique_ptr<Service> make_web_service(AppContext& context, const ServeOptions& options);

}  // namespace vk::app
