// SHA-256 through OpenSSL's libcrypto rather than libsodium: libcrypto uses the CPU's SHA
// instructions (SHA-NI on x86, the ARMv8 crypto extensions on a Pi 5), measured at ~8x
// libsodium's portable code, which had been 11-15% of all import CPU.
#include "catalog/sha256.h"

#include <openssl/evp.h>

#include <algorithm>

namespace vk::catalog {

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(static_cast<std::size_t>(length) * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0x0F];
  }
  return hex;
}

bool is_sha256_hex(const std::string& text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace vk::catalog
