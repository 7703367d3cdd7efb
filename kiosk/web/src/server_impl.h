// Server internals shared by server.cpp (loops, sockets, lifetime) and handlers.cpp (routes).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clients.h"
#include "file_cache.h"
#include "h2o_include.h"
#include "snapshot.h"
#include "web/server.h"

namespace vk::web {

struct Loop;

struct Server::Impl {
  ServerOptions options;
  ServerDeps deps;
  std::string client_salt;  // for the access log's client hashes
  Clients clients;
  FileCache files;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot;

  h2o_globalconf_t config{};
  bool config_ready = false;
  std::vector<std::unique_ptr<Loop>> loops;
  std::uint16_t port = 0;

  std::mutex refresh_mutex;
  std::condition_variable refresh_wake;
  bool stopping = false;
  std::thread refresher;

  Impl(const ServerOptions& o, const ServerDeps& d);
  ~Impl();

  Status reload();
  [[nodiscard]] std::string client_hash(const std::string& address) const;
};

// The route dispatcher h2o calls for every request (handlers.cpp).
int handle_request(Server::Impl& server, h2o_req_t* req);

}  // namespace vk::web
