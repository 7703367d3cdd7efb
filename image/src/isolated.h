// Runs a parser of hostile bytes in a forked child process, so that a crash or a hang inside a
// third-party library costs the one file, never the importing process. LibRaw 0.20 (Debian 12)
// crashes on some damaged RAW files (the fuzzer found a heap overflow and a wild read), and a
// daemon that died on a file would meet the same file again after its restart.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vk/result.h"

namespace vk::image::detail {

// A flat little-endian encoding for what crosses the pipe from the child.
class WireWriter {
 public:
  void u32(std::uint32_t v);
  void str(std::string_view s);
  void bytes(std::span<const std::uint8_t> b);
  std::vector<std::uint8_t> out;
};

class WireReader {
 public:
  explicit WireReader(std::span<const std::uint8_t> in) : in_(in) {}
  std::uint32_t u32();
  std::string str();
  std::vector<std::uint8_t> bytes();
  // False once any read ran past the end (every later read returns empty values).
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  std::span<const std::uint8_t> take(std::size_t n);
  std::span<const std::uint8_t> in_;
  bool ok_ = true;
};

// Runs `work` in a child; its encoded answer (or its error) comes back. A child that crashes,
// exits without answering or takes longer than `timeout_ms` is reported as `what` being
// damaged, in plain words.
Result<std::vector<std::uint8_t>> run_isolated(const std::function<Result<std::vector<std::uint8_t>>()>& work,
                                               std::string_view what, int timeout_ms = 10'000);

}  // namespace vk::image::detail
