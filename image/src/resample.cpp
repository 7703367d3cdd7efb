#include "resample.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace vk::image::detail {
namespace {

constexpr int kWeightBits = 14;  // weights sum to 1 << 14
constexpr int kLinearMax = (1 << 14) - 1;

// Mitchell-Netravali with B = C = 1/3: the usual choice for downscaling photos.
double mitchell(double x) {
  x = std::fabs(x);
  if (x < 1) return (7 * x * x * x - 12 * x * x + 16.0 / 3) / 6;
  if (x < 2) return (-7.0 / 3 * x * x * x + 12 * x * x - 20 * x + 32.0 / 3) / 6;
  return 0;
}
constexpr double kSupport = 2.0;

struct LinearTables {
  std::array<std::uint16_t, 256> to_linear{};
  std::vector<std::uint8_t> to_srgb = std::vector<std::uint8_t>(kLinearMax + 1);
  LinearTables() {
    for (int s = 0; s < 256; ++s) {
      const double c = s / 255.0;
      const double l = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
      to_linear[static_cast<std::size_t>(s)] = static_cast<std::uint16_t>(std::lround(l * kLinearMax));
    }
    for (int v = 0; v <= kLinearMax; ++v) {
      const double l = static_cast<double>(v) / kLinearMax;
      const double c = l <= 0.0031308 ? l * 12.92 : 1.055 * std::pow(l, 1 / 2.4) - 0.055;
      to_srgb[static_cast<std::size_t>(v)] = static_cast<std::uint8_t>(std::clamp(std::lround(c * 255), 0L, 255L));
    }
  }
};

const LinearTables& tables() {
  static const LinearTables t;
  return t;
}

// For each output position: the first input index and the fixed-point weights of its taps.
struct Taps {
  int width = 0;                     // taps per output (same for all, zero-padded)
  std::vector<int> first;            // first input index per output
  std::vector<std::int32_t> weight;  // out_size * width
};

Taps compute_taps(int in_size, int out_size) {
  const double scale = static_cast<double>(out_size) / in_size;
  const double filter_scale = std::min(scale, 1.0);  // widen the kernel when shrinking
  const double support = kSupport / filter_scale;
  Taps taps;
  taps.width = static_cast<int>(std::ceil(support)) * 2 + 1;
  taps.first.resize(static_cast<std::size_t>(out_size));
  taps.weight.assign(static_cast<std::size_t>(out_size) * static_cast<std::size_t>(taps.width), 0);
  std::vector<double> w(static_cast<std::size_t>(taps.width));
  for (int o = 0; o < out_size; ++o) {
    const double center = (o + 0.5) / scale;
    int first = static_cast<int>(std::floor(center - support));
    first = std::clamp(first, 0, std::max(0, in_size - taps.width));
    double sum = 0;
    for (int k = 0; k < taps.width; ++k) {
      const int i = first + k;
      const double v = i < in_size ? mitchell((i + 0.5 - center) * filter_scale) : 0;
      w[static_cast<std::size_t>(k)] = v;
      sum += v;
    }
    // Normalise so a flat colour stays exactly flat, then fix rounding on the largest tap.
    std::int32_t total = 0;
    int largest = 0;
    auto* out = &taps.weight[static_cast<std::size_t>(o) * static_cast<std::size_t>(taps.width)];
    for (int k = 0; k < taps.width; ++k) {
      out[k] = static_cast<std::int32_t>(std::lround(w[static_cast<std::size_t>(k)] / sum * (1 << kWeightBits)));
      total += out[k];
      if (out[k] > out[largest]) largest = k;
    }
    out[largest] += (1 << kWeightBits) - total;
    taps.first[static_cast<std::size_t>(o)] = first;
  }
  return taps;
}

std::uint16_t clamp_linear(std::int32_t acc) {
  const std::int32_t v = (acc + (1 << (kWeightBits - 1))) >> kWeightBits;
  return static_cast<std::uint16_t>(std::clamp(v, 0, kLinearMax));
}

}  // namespace

Image resample_mitchell(const Image& in, Size out_size) {
  const auto& lut = tables();
  const int in_w = in.width;
  const int in_h = in.height;
  const int out_w = out_size.width;
  const int out_h = out_size.height;
  const Taps h = compute_taps(in_w, out_w);
  const Taps v = compute_taps(in_h, out_h);
  const auto row3 = [](int w) { return static_cast<std::size_t>(w) * 3; };

  // To linear light once: every input row feeds several output rows.
  std::vector<std::uint16_t> linear(in.rgb.size());
  for (std::size_t i = 0; i < linear.size(); ++i) linear[i] = lut.to_linear[in.rgb[i]];

  // Vertical pass first: it runs over whole contiguous rows (the compiler vectorises it) and
  // leaves fewer rows for the horizontal pass, which cannot be vectorised as easily.
  std::vector<std::uint16_t> tall(row3(in_w) * static_cast<std::size_t>(out_h));
  std::vector<std::int32_t> acc(row3(in_w));
  for (int y = 0; y < out_h; ++y) {
    std::fill(acc.begin(), acc.end(), 0);
    const int first = v.first[static_cast<std::size_t>(y)];
    const std::int32_t* w = v.weight.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(v.width);
    for (int k = 0; k < v.width && first + k < in_h; ++k) {
      const std::int32_t wk = w[k];
      if (wk == 0) continue;
      const std::uint16_t* src = linear.data() + row3(in_w) * static_cast<std::size_t>(first + k);
      for (std::size_t i = 0; i < acc.size(); ++i) acc[i] += wk * src[i];
    }
    std::uint16_t* dst = tall.data() + row3(in_w) * static_cast<std::size_t>(y);
    for (std::size_t i = 0; i < acc.size(); ++i) dst[i] = clamp_linear(acc[i]);
  }

  // Horizontal pass, back to sRGB on the way out.
  Image out;
  out.width = out_w;
  out.height = out_h;
  out.rgb.resize(row3(out_w) * static_cast<std::size_t>(out_h));
  for (int y = 0; y < out_h; ++y) {
    const std::uint16_t* row = tall.data() + row3(in_w) * static_cast<std::size_t>(y);
    std::uint8_t* dst = out.rgb.data() + row3(out_w) * static_cast<std::size_t>(y);
    for (int x = 0; x < out_w; ++x, dst += 3) {
      const std::uint16_t* p = row + row3(h.first[static_cast<std::size_t>(x)]);
      const std::int32_t* w = h.weight.data() + static_cast<std::size_t>(x) * static_cast<std::size_t>(h.width);
      std::int32_t r = 0, g = 0, b = 0;
      const int taps = std::min(h.width, in_w - h.first[static_cast<std::size_t>(x)]);  // narrow images
      for (int k = 0; k < taps; ++k, p += 3) {
        r += w[k] * p[0];
        g += w[k] * p[1];
        b += w[k] * p[2];
      }
      dst[0] = lut.to_srgb[clamp_linear(r)];
      dst[1] = lut.to_srgb[clamp_linear(g)];
      dst[2] = lut.to_srgb[clamp_linear(b)];
    }
  }
  return out;
}

}  // namespace vk::image::detail
