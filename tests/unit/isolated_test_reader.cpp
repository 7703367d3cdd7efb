// A reader program for isolated_test.cpp: each job is one way a real reader answers, fails or
// misbehaves.
//   echo WORD   answers 42, WORD and its whole standard input
//   error       answers with an error of its own
//   crash       dies of SIGSEGV (its handler reset first: under ASan, ASan's would exit instead)
//   hang        never answers
//   silent      exits 0 without a word
//   state       answers how many descriptors above stderr it has open and its blocked-signal mask
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "isolated.h"

using namespace vk;
using namespace vk::image::detail;

namespace {

Result<std::vector<std::uint8_t>> state() {
  std::uint32_t extra_fds = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    if (std::stoi(entry.path().filename().string()) > STDERR_FILENO) ++extra_fds;
  }
  --extra_fds;  // the directory_iterator's own
  std::ifstream status("/proc/self/status");
  std::string line, blocked;
  while (std::getline(status, line)) {
    if (line.starts_with("SigBlk:")) blocked = line.substr(line.find_first_not_of(" \t", 7));
  }
  WireWriter w;
  w.u32(extra_fds);
  w.str(blocked);
  return w.out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view job = argc > 1 ? argv[1] : "";
  if (job == "echo" && argc == 3) {
    auto input = read_input(STDIN_FILENO, 1 << 20);
    if (!input) return write_answer(STDOUT_FILENO, input.error()) ? 0 : 1;
    WireWriter w;
    w.u32(42);
    w.str(argv[2]);
    w.bytes(*input);
    return write_answer(STDOUT_FILENO, w.out) ? 0 : 1;
  }
  if (job == "error") return write_answer(STDOUT_FILENO, make_error(ErrorCode::unsupported, "no preview")) ? 0 : 1;
  if (job == "crash") {
    ::signal(SIGSEGV, SIG_DFL);
    ::raise(SIGSEGV);
  }
  if (job == "hang") ::pause();
  if (job == "silent") return 0;
  if (job == "state") return write_answer(STDOUT_FILENO, state()) ? 0 : 1;
  return 2;
}
