// Per-client state of the web server, keyed by the client's address (on the venue Wi-Fi each
// phone has its own): whether it has seen the landing page (so its captive-portal probes now
// answer "online"), its open gallery sessions, and its recent wrong guesses. Also the
// connection caps libh2o lacks. Shared by all loop threads and the catalog writer (which starts
// sessions right after counting an open); one mutex, held only for map work.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "catalog/galleries.h"

namespace vk::web {

class Clients {
 public:
  using time_point = std::chrono::system_clock::time_point;
  Clients(int max_connections, int max_per_client, std::chrono::minutes session_length, int guess_limit)
      : max_connections_(max_connections),
        max_per_client_(max_per_client),
        session_length_(session_length),
        guess_limit_(guess_limit) {}

  // Connection caps: acquire on accept, release on close.
  bool acquire_connection(const std::string& client);
  void release_connection(const std::string& client);
  [[nodiscard]] int connections() const;

  void mark_landed(const std::string& client);
  [[nodiscard]] bool has_landed(const std::string& client) const;

  // True when `client` has a live session in `gallery` (and refreshes it).
  bool in_session(const std::string& client, catalog::GalleryId gallery, time_point now);
  void start_session(const std::string& client, catalog::GalleryId gallery, time_point now);

  // Wrong passwords and unknown tokens: true while the client may still guess.
  bool may_guess(const std::string& client, time_point now);
  void record_wrong_guess(const std::string& client, time_point now);

 private:
  struct State {
    int connections = 0;
    bool landed = false;
    std::unordered_map<catalog::GalleryId, time_point> sessions;  // last activity
    int guesses = 0;
    time_point guess_window_start;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, State> clients_;
  int total_ = 0;
  const int max_connections_, max_per_client_;
  const std::chrono::minutes session_length_;
  const int guess_limit_;
};

}  // namespace vk::web
