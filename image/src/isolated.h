// Runs a parser of hostile bytes in a separate reader process, so that a crash or a hang inside
// a third-party library costs the one file, never the importing process. LibRaw 0.20 (Debian 12)
// crashes on some damaged RAW files (the fuzzer found a heap overflow and a wild read), and a
// daemon that died on a file would meet the same file again after its restart.
//
// The reader is a program of its own, started with posix_spawn: never a bare fork of the caller.
// The caller has threads (two import workers, the web server's), and a forked copy of a threaded
// process inherits every lock another thread held at that moment; under ASan a reader forked
// while the other worker was freeing memory waited forever on the allocator's lock, and the
// file was refused as damaged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vk/result.h"

namespace vk::image::detail {

// A flat little-endian encoding for what crosses the pipe from the reader.
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

// Runs `program args...` with `input` as its standard input and returns the answer it wrote
// with write_answer() (or the error it wrote). A reader that crashes, exits without a whole
// answer or takes longer than `timeout_ms` is reported as `what` being damaged, in plain words.
// A reader that cannot be started is an `io` error naming the program: the box is at fault,
// not the file.
Result<std::vector<std::uint8_t>> run_isolated(const std::filesystem::path& program, std::span<const std::string> args,
                                               std::span<const std::uint8_t> input, std::string_view what,
                                               int timeout_ms = 10'000);

// The reader's side: everything on `fd` until end of file, at most `max_bytes`.
Result<std::vector<std::uint8_t>> read_input(int fd, std::size_t max_bytes);

// The reader's side: writes `result` to `fd` in the form run_isolated() reads. False when the
// pipe refused it (the parent gave up waiting).
bool write_answer(int fd, const Result<std::vector<std::uint8_t>>& result);

}  // namespace vk::image::detail
