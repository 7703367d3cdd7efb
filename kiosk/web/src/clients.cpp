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
  std::lock_guard lock(mutex_);
  return total_;
}

void Clients::mark_landed(const std::string& client) {
  std::lock_guard lock(mutex_);
  clients_[client].landed = true;
}

bool Clients::has_landed(const std::string& client) const {
  std::lock_guard lock(mutex_);
  const auto it = clients_.find(client);
  return it != clients_.end() && it->second.landed;
}

bool Clients::in_session(const std::string& client, catalog::GalleryId gallery, time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = clients_.find(client);
  if (it == clients_.end()) return false;
  const auto s = it->second.sessions.find(gallery);
  if (s == it->second.sessions.end() || now - s->second > session_length_) return false;
  s->second = now;
  return true;
}

void Clients::start_session(const std::string& client, catalog::GalleryId gallery, time_point now) {
  std::lock_guard lock(mutex_);
  clients_[client].sessions[gallery] = now;
}

bool Clients::may_guess(const std::string& client, time_point now) {
  std::lock_guard lock(mutex_);
  auto& state = clients_[client];
  if (now - state.guess_window_start > std::chrono::minutes(10)) {
    state.guesses = 0;
    state.guess_window_start = now;
  }
  return state.guesses < guess_limit_;
}

void Clients::record_wrong_guess(const std::string& client, time_point now) {
  std::lock_guard lock(mutex_);
  auto& state = clients_[client];
  if (now - state.guess_window_start > std::chrono::minutes(10)) {
    state.guesses = 0;
    state.guess_window_start = now;
  }
  ++state.guesses;
}

}  // namespace vk::web
