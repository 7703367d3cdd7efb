// What the request threads read on every request, kept in memory: photos with their files,
// galleries with their rules and members, tokens by hash. Rebuilt off the request path (the
// refresher thread) when the catalog changes, and published as an immutable shared_ptr, so a
// request takes one atomic load and no lock.
#pragma once

#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/galleries.h"
#include "vk/result.h"

namespace vk::web {

struct GalleryView {
  catalog::Gallery gallery;
  // Indices into Snapshot::photos, in display order, with their section.
  struct Item {
    std::size_t photo;
    std::string section;
  };
  std::vector<Item> items;
  std::unordered_map<catalog::PhotoId, std::size_t> position;  // photo id -> index in items
};

// A token's BLAKE2b digest in binary (the catalog stores it as hex): per request, hashing the
// token text is all that is needed, with no hex text built and half the bytes to compare.
using TokenDigest = std::array<unsigned char, 32>;
struct TokenDigestHash {
  std::size_t operator()(const TokenDigest& d) const noexcept {
    std::size_t h = 0;  // the digest is already uniform: its first bytes are a hash
    std::memcpy(&h, d.data(), sizeof h);
    return h;
  }
};

struct Snapshot {
  std::vector<catalog::ServedPhoto> photos;
  std::unordered_map<catalog::PhotoId, std::size_t> photo_index;
  std::unordered_map<catalog::GalleryId, std::shared_ptr<const GalleryView>> galleries;
  std::unordered_map<TokenDigest, catalog::GalleryToken, TokenDigestHash> tokens;
  std::int64_t generation = -1;
  std::string photos_fingerprint;

  [[nodiscard]] const catalog::GalleryToken* find_token(std::string_view token_text) const;
  [[nodiscard]] const GalleryView* gallery(catalog::GalleryId id) const;
};

// Builds a new snapshot, reusing `previous`'s photos when the fingerprint says nothing changed.
Result<std::shared_ptr<const Snapshot>> load_snapshot(catalog::GalleryStore& store,
                                                      const std::shared_ptr<const Snapshot>& previous);

}  // namespace vk::web
