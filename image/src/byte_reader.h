// Bounds-checked reads of big- and little-endian integers from untrusted bytes. Every
// header parser goes through this so that no offset from a file can read past its end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vk::image::detail {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  [[nodiscard]] std::size_t size() const { return bytes_.size(); }
  [[nodiscard]] bool has(std::size_t offset, std::size_t count) const {
    return offset <= bytes_.size() && count <= bytes_.size() - offset;
  }
  [[nodiscard]] std::optional<std::uint8_t> u8(std::size_t at) const {
    if (!has(at, 1)) return std::nullopt;
    return bytes_[at];
  }
  [[nodiscard]] std::optional<std::uint32_t> be(std::size_t at, int width) const {
    if (!has(at, static_cast<std::size_t>(width))) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < width; ++i) v = (v << 8) | bytes_[at + static_cast<std::size_t>(i)];
    return v;
  }
  [[nodiscard]] std::optional<std::uint32_t> le(std::size_t at, int width) const {
    if (!has(at, static_cast<std::size_t>(width))) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = width - 1; i >= 0; --i) v = (v << 8) | bytes_[at + static_cast<std::size_t>(i)];
    return v;
  }
  [[nodiscard]] bool matches(std::size_t at, std::string_view magic) const {
    if (!has(at, magic.size())) return false;
    for (std::size_t i = 0; i < magic.size(); ++i) {
      if (bytes_[at + i] != static_cast<std::uint8_t>(magic[i])) return false;
    }
    return true;
  }

 private:
  std::span<const std::uint8_t> bytes_;
};

}  // namespace vk::image::detail
