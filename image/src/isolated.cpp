#include "isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace vk::image::detail {

void WireWriter::u32(std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void WireWriter::str(std::string_view s) {
  u32(static_cast<std::uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

void WireWriter::bytes(std::span<const std::uint8_t> b) {
  u32(static_cast<std::uint32_t>(b.size()));
  out.insert(out.end(), b.begin(), b.end());
}

std::span<const std::uint8_t> WireReader::take(std::size_t n) {
  if (!ok_ || n > in_.size()) {
    ok_ = false;
    return {};
  }
  auto head = in_.first(n);
  in_ = in_.subspan(n);
  return head;
}

std::uint32_t WireReader::u32() {
  const auto b = take(4);
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < b.size(); ++i) v |= static_cast<std::uint32_t>(b[i]) << (8 * i);
  return v;
}

std::string WireReader::str() {
  const auto b = take(u32());
  return {b.begin(), b.end()};
}

std::vector<std::uint8_t> WireReader::bytes() {
  const auto b = take(u32());
  return {b.begin(), b.end()};
}

namespace {

constexpr std::uint32_t kAnswered = 1, kFailed = 2;

bool write_all(int fd, std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

[[noreturn]] void answer_and_exit(int fd, const Result<std::vector<std::uint8_t>>& result) {
  WireWriter w;
  if (result) {
    w.u32(kAnswered);
    w.bytes(*result);
  } else {
    w.u32(kFailed);
    w.u32(static_cast<std::uint32_t>(result.error().code));
    w.str(result.error().message);
  }
  const bool written = write_all(fd, w.out);
  ::_exit(written ? 0 : 1);  // no atexit handlers or static destructors in the child
}

// Reads the child's whole answer, or stops at the deadline.
bool read_answer(int fd, std::vector<std::uint8_t>& out, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::uint8_t buffer[65536];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.insert(out.end(), buffer, buffer + n);
  }
}

}  // namespace

Result<std::vector<std::uint8_t>> run_isolated(const std::function<Result<std::vector<std::uint8_t>>()>& work,
                                               std::string_view what, int timeout_ms) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return make_error(ErrorCode::io, std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  // glibc keeps malloc usable in the child of a threaded parent; the work reads only memory.
  const pid_t child = ::fork();
  if (child < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return make_error(ErrorCode::io, std::string("cannot start a reader process: ") + std::strerror(err));
  }
  if (child == 0) {
    ::close(fds[0]);
    // A crash must end the child by its signal, whatever handlers the parent installed
    // (a sanitizer's or a test framework's would report it and exit normally instead).
    for (const int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) ::signal(sig, SIG_DFL);
    answer_and_exit(fds[1], work());
  }
  ::close(fds[1]);
  std::vector<std::uint8_t> answer;
  const bool complete = read_answer(fds[0], answer, timeout_ms);
  ::close(fds[0]);
  if (!complete) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string damaged = std::string("the ") + std::string(what) + " is damaged: ";
  if (!complete) return make_error(ErrorCode::invalid_input, damaged + "reading it did not finish in time");
  if (WIFSIGNALED(status)) {
    return make_error(ErrorCode::invalid_input,
                      damaged + "reading it crashed the decoder (" + ::strsignal(WTERMSIG(status)) + ")");
  }
  WireReader r(answer);
  const std::uint32_t kind = r.u32();
  if (kind == kAnswered) {
    auto payload = r.bytes();
    if (r.ok()) return payload;
  } else if (kind == kFailed) {
    const auto code = static_cast<ErrorCode>(r.u32());
    auto message = r.str();
    if (r.ok() && code <= ErrorCode::internal) return make_error(code, std::move(message));
  }
  return make_error(ErrorCode::invalid_input, damaged + "its reader stopped without an answer");
}

}  // namespace vk::image::detail
