// The reader-process guard that LibRaw runs behind: a crash, a hang or an error in the reader
// is one file's plain-words error in the caller, answers cross the pipe intact, and callers on
// many threads at once all get theirs.
#include "isolated.h"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "vk/unique_fd.h"

using namespace vk;
using namespace vk::image::detail;

namespace {

const std::filesystem::path kReader = VK_ISOLATED_TEST_READER;

Result<std::vector<std::uint8_t>> run(std::initializer_list<std::string> args, std::span<const std::uint8_t> input = {},
                                      int timeout_ms = 10'000) {
  const std::vector<std::string> list(args);
  return run_isolated(kReader, list, input, "RAW file", timeout_ms);
}

std::vector<std::uint8_t> pattern(std::size_t size, unsigned seed) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + seed);
  return bytes;
}

}  // namespace

TEST_CASE("isolated: the file goes in and the answer comes back intact", "[isolated]") {
  const auto big = pattern(300'000, 0);
  const auto wire = run({"echo", "Canon EOS R6"}, big);
  REQUIRE(wire.ok());
  WireReader r(*wire);
  CHECK(r.u32() == 42);
  CHECK(r.str() == "Canon EOS R6");
  CHECK(r.bytes() == big);
  CHECK(r.ok());
  r.u32();
  CHECK_FALSE(r.ok());  // reading past the end is noticed
}

TEST_CASE("isolated: the reader's own error comes back as it was", "[isolated]") {
  const auto wire = run({"error"});
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().code == ErrorCode::unsupported);
  CHECK(wire.error().message == "no preview");
}

TEST_CASE("isolated: a crash in the reader is a damaged file and the caller lives on", "[isolated]") {
  const auto wire = run({"crash"});
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().code == ErrorCode::invalid_input);
  CHECK(wire.error().message.find("the RAW file is damaged: reading it crashed the decoder") == 0);
}

TEST_CASE("isolated: a reader that hangs is stopped at the deadline", "[isolated]") {
  const auto wire = run({"hang"}, {}, 200);
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().code == ErrorCode::invalid_input);
  CHECK(wire.error().message == "the RAW file is damaged: reading it did not finish in time");
}

TEST_CASE("isolated: a reader that exits without answering is a damaged file", "[isolated]") {
  const auto wire = run({"silent"});
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().code == ErrorCode::invalid_input);
  CHECK(wire.error().message == "the RAW file is damaged: its reader stopped without an answer");
}

TEST_CASE("isolated: a reader that cannot be started is the box's error, not the file's", "[isolated]") {
  const std::vector<std::string> args{"echo", "x"};
  const auto wire = run_isolated("/nonexistent/venuekiosk-raw-reader", args, {}, "RAW file");
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().code == ErrorCode::io);  // an import stops and says so; the file is not refused
  CHECK(wire.error().message ==
        "cannot start the RAW file reader /nonexistent/venuekiosk-raw-reader: No such file or directory");
}

TEST_CASE("isolated: the reader inherits no descriptors and no blocked signals", "[isolated]") {
  // A descriptor without close-on-exec, and this thread blocking SIGTERM as a daemon's do.
  UniqueFd leaky(::open("/dev/null", O_RDONLY));
  REQUIRE(leaky.valid());
  sigset_t term, before;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  REQUIRE(::pthread_sigmask(SIG_BLOCK, &term, &before) == 0);
  const auto wire = run({"state"});
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  REQUIRE(wire.ok());
  WireReader r(*wire);
  CHECK(r.u32() == 0);
  CHECK(r.str() == "0000000000000000");
  CHECK(r.ok());
}

// The importer reads files on two workers while other threads allocate. A reader that was a
// fork of such a process could inherit a lock held by another thread at that moment (ASan's
// allocator lock did it: the reader waited forever and a good RAW file was refused).
TEST_CASE("isolated: callers on several threads at once, among allocating threads, all get their answers",
          "[isolated]") {
  std::atomic<bool> stop{false};
  std::vector<std::thread> churners;
  for (int t = 0; t < 2; ++t) {
    churners.emplace_back([&stop] {
      while (!stop) {
        std::vector<std::vector<std::uint8_t>> blocks;
        for (std::size_t i = 0; i < 64; ++i) blocks.emplace_back(1000 + i * 100);
      }
    });
  }
  std::atomic<int> answered{0}, wrong{0};
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  std::vector<std::thread> callers;
  for (unsigned t = 0; t < 3; ++t) {
    callers.emplace_back([&, t] {
      for (unsigned i = 0; i < 40; ++i) {
        const auto input = pattern(5'000 + i, t * 100 + i);
        const auto wire = run({"echo", std::to_string(t)}, input);
        if (!wire) {
          std::lock_guard lock(failures_mutex);
          failures.push_back(wire.error().message);
          continue;
        }
        WireReader r(*wire);
        const bool right = r.u32() == 42 && r.str() == std::to_string(t) && r.bytes() == input && r.ok();
        ++(right ? answered : wrong);
      }
    });
  }
  for (auto& c : callers) c.join();
  stop = true;
  for (auto& c : churners) c.join();
  CAPTURE(failures);
  CHECK(failures.empty());
  CHECK(wrong == 0);
  CHECK(answered == 3 * 40);
}
