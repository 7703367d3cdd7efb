#include "workers.h"

namespace vk::web {

Workers::Workers(int threads, std::size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

Workers::~Workers() {
  stop();
}

bool Workers::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

bool Workers::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void Workers::stop() {
  finish(false);
}

void Workers::drain() {
  finish(true);
}

void Workers::finish(bool run_queued) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) run_queued_ = run_queued;
    stopping_ = true;
    if (!run_queued_) queue_.clear();
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Workers::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() || (stopping_ && !run_queued_)) return;
    auto job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace vk::web
