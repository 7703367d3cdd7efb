// venuekiosk-raw-reader: reads one camera RAW file on standard input and writes what venuekiosk
// asked for on standard output, in the form isolated.h reads. venuekiosk starts one per RAW
// file it reads; LibRaw crashes on some damaged files, and here that costs this process and
// that one file, never the importer.
//
//   venuekiosk-raw-reader identify KIND   the header (KIND: the RawKind the file's signature
//                                         gave, as a number)
//   venuekiosk-raw-reader preview         the embedded JPEG preview
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <string_view>

#include "isolated.h"
#include "raw_libraw.h"
#include "raw_wire.h"

namespace {

using namespace vk;
using namespace vk::image;
using namespace vk::image::detail;

// Far above any camera's RAW file; the importer's own file size limit comes first.
constexpr std::size_t kMaxInputBytes = std::size_t{1} << 31;

Result<std::vector<std::uint8_t>> answer(std::string_view job, std::string_view kind_arg) {
  VK_ASSIGN_OR_RETURN(const auto bytes, read_input(STDIN_FILENO, kMaxInputBytes));
  if (job == "preview") {
    VK_ASSIGN_OR_RETURN(const auto preview, preview_in_process(bytes));
    return encode(preview);
  }
  int kind = 0;
  const auto [end, ec] = std::from_chars(kind_arg.data(), kind_arg.data() + kind_arg.size(), kind);
  if (ec != std::errc{} || end != kind_arg.data() + kind_arg.size() || kind < 0 ||
      kind > static_cast<int>(RawKind::other)) {
    return make_error(ErrorCode::internal, "the RAW reader was asked for an unknown kind of RAW file");
  }
  VK_ASSIGN_OR_RETURN(const auto header, identify_in_process(bytes, static_cast<RawKind>(kind)));
  return encode(header);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view job = argc > 1 ? argv[1] : "";
  if (!((job == "identify" && argc == 3) || (job == "preview" && argc == 2))) {
    (void)std::fputs(
        "usage: venuekiosk-raw-reader identify KIND | preview   (RAW file on standard input;\n"
        "       venuekiosk starts this program itself)\n",
        stderr);
    return 2;
  }
  return write_answer(STDOUT_FILENO, answer(job, argc == 3 ? argv[2] : "")) ? 0 : 1;
}
