// The worker pools beside the loops: password checks (stop drops what is queued) and the
// catalog writer (drain runs it, so a landed phone is remembered across a restart).
#include "workers.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

using vk::web::Workers;

namespace {

// Queues `count` jobs behind one that holds the only thread until `release` is set.
void queue_behind_a_busy_job(Workers& pool, std::atomic<bool>& release, std::atomic<int>& ran, int count) {
  std::atomic<bool> started{false};
  REQUIRE(pool.post([&] {
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }));
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int i = 0; i < count; ++i) REQUIRE(pool.post([&] { ++ran; }));
}

// Queues 5 counting jobs behind a busy one, ends the pool with `finish` (drain or stop) from
// another thread while the busy job still runs, and answers how many of the 5 ran.
int queued_jobs_run_by(void (Workers::*finish)()) {
  Workers pool(1, 1 << 20);  // never full here: a refused post means stopping
  std::atomic<bool> release{false};
  std::atomic<int> ran{0};
  queue_behind_a_busy_job(pool, release, ran, 5);
  std::thread finisher([&] { (pool.*finish)(); });
  while (pool.post([] {})) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // until it is ending
  release = true;
  finisher.join();
  CHECK_FALSE(pool.post([&] { ++ran; }));  // new jobs are refused either way
  return ran;
}

}  // namespace

TEST_CASE("drain runs every queued job before the pool stops, and refuses new ones", "[web][workers]") {
  CHECK(queued_jobs_run_by(&Workers::drain) == 5);
}

TEST_CASE("stop finishes the running job and drops the queued ones", "[web][workers]") {
  CHECK(queued_jobs_run_by(&Workers::stop) == 0);
}
