// The clock behind an interface: catalog timestamps, and later expiry and time windows,
// read it through here so tests can drive time with ManualClock.
#pragma once

#include <chrono>
#include <string>

namespace vk::catalog {

class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start) {}
  [[nodiscard]] std::chrono::system_clock::time_point now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }
  void set(std::chrono::system_clock::time_point t) { now_ = t; }

 private:
  std::chrono::system_clock::time_point now_;
};

// "2026-11-30T14:05:09Z": how the catalog stores instants.
std::string to_iso_utc(std::chrono::system_clock::time_point t);

}  // namespace vk::catalog
