// Tracking through h2o's logger hook. A handler attaches the event its request means (an open,
// a photo view, a download, a refusal) to the request; h2o calls the logger once the response
// is done, and only then is the event completed (device class and browser from the
// User-Agent, the salted client hash) and queued to the AccessLog, whose writer thread commits
// batches. So no request waits on the disk, and the work of describing the guest comes after
// the answer has left. Loop threads only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "catalog/access_log.h"
#include "h2o_include.h"

namespace vk::web {

// What a handler knows of an event; the rest is filled in by the logger.
struct PendingEvent {
  std::chrono::system_clock::time_point at;
  catalog::GalleryId gallery = 0;
  catalog::TokenId token = 0;
  std::optional<catalog::PhotoId> photo;
  catalog::AccessKind kind = catalog::AccessKind::view;
  std::string detail;
};

// Attaches `event` to `req` (several may be attached; they live in the request's pool).
// `in_flight` counts events attached but not yet queued (Server::flush_tracking waits for 0);
// it must outlive the request.
void attach_event(h2o_req_t* req, std::atomic<std::int64_t>& in_flight, PendingEvent event);

// Registers the logger on `path`: every attached event goes to `log`, with the client named by
// `client_hash(address)`. Call before any context is made from the configuration.
void register_access_logger(h2o_pathconf_t* path, catalog::AccessLog& log,
                            std::function<std::string(const std::string& address)> client_hash);

}  // namespace vk::web
