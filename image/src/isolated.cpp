#include "isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "vk/unique_fd.h"

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

Error os_error(const std::string& what, int err) {
  return make_error(ErrorCode::io, what + ": " + std::strerror(err));
}

// The reader's standard input: an anonymous in-memory file holding `input`, at offset 0. A file
// rather than a pipe, so that the parent never has to feed the reader while it reads its answer.
Result<UniqueFd> input_file(std::span<const std::uint8_t> input) {
  UniqueFd fd(::memfd_create("venuekiosk-reader-input", MFD_CLOEXEC));
  if (!fd.valid()) return os_error("cannot hold the file for its reader", errno);
  if (!write_all(fd.get(), input)) return os_error("cannot hold the file for its reader", errno);
  if (::lseek(fd.get(), 0, SEEK_SET) != 0) return os_error("cannot hold the file for its reader", errno);
  return fd;
}

// posix_spawn's two descriptions, destroyed on every return path.
struct SpawnSetup {
  SpawnSetup() {
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attributes{};
};

// Starts the reader with `input` on fd 0 and `answer` on fd 1, nothing else open, every signal
// at its default and none blocked. A blocked or ignored signal outlives exec, and the caller's
// threads block some (a daemon's SIGTERM) and ignore others (the web server's SIGPIPE).
Result<pid_t> spawn_reader(const std::filesystem::path& program, std::span<const std::string> args, int input,
                           int answer, std::string_view what) {
  SpawnSetup setup;
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  if (::posix_spawn_file_actions_adddup2(&setup.actions, input, STDIN_FILENO) != 0 ||
      ::posix_spawn_file_actions_adddup2(&setup.actions, answer, STDOUT_FILENO) != 0 ||
      ::posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1) != 0 ||
      ::posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0 ||
      ::posix_spawnattr_setsigmask(&setup.attributes, &none) != 0 ||
      ::posix_spawnattr_setsigdefault(&setup.attributes, &all) != 0) {
    return make_error(ErrorCode::internal, "cannot describe the reader process");
  }
  std::vector<std::string> argv_storage{program.string()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t child = -1;
  if (const int rc = ::posix_spawn(&child, program.c_str(), &setup.actions, &setup.attributes, argv.data(), environ);
      rc != 0) {
    return os_error("cannot start the " + std::string(what) + " reader " + program.string(), rc);
  }
  return child;
}

// Reads the reader's whole answer, or stops at the deadline.
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

Result<std::vector<std::uint8_t>> run_isolated(const std::filesystem::path& program, std::span<const std::string> args,
                                               std::span<const std::uint8_t> input, std::string_view what,
                                               int timeout_ms) {
  VK_ASSIGN_OR_RETURN(const UniqueFd input_fd, input_file(input));
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return os_error("cannot make a pipe", errno);
  UniqueFd answer_fd(fds[0]);
  UniqueFd reader_end(fds[1]);
  VK_ASSIGN_OR_RETURN(const pid_t child, spawn_reader(program, args, input_fd.get(), reader_end.get(), what));
  reader_end.reset();  // the answer ends when the reader's copy closes
  std::vector<std::uint8_t> answer;
  const bool complete = read_answer(answer_fd.get(), answer, timeout_ms);
  if (!complete) ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string damaged = "the " + std::string(what) + " is damaged: ";
  if (!complete) return make_error(ErrorCode::invalid_input, damaged + "reading it did not finish in time");
  if (WIFSIGNALED(status)) {
    return make_error(ErrorCode::invalid_input,
                      damaged + "reading it crashed the decoder (" + ::strsignal(WTERMSIG(status)) + ")");
  }
  // A whole answer with a failing exit (a sanitizer's leak report) is not trusted either.
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error(ErrorCode::invalid_input,
                      damaged + "its reader failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")");
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

Result<std::vector<std::uint8_t>> read_input(int fd, std::size_t max_bytes) {
  std::vector<std::uint8_t> in;
  std::uint8_t buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return os_error("cannot read the file handed to the reader", errno);
    if (n == 0) return in;
    if (in.size() + static_cast<std::size_t>(n) > max_bytes) {
      return make_error(ErrorCode::too_large, "the file is larger than the reader takes");
    }
    in.insert(in.end(), buffer, buffer + n);
  }
}

bool write_answer(int fd, const Result<std::vector<std::uint8_t>>& result) {
  WireWriter w;
  if (result) {
    w.u32(kAnswered);
    w.bytes(*result);
  } else {
    w.u32(kFailed);
    w.u32(static_cast<std::uint32_t>(result.error().code));
    w.str(result.error().message);
  }
  return write_all(fd, w.out);
}

}  // namespace vk::image::detail
