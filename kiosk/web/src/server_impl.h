// Server internals shared by server.cpp (loops, sockets, lifetime) and handlers.cpp (routes).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "clients.h"
#include "file_cache.h"
#include "h2o_include.h"
#include "snapshot.h"
#include "web/server.h"
#include "workers.h"

namespace vk::web {

struct Loop;

struct Server::Impl {
  ServerOptions options;
  ServerDeps deps;
  std::string client_salt;                              // for the access log's client hashes
  std::unordered_set<std::string> landed_before_start;  // client hashes; read-only once loops run
  Clients clients;
  FileCache files;
  Workers workers;         // password checks, off the loop threads
  Workers catalog_writes;  // opens, device bindings, first landings: synced commits, one at a time
  Workers file_reads;      // originals: mapped, read in and cleaned of GPS (may wait on the disk)
  std::atomic<std::shared_ptr<const Snapshot>> snapshot;
  // Bumped after each new snapshot is stored; read by every request, so on a cache line of its
  // own (nothing written per request may share it).
  alignas(64) std::atomic<std::uint64_t> snapshot_version{0};
  alignas(64) std::atomic<std::int64_t> tracking_in_flight{0};  // events attached to requests, not yet queued

  h2o_globalconf_t config{};
  bool config_ready = false;
  std::vector<std::unique_ptr<Loop>> loops;
  // Counts down as each loop's h2o objects are made; start() returns, and the loops start
  // accepting, at zero.
  std::optional<std::latch> loops_open;
  // Counts down as each loop stops accepting; a loop destroys its queue only at zero, when no
  // other loop can hand it a connection any more.
  std::optional<std::latch> loops_accepting;
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

// The current snapshot as the loop thread running `req` holds it. Each loop keeps its own
// reference and only reads an atomic version number per request: loading the shared
// atomic<shared_ptr> takes its lock word and bumps a reference count that every loop writes,
// two cache lines bouncing between the cores on every request. Valid until the loop's next
// request. Loop threads only.
const Snapshot& current_snapshot(Server::Impl& server, h2o_req_t* req);

// Thumbnails are counted, not logged one by one: each loop counts its own (one counter written
// by both loops on every request moved its cache line between the cores each time).
void count_thumbnail(Server::Impl& server, h2o_req_t* req);
std::uint64_t thumbnails_served(const Server::Impl& server);

// The route dispatcher h2o calls for every request (handlers.cpp).
int handle_request(Server::Impl& server, h2o_req_t* req);

// Runs `work` on one of `pool`'s threads, then `resume(req)` back on the loop thread that owns
// `req`, unless h2o disposed the request meanwhile (the guest went away). The handler returns
// without answering; `resume` must answer. When the server stops before the job ran (the pool
// drops its queue), `abandon(req)` runs on the loop instead, so the request does not hang until
// the connection is torn down; by default it answers 503 "restarting", for a request whose
// answer has not started. A pool that has begun stopping counts as one that dropped the job:
// `abandon` runs. False (nothing will run) when the pool's queue is full. Loop threads
// only.
bool run_off_loop(Server::Impl& server, Workers& pool, h2o_req_t* req, std::function<void()> work,
                  std::function<void(h2o_req_t*)> resume, std::function<void(h2o_req_t*)> abandon = {});

}  // namespace vk::web
