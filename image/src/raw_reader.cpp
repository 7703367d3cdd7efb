#include "raw_reader.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <system_error>

#include "isolated.h"
#include "raw_wire.h"

namespace vk::image::detail {
namespace {

constexpr const char* kReaderName = "venuekiosk-raw-reader";

// $VK_RAW_READER when set (the test suites point it into their build tree); else beside the
// running binary (a build tree: build/venuekiosk and build/venuekiosk-raw-reader); else where
// an install puts it, ../lib/venuekiosk/ from the binary (/usr/bin/venuekiosk and
// /usr/lib/venuekiosk/venuekiosk-raw-reader). When none is there, the installed path is
// named in the error. Looked up for each file: a lookup costs far less than the reader's start.
std::filesystem::path find_reader() {
  if (const char* set = std::getenv("VK_RAW_READER"); set != nullptr && *set != '\0') return set;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::filesystem::path("/usr/lib/venuekiosk") / kReaderName;
  auto beside = self.parent_path() / kReaderName;
  if (::access(beside.c_str(), X_OK) == 0) return beside;
  return (self.parent_path().parent_path() / "lib/venuekiosk" / kReaderName).lexically_normal();
}

template <class T>
Result<T> ask_reader(std::span<const std::string> args, std::span<const std::uint8_t> bytes) {
  VK_ASSIGN_OR_RETURN(const auto wire, run_isolated(find_reader(), args, bytes, "RAW file"));
  WireReader r(wire);
  T answer;
  decode(r, answer);
  if (!r.ok()) return make_error(ErrorCode::internal, "the RAW reader's answer was cut short");
  return answer;
}

}  // namespace

Result<RawHeader> identify_raw(std::span<const std::uint8_t> bytes, RawKind signature_kind) {
  const std::string args[] = {"identify", std::to_string(static_cast<int>(signature_kind))};
  return ask_reader<RawHeader>(args, bytes);
}

Result<RawPreview> extract_raw_preview(std::span<const std::uint8_t> bytes) {
  const std::string args[] = {"preview"};
  return ask_reader<RawPreview>(args, bytes);
}

}  // namespace vk::image::detail
