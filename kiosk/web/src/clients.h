// Per-client state of the web server, keyed by the client's address (on the venue Wi-Fi each
// phone has its own): whether it has seen the landing page (so its captive-portal probes now
// answer "online"), its open gallery sessions, and its recent wrong guesses. Also the
// connection caps libh2o lacks. Shared by all loop threads and the catalog writer (which starts
// sessions right after counting an open).
//
// Every image a guest fetches asks in_session(), from both loops at once, so that question
// takes the lock shared and refreshes the session's last activity through an atomic: a loop
// thread descheduled while it holds the lock never stops the other loop (with one exclusive
// mutex it did, for up to 6 ms under wrk's 200 connections, and every guest on the waiting
// loop waited with it). Changes to the maps (a connection, a landing, a new session, a wrong
// guess) take it exclusively.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <shared_mutex>
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

  // Wrong passwords and unknown tokens: true while the client may still guess (guess_limit
  // wrong guesses in a 10-minute window that starts with the first of them).
  [[nodiscard]] bool may_guess(const std::string& client, time_point now) const;
  void record_wrong_guess(const std::string& client, time_point now);

 private:
  static constexpr std::chrono::minutes kGuessWindow{10};
  struct State {
    int connections = 0;
    bool landed = false;
    // Last activity, in the clock's ticks. Nodes of an unordered_map stay put, so the atomic
    // may be written under the shared lock.
    std::unordered_map<catalog::GalleryId, std::atomic<time_point::rep>> sessions;
    int guesses = 0;
    time_point guess_window_start;
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, State> clients_;
  int total_ = 0;
  const int max_connections_, max_per_client_;
  const std::chrono::minutes session_length_;
  const int guess_limit_;
};

}  // namespace vk::web
