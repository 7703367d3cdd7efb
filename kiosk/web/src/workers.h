// A few threads for the work a loop thread must never do itself because it blocks for long:
// password hashing (libsodium's crypto_pwhash is slow on purpose, ~0.1 s a check). Jobs run in
// order of arrival; a bounded queue refuses rather than grow when guessers flood it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vk::web {

class Workers {
 public:
  Workers(int threads, std::size_t max_queued);
  ~Workers();  // stop()
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // False when the queue is full or the pool is stopping (the job is dropped). Any thread.
  bool post(std::function<void()> job);
  // Whether stop() or drain() has begun: post() refuses everything from then on.
  [[nodiscard]] bool stopping() const;
  // Finishes the jobs that are running, drops the queued ones, joins. Idempotent.
  void stop();
  // Refuses new jobs, runs every queued one, joins: for work that must not be lost at a
  // restart (a landed phone remembered in the catalog).
  void drain();

 private:
  void run();
  void finish(bool run_queued);
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::size_t max_queued_;
  bool stopping_ = false;
  bool run_queued_ = false;  // when stopping: drain() rather than stop()
  std::vector<std::thread> threads_;
};

}  // namespace vk::web
