// A `venuekiosk serve` child process for the card tests: started with a config file and data
// dir of the test's own, stopped with SIGTERM or killed with SIGKILL like a power cut.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "run_command.h"

namespace vk::testing {

// A TCP port nobody listens on right now, so parallel tests never share one.
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class ServeProcess {
 public:
  ServeProcess(const std::filesystem::path& config, const std::filesystem::path& data, const std::filesystem::path& log)
      : log_(log) {
    const std::string binary = venuekiosk();
    listen_ = "127.0.0.1:" + std::to_string(free_port());
    std::vector<std::string> args = {binary,        "--config", config.string(), "--data-dir",
                                     data.string(), "serve",    "--listen",      listen_};
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, STDERR_FILENO);
      ::dup2(fd, STDOUT_FILENO);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
  }
  ~ServeProcess() {
    if (pid_ > 0) kill(SIGKILL);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Sends the signal and reaps the child; returns its exit code (-signal when killed).
  int kill(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  [[nodiscard]] bool running() const {
    if (pid_ <= 0) return false;
    return ::waitpid(pid_, nullptr, WNOHANG) == 0;
  }
  [[nodiscard]] std::string log() const {
    std::ifstream in(log_);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  // "127.0.0.1:PORT", where its web server listens.
  [[nodiscard]] const std::string& listen() const { return listen_; }

 private:
  std::filesystem::path log_;
  std::string listen_;
  pid_t pid_ = -1;
};

}  // namespace vk::testing
