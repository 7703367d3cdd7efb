#include "clients.h"

namespace vk::web {

bool Clients::acquire_connection(const std::string& client) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_connections_) return false;
  auto& state = clients_[client];
  if (state.connections >= max_per_client_) return false;
  ++state.connections;
  ++total_;
  return true;
}

void Clients::release_connection(const std::string& client) {
  std::lock_guard lock(mutex_);
  const auto it = clients_.find(client);
  if (it == clients_.end() || it->second.connections == 0) return;
  --it->second.connections;
  --total_;
}

int Clients::connections() const {
  std::shared_lock lock(mutex_);
  return total_;
}

void Clients::mark_landed(const std::string& client) {
  std::lock_guard lock(mutex_);
  clients_[client].landed = true;
}

bool Clients::has_landed(const std::string& client) const {
  std::shared_lock lock(mutex_);
  const auto it = clients_.find(client);
  return it != clients_.end() && it->second.landed;
}

bool Clients::in_session(const std::string& client, catalog::GalleryId gallery, time_point now) {
  std::shared_lock lock(mutex_);
  const auto it = clients_.find(client);
  if (it == clients_.end()) return false;
  const auto s = it->second.sessions.find(gallery);
  if (s == it->second.sessions.end()) return false;
  const time_point last{time_point::duration{s->second.load(std::memory_order_relaxed)}};
  if (now - last > session_length_) return false;
  // Refreshed at most once a second (sessions last minutes): a grid asks dozens of times a
  // second from both loops, and a write each time would bounce its cache line between cores.
  // Another loop may refresh it meanwhile: either time is right.
  if (now - last >= std::chrono::seconds(1)) s->second.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  return true;
}

void Clients::start_session(const std::string& client, catalog::GalleryId gallery, time_point now) {
  std::lock_guard lock(mutex_);
  clients_[client].sessions[gallery].store(now.time_since_epoch().count(), std::memory_order_relaxed);
}

bool Clients::may_guess(const std::string& client, time_point now) const {
  std::shared_lock lock(mutex_);  // every request asks: a read, never a write
  const auto it = clients_.find(client);
  if (it == clients_.end() || now - it->second.guess_window_start > kGuessWindow) return 0 < guess_limit_;
  return it->second.guesses < guess_limit_;
}

void Clients::record_wrong_guess(const std::string& client, time_point now) {
  std::lock_guard lock(mutex_);
  auto& state = clients_[client];
  if (now - state.guess_window_start > kGuessWindow) {
    state.guesses = 0;
    state.guess_window_start = now;
  }
  ++state.guesses;
}

}  // namespace vk::web
