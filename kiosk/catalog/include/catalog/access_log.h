// The access log: every gallery open, photo view and download (and refusal), for the
// organizer's report. Guests are recorded by a salted hash of their address, never the
// address itself.
//
// record() never touches the disk: it appends to a bounded in-memory queue that one writer
// thread commits in batches (one transaction per batch), so a request never waits on SQLite.
// When the queue is full (the disk stalled for a long time) events are dropped and counted
// rather than blocking guests. Any thread may call record(); the destructor flushes.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/galleries.h"
#include "vk/result.h"

namespace vk::catalog {

enum class AccessKind { open, view, download, refused };
std::string_view access_kind_name(AccessKind kind);

struct AccessEvent {
  std::chrono::system_clock::time_point at;
  GalleryId gallery = 0;
  TokenId token = 0;
  std::optional<PhotoId> photo;
  AccessKind kind = AccessKind::view;
  std::string device;   // phone | tablet | desktop | other
  std::string browser;  // Safari, Chrome, Firefox, Samsung Internet, captive sheet, ...
  std::string client;   // salted hash of the client
  std::string detail;   // for refusals: the reason (expired, view-limit, ...)
};

// Device class and browser from a User-Agent header.
struct UserAgentInfo {
  std::string device;
  std::string browser;
};
UserAgentInfo classify_user_agent(std::string_view user_agent);

class AccessLog {
 public:
  struct Options {
    std::size_t max_queue = 100'000;
    std::chrono::milliseconds flush_every{500};
  };
  static Result<std::unique_ptr<AccessLog>> open(const std::filesystem::path& database, Options options);
  ~AccessLog();  // flushes what is queued
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void record(AccessEvent event);
  // Waits until everything recorded so far is committed (tests, shutdown).
  Status flush();
  [[nodiscard]] std::uint64_t dropped() const;

 private:
  struct Impl;
  explicit AccessLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vk::catalog
