// libFuzzer target over the import-time image pipeline: probe -> derive (decode, orient,
// resize, encode) -> read_metadata, as kiosk/catalog runs it on every file of a card.
//
// The limits are far below the defaults so that a header written by the fuzzer cannot make
// a decoder allocate gigabytes; the limit checks themselves are part of what is exercised.
// Besides "no crash, leak, hang or UBSan report", the target checks the contracts callers
// rely on (derivatives non-empty and inside their boxes, orientation in 1..8) and traps
// when one is broken, so libFuzzer reports that too.
//
// VK_FUZZ_VERBOSE=1 in the environment prints what happened to each input on stderr
// (useful when replaying a seed: ./fuzz_image -runs=0 corpus/jpeg-cmyk.jpg).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "image/derive.h"
#include "image/exif.h"
#include "image/probe.h"
#include "image/transform.h"

namespace {

constexpr vk::image::Size kScreenBox{256, 256};
constexpr vk::image::Size kThumbBox{64, 64};

vk::image::Limits fuzz_limits() {
  vk::image::Limits limits;
  limits.max_pixels = 16'000'000;  // 16 MP: a full RGBA decode stays well under 100 MB
  limits.max_dimension = 16'384;
  return limits;
}

bool verbose() {
  static const bool on = [] {
    const char* v = std::getenv("VK_FUZZ_VERBOSE");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return on;
}

// A broken contract is a finding: trap so libFuzzer saves the input.
void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_image: contract broken: %s\n", what);
  __builtin_trap();
}

bool fits(vk::image::Size size, vk::image::Size box) {
  return size.width >= 1 && size.height >= 1 && size.width <= box.width && size.height <= box.height;
}

void check_metadata(const vk::image::PhotoMetadata& meta) {
  require(meta.orientation >= 1 && meta.orientation <= 8, "orientation outside 1..8");
  if (meta.rating) require(*meta.rating >= 0 && *meta.rating <= 5, "rating outside 0..5");
  if (meta.captured_at) require(meta.captured_at->size() == 19, "captured_at is not YYYY-MM-DDTHH:MM:SS");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);

  const vk::image::PhotoMetadata meta = vk::image::read_metadata(bytes);
  check_metadata(meta);

  const vk::image::Limits limits = fuzz_limits();
  const auto info = vk::image::probe(bytes, limits);
  if (!info) {
    require(!info.error().message.empty(), "probe failed without a reason");
    if (verbose()) std::fprintf(stderr, "probe: %s\n", info.error().describe().c_str());
    return 0;
  }
  require(vk::image::looks_like_image(bytes), "probe accepted what looks_like_image refuses");
  require(info->stored.width >= 1 && info->stored.height >= 1, "probe accepted an empty size");
  require(static_cast<std::uint64_t>(info->stored.width) * static_cast<std::uint64_t>(info->stored.height) <=
              limits.max_pixels,
          "probe accepted a size over the pixel limit");
  check_metadata(info->metadata);

  vk::image::DeriveOptions options;
  options.screen_box = kScreenBox;
  options.thumb_box = kThumbBox;
  options.limits = limits;
  const auto derived = vk::image::derive(bytes, *info, options);
  if (verbose()) {
    const auto shown = info->displayed();
    std::fprintf(stderr, "probe: %s%s%s %dx%d orientation %d -> ", std::string(format_name(info->format)).c_str(),
                 info->raw_kind == vk::image::RawKind::none ? "" : "/",
                 std::string(raw_kind_name(info->raw_kind)).c_str(), shown.width, shown.height,
                 info->metadata.orientation);
    if (derived) {
      std::fprintf(stderr, "screen %dx%d (%zu B), thumb %dx%d (%zu B)\n", derived->screen.size.width,
                   derived->screen.size.height, derived->screen.jpeg.size(), derived->thumb.size.width,
                   derived->thumb.size.height, derived->thumb.jpeg.size());
    } else {
      std::fprintf(stderr, "derive: %s\n", derived.error().describe().c_str());
    }
  }
  if (derived) {
    require(fits(derived->screen.size, kScreenBox), "screen derivative outside its box");
    require(fits(derived->thumb.size, kThumbBox), "thumb derivative outside its box");
    require(derived->thumb.size.width <= derived->screen.size.width &&
                derived->thumb.size.height <= derived->screen.size.height,
            "thumb larger than screen");
    require(!derived->screen.jpeg.empty() && !derived->thumb.jpeg.empty(), "empty derivative JPEG");
  } else {
    require(!derived.error().message.empty(), "derive failed without a reason");
  }
  return 0;
}
