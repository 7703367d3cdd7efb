// The child-process guard that LibRaw runs behind: a crash, a hang or an error in the child
// is one file's plain-words error in the parent, and answers cross the pipe intact.
#include "isolated.h"

#include <catch2/catch.hpp>
#include <signal.h>
#include <unistd.h>

using namespace vk;
using namespace vk::image::detail;

TEST_CASE("isolated: an answer crosses the pipe intact", "[isolated]") {
  std::vector<std::uint8_t> big(300'000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  const auto wire = run_isolated(
      [&]() -> Result<std::vector<std::uint8_t>> {
        WireWriter w;
        w.u32(42);
        w.str("Canon EOS R6");
        w.bytes(big);
        return w.out;
      },
      "RAW file");
  REQUIRE(wire.ok());
  WireReader r(*wire);
  CHECK(r.u32() == 42);
  CHECK(r.str() == "Canon EOS R6");
  CHECK(r.bytes() == big);
  CHECK(r.ok());
  r.u32();
  CHECK_FALSE(r.ok());  // reading past the end is noticed
}

TEST_CASE("isolated: the child's own error comes back as it was", "[isolated]") {
  const auto wire = run_isolated(
      []() -> Result<std::vector<std::uint8_t>> { return make_error(ErrorCode::unsupported, "no preview"); },
      "RAW file");
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().code == ErrorCode::unsupported);
  CHECK(wire.error().message == "no preview");
}

TEST_CASE("isolated: a crash in the child is a damaged file and the parent lives on", "[isolated]") {
  const auto wire = run_isolated(
      []() -> Result<std::vector<std::uint8_t>> {
        ::raise(SIGSEGV);
        return std::vector<std::uint8_t>{};
      },
      "RAW file");
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().code == ErrorCode::invalid_input);
  CHECK(wire.error().message.find("the RAW file is damaged: reading it crashed the decoder") == 0);
}

TEST_CASE("isolated: a child that hangs is stopped at the deadline", "[isolated]") {
  const auto wire = run_isolated(
      []() -> Result<std::vector<std::uint8_t>> {
        ::pause();
        return std::vector<std::uint8_t>{};
      },
      "RAW file", 200);
  REQUIRE_FALSE(wire.ok());
  CHECK(wire.error().message.find("did not finish in time") != std::string::npos);
}
