// Content hashes (SHA-256, through libsodium) as lowercase hex: the identity of every file
// in the photo store and the key that makes imports idempotent.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace vk::catalog {

std::string sha256_hex(std::span<const std::uint8_t> bytes);

// True for exactly 64 lowercase hex digits.
bool is_sha256_hex(const std::string& text);

}  // namespace vk::catalog
