// The card reader part of `venuekiosk serve`: imports every camera card the system mounts below
// cards.watch_roots, logs USB card readers arriving and leaving, and cleans the photo store of
// what a crash left behind before the first import starts.
#pragma once

#include <memory>

#include "service.h"

namespace vk::app {

std::unique_ptr<Service> make_card_service(AppContext& context);

}  // namespace vk::app
