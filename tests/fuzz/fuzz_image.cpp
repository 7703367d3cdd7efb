// libFuzzer target over the import-time image pipeline: probe -> derive (decode, orient,
// resize, encode) -> read_metadata, as kiosk/catalog runs it on every file of a card; and
// over without_gps, which the web server runs on every original a guest downloads.
//
// The limits are far below the defaults so that a header written by the fuzzer cannot make
// a decoder allocate gigabytes; the limit checks themselves are part of what is exercised.
// Besides "no crash, leak, hang or UBSan report", the target checks the contracts callers
// rely on (derivatives non-empty and inside their boxes, orientation in 1..8) and traps
// when one is broken, so libFuzzer reports that too. After every input it also runs a known
// good JPEG through the same thread: image/ keeps one TurboJPEG handle per thread, and an
// input must not leave it (or anything else) in a state that makes the next photo fail.
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
#include "image/strip.h"

namespace {

constexpr vk::image::Size kScreenBox{256, 256};

// A valid 16x8 baseline JPEG (ImageMagick: gradient:red-blue -quality 50), probed and derived
// after every input to catch state that one input leaves behind for the next.
constexpr std::uint8_t kCanaryJpeg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c, 0x0a, 0x10, 0x0e, 0x0d, 0x0e, 0x12, 0x11, 0x10,
    0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23, 0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33,
    0x38, 0x37, 0x40, 0x48, 0x5c, 0x4e, 0x40, 0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51, 0x57, 0x5f, 0x62, 0x67,
    0x68, 0x67, 0x3e, 0x4d, 0x71, 0x79, 0x70, 0x64, 0x78, 0x5c, 0x65, 0x67, 0x63, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x11,
    0x12, 0x12, 0x18, 0x15, 0x18, 0x2f, 0x1a, 0x1a, 0x2f, 0x63, 0x42, 0x38, 0x42, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63,
    0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x08, 0x00, 0x10, 0x03, 0x01, 0x22, 0x00,
    0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x00, 0x15, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0xff, 0xc4, 0x00, 0x16, 0x10, 0x01, 0x01, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x61, 0xff, 0xc4, 0x00, 0x15,
    0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x06,
    0xff, 0xc4, 0x00, 0x18, 0x11, 0x00, 0x03, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x04, 0x15, 0x51, 0x52, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00,
    0x3f, 0x00, 0x99, 0xab, 0x4a, 0xb4, 0x14, 0xb2, 0xd6, 0xe4, 0x55, 0x16, 0x34, 0xff, 0xd9};
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

void check_canary(const vk::image::Limits& limits) {
  const std::span<const std::uint8_t> canary(kCanaryJpeg, sizeof kCanaryJpeg);
  const auto info = vk::image::probe(canary, limits);
  if (!info) std::fprintf(stderr, "fuzz_image: canary JPEG: %s\n", info.error().describe().c_str());
  require(info.ok() && info->stored == vk::image::Size{16, 8},
          "a valid JPEG fails to probe after this input (state left behind in the thread)");
  vk::image::DeriveOptions options;
  options.screen_box = kScreenBox;
  options.thumb_box = kThumbBox;
  options.limits = limits;
  const auto derived = vk::image::derive(canary, *info, options);
  if (!derived) std::fprintf(stderr, "fuzz_image: canary JPEG: %s\n", derived.error().describe().c_str());
  require(derived.ok() && derived->screen.size == vk::image::Size{16, 8},
          "a valid JPEG fails to derive after this input (state left behind in the thread)");
}

void check_metadata(const vk::image::PhotoMetadata& meta) {
  require(meta.orientation >= 1 && meta.orientation <= 8, "orientation outside 1..8");
  if (meta.rating) require(*meta.rating >= 0 && *meta.rating <= 5, "rating outside 0..5");
  if (meta.captured_at) require(meta.captured_at->size() == 19, "captured_at is not YYYY-MM-DDTHH:MM:SS");
}

// The GPS cleaner the web server runs on every original a guest downloads (image/strip.h): it
// may refuse, but its runs must lie inside the input and its pieces add up to what it claims.
void check_strip(std::span<const std::uint8_t> bytes) {
  const auto clean = vk::image::without_gps(bytes);
  if (!clean) {
    require(!clean.error().message.empty(), "without_gps failed without a reason");
    if (verbose()) std::fprintf(stderr, "without_gps: %s\n", clean.error().describe().c_str());
    return;
  }
  std::uint64_t total = 0;
  for (const auto& piece : clean->pieces) {
    require(piece.size() > 0, "without_gps returned an empty piece");
    if (!piece.is_held()) {
      require(piece.offset <= bytes.size() && piece.length <= bytes.size() - piece.offset,
              "without_gps returned a run outside the input");
    }
    total += piece.size();
  }
  require(total == clean->size() && vk::image::assemble(*clean, bytes).size() == total,
          "without_gps pieces do not add up");
  if (verbose()) {
    std::fprintf(stderr, "without_gps: %zu pieces, %llu bytes%s\n", clean->pieces.size(),
                 static_cast<unsigned long long>(total), clean->removed ? ", something removed" : "");
  }
}

void run_pipeline(std::span<const std::uint8_t> bytes, const vk::image::Limits& limits) {
  check_strip(bytes);
  const vk::image::PhotoMetadata meta = vk::image::read_metadata(bytes);
  check_metadata(meta);

  const auto info = vk::image::probe(bytes, limits);
  if (!info) {
    require(!info.error().message.empty(), "probe failed without a reason");
    if (verbose()) std::fprintf(stderr, "probe: %s\n", info.error().describe().c_str());
    return;
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
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const vk::image::Limits limits = fuzz_limits();
  run_pipeline(std::span<const std::uint8_t>(data, size), limits);
  check_canary(limits);
  return 0;
}
