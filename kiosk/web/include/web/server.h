// The guests' web server: captive portal, guest galleries, organizer console and JSON API,
// on h2o's own event loop (libh2o-evloop), one loop per core, each with its own listening
// socket (SO_REUSEPORT) so the kernel spreads connections without a shared accept lock.
//
// Start it with Server::start(); it runs on its own threads until stop() or destruction.
// Handlers never wait on the disk for tracking (the AccessLog queues) and serve images from
// mmapped files (page cache, not private memory). The GalleryStore, AccessLog, Catalog and
// Clock passed in must outlive the Server; they are called from the loop threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "catalog/access_log.h"
#include "catalog/catalog.h"
#include "catalog/clock.h"
#include "catalog/galleries.h"
#include "vk/result.h"

namespace vk::web {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // "ADDR:PORT" or "[IPv6]:PORT" ("[::]:80": v6 and v4); port 0: any free one
  int threads = 0;                        // event loops; 0: one per core
  int max_connections = 4096;             // in total; libh2o has no cap of its own
  int max_connections_per_client = 64;    // per source address
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 16 * 1024;  // password forms are all we accept
  std::string portal_host;                 // the name guests are sent to ("photos.venue"); empty: any IP literal
  std::string admin_password;              // empty: /admin and /api only from the box itself (loopback)
  std::string event_title = "Our event";
  std::string landing_token;       // gallery the landing page links to; empty: a code form
  std::size_t open_files = 16384;  // image files kept mapped (no fd each); more than the
                                   // thumbnails a crowd cycles through, or all miss
  int session_minutes = 30;        // an open lasts this long without activity
  int guess_limit = 10;            // wrong passwords/tokens per client per 10 minutes
  int password_workers = 1;        // threads checking gallery passwords (slow on purpose)
};

struct ServerDeps {
  catalog::Catalog* catalog = nullptr;
  catalog::GalleryStore* galleries = nullptr;
  catalog::AccessLog* access_log = nullptr;
  const catalog::Clock* clock = nullptr;
  std::filesystem::path data_dir;
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> start(const ServerOptions& options, const ServerDeps& deps);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Stops every loop and joins its thread; idempotent.
  void stop();
  // The port actually bound.
  [[nodiscard]] std::uint16_t port() const;
  // Re-reads galleries and photos now rather than at the next periodic refresh (tests).
  Status refresh();
  // Waits (up to 5 s) until the events of answered requests have left h2o's logger hook, then
  // until the access log has committed them (tests, shutdown): a guest can hold the answer a
  // moment before the loop thread finishes the request.
  Status flush_tracking();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vk::web
