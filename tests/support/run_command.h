// Runs a shell command and captures its standard output and exit code: integration tests
// drive the real `venuekiosk` binary exactly as a person or a script would.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace vk::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
};

inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) result.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// One literal (not a concatenation: GCC 12 warns falsely on that at -O2, GCC bug 105329).
inline std::string venuekiosk() {
  return VK_BINARY_DIR "/venuekiosk";
}

}  // namespace vk::testing
