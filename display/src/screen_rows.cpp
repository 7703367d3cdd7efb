#include "screen_rows.h"

#include <cstring>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace vk::display::detail {
namespace {

// Byte by byte in 16-bit arithmetic (255 * 256 fits): GCC turns this into 16-bit vector
// multiplies (SSE2 pmullw, NEON vmull), where the 32-bit-lane form needs 32-bit vector
// multiplies that baseline x86-64 lacks (measured 4.0 -> 2.1 ms a 1080p frame). The pad byte of
// XRGB stays 0.
void blend_bytes(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, std::size_t bytes,
                 std::uint16_t weight) {
  const auto keep = static_cast<std::uint16_t>(256 - weight);
  for (std::size_t i = 0; i < bytes; ++i) {
    out[i] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(a[i] * keep + b[i] * weight) >> 8);
  }
}

#if defined(__x86_64__)
constexpr std::size_t kVector = 16;  // bytes: four pixels
constexpr std::size_t kStep = 2 * kVector;

// Pixels before `target` reaches a 16-byte boundary (streaming stores must be aligned).
std::size_t head_pixels(const std::uint32_t* target, std::size_t pixels) {
  const auto misaligned = reinterpret_cast<std::uintptr_t>(target) % kVector;
  const std::size_t head = misaligned == 0 ? 0 : (kVector - misaligned) / sizeof(std::uint32_t);
  return head < pixels ? head : pixels;
}

struct Step {
  __m128i v0, v1;
};
struct Weights {
  __m128i from, to;
};

Step load_step(const std::uint8_t* p) {
  return {_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)),
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + kVector))};
}

void stream_step(std::uint8_t* p, const Step& s) {
  _mm_stream_si128(reinterpret_cast<__m128i*>(p), s.v0);
  _mm_stream_si128(reinterpret_cast<__m128i*>(p + kVector), s.v1);
}

// The same sum as blend_bytes, eight bytes to a register of 16-bit lanes.
__m128i mix_vector(__m128i x, __m128i y, const Weights& w) {
  const __m128i zero = _mm_setzero_si128();
  const auto mix = [&](__m128i p, __m128i q) {
    return _mm_srli_epi16(_mm_add_epi16(_mm_mullo_epi16(p, w.from), _mm_mullo_epi16(q, w.to)), 8);
  };
  return _mm_packus_epi16(mix(_mm_unpacklo_epi8(x, zero), _mm_unpacklo_epi8(y, zero)),
                          mix(_mm_unpackhi_epi8(x, zero), _mm_unpackhi_epi8(y, zero)));
}

Step mix_step(const Step& a, const Step& b, const Weights& w) {
  return {mix_vector(a.v0, b.v0, w), mix_vector(a.v1, b.v1, w)};
}
#endif

}  // namespace

void copy_row_to_screen(const std::uint32_t* source, std::uint32_t* target, std::size_t pixels) {
#if defined(__x86_64__)
  const std::size_t head = head_pixels(target, pixels);
  std::memcpy(target, source, head * sizeof(std::uint32_t));
  const auto* in = reinterpret_cast<const std::uint8_t*>(source + head);
  auto* out = reinterpret_cast<std::uint8_t*>(target + head);
  const std::size_t bytes = (pixels - head) * sizeof(std::uint32_t);
  std::size_t i = 0;
  // A step's loads are issued before the previous step's stores are (see blend_row_to_screen).
  if (bytes >= kStep) {
    Step next = load_step(in);
    for (; i + 2 * kStep <= bytes; i += kStep) {
      const Step now = next;
      next = load_step(in + i + kStep);
      stream_step(out + i, now);
    }
    stream_step(out + i, next);
    i += kStep;
  }
  std::memcpy(out + i, in + i, bytes - i);
#else
  std::memcpy(target, source, pixels * sizeof(std::uint32_t));
#endif
}

void blend_row_to_screen(const std::uint32_t* from, const std::uint32_t* to, std::uint32_t* target, std::size_t pixels,
                         std::uint16_t weight) {
#if defined(__x86_64__)
  const std::size_t head = head_pixels(target, pixels);
  const auto* a = reinterpret_cast<const std::uint8_t*>(from);
  const auto* b = reinterpret_cast<const std::uint8_t*>(to);
  auto* out = reinterpret_cast<std::uint8_t*>(target);
  const std::size_t bytes = pixels * sizeof(std::uint32_t);
  std::size_t i = head * sizeof(std::uint32_t);
  blend_bytes(a, b, out, i, weight);
  const Weights w{_mm_set1_epi16(static_cast<short>(256 - weight)), _mm_set1_epi16(static_cast<short>(weight))};
  // Software-pipelined: a step's loads are issued before the previous step's stores. When the
  // frame sits 16 bytes past the canvases modulo 4 KiB (SDL's window surface does: SDL_SIMDAlloc
  // against std::vector), the load right after a store otherwise matches its address in the low
  // 12 bits, and the CPU holds the load until the streaming store is gone: measured 6.4 ms a
  // 1080p blend instead of 2.3.
  if (i + kStep <= bytes) {
    Step next_a = load_step(a + i), next_b = load_step(b + i);
    for (; i + 2 * kStep <= bytes; i += kStep) {
      const Step mixed = mix_step(next_a, next_b, w);
      next_a = load_step(a + i + kStep);
      next_b = load_step(b + i + kStep);
      stream_step(out + i, mixed);
    }
    stream_step(out + i, mix_step(next_a, next_b, w));
    i += kStep;
  }
  blend_bytes(a + i, b + i, out + i, bytes - i, weight);
#else
  blend_bytes(reinterpret_cast<const std::uint8_t*>(from), reinterpret_cast<const std::uint8_t*>(to),
              reinterpret_cast<std::uint8_t*>(target), pixels * sizeof(std::uint32_t), weight);
#endif
}

void finish_screen_rows() {
#if defined(__x86_64__)
  _mm_sfence();
#endif
}

}  // namespace vk::display::detail
