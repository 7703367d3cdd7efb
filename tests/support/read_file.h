// Reads a whole file into memory for comparisons in tests (empty if it cannot be read).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

namespace vk::testing {

// One read() of the whole file: tests hash many megabytes, and a byte-by-byte stream
// iterator is slow in the -O0 sanitizer build.
inline std::vector<std::uint8_t> read_all(const std::filesystem::path& p) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(p, ec);
  std::ifstream in(p, std::ios::binary);
  if (ec || !in) return {};
  std::vector<std::uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

}  // namespace vk::testing
