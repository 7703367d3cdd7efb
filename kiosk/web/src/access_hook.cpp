#include "access_hook.h"

#include <new>
#include <vector>

#include "http.h"

namespace vk::web {
namespace {

// The request's events sit in its pool; the env entry under this name points at them (h2o
// has no other per-request slot an application may use, and env is only read by handlers
// we do not install: fastcgi, mruby).
constexpr char kEnvName[] = "vk.access-events";

struct Attached {
  std::atomic<std::int64_t>* in_flight = nullptr;
  std::vector<PendingEvent> events;
  Attached() = default;
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;
  // A request h2o disposed without calling the logger still leaves the count right.
  ~Attached() {
    if (in_flight != nullptr) in_flight->fetch_sub(static_cast<std::int64_t>(events.size()));
  }
};

struct AccessLogger {
  h2o_logger_t super;
  catalog::AccessLog* log;
  std::function<std::string(const std::string&)>* client_hash;
};

Attached* attached(h2o_req_t* req, bool create) {
  h2o_iovec_t* slot = h2o_req_getenv(req, kEnvName, sizeof kEnvName - 1, create ? 1 : 0);
  if (slot == nullptr) return nullptr;
  if (slot->base == nullptr && create) {
    void* memory =
        h2o_mem_alloc_shared(&req->pool, sizeof(Attached), [](void* p) { static_cast<Attached*>(p)->~Attached(); });
    slot->base = static_cast<char*>(memory);
    slot->len = 0;
    new (memory) Attached();
  }
  return reinterpret_cast<Attached*>(slot->base);
}

void log_access(h2o_logger_t* self, h2o_req_t* req) {
  Attached* events = attached(req, false);
  if (events == nullptr || events->events.empty()) return;
  auto* logger = reinterpret_cast<AccessLogger*>(self);
  const auto ua = catalog::classify_user_agent(header_value(req, H2O_TOKEN_USER_AGENT));
  const std::string client = (*logger->client_hash)(peer_address(req));
  for (auto& e : events->events) {
    logger->log->record(
        {e.at, e.gallery, e.token, e.photo, e.kind, ua.device, ua.browser, client, std::move(e.detail)});
  }
  events->in_flight->fetch_sub(static_cast<std::int64_t>(events->events.size()));
  events->events.clear();
}

void dispose(h2o_logger_t* self) {
  delete reinterpret_cast<AccessLogger*>(self)->client_hash;
}

}  // namespace

void attach_event(h2o_req_t* req, std::atomic<std::int64_t>& in_flight, PendingEvent event) {
  Attached* events = attached(req, true);
  events->in_flight = &in_flight;
  in_flight.fetch_add(1);
  events->events.push_back(std::move(event));
}

void register_access_logger(h2o_pathconf_t* path, catalog::AccessLog& log,
                            std::function<std::string(const std::string& address)> client_hash) {
  auto* logger = reinterpret_cast<AccessLogger*>(h2o_create_logger(path, sizeof(AccessLogger)));
  logger->super.log_access = log_access;
  logger->super.dispose = dispose;
  logger->log = &log;
  logger->client_hash = new std::function<std::string(const std::string&)>(std::move(client_hash));
}

}  // namespace vk::web
