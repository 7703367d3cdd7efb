#include "snapshot.h"

#include <sodium.h>

#include <algorithm>

namespace vk::web {

namespace {

static_assert(std::tuple_size_v<TokenDigest> == crypto_generichash_BYTES);

// The same digest as catalog::token_hash() (unkeyed BLAKE2b-256), before its hex encoding.
TokenDigest digest_of(std::string_view token_text) {
  TokenDigest d{};
  crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(token_text.data()), token_text.size(),
                     nullptr, 0);
  return d;
}

}  // namespace

const catalog::GalleryToken* Snapshot::find_token(std::string_view token_text) const {
  const TokenDigest digest = digest_of(token_text);
  const auto it = tokens.find(digest);
  // The map lookup works on the hash, which tells a guesser nothing; the final comparison is
  // constant-time all the same.
  if (it == tokens.end() || sodium_memcmp(it->first.data(), digest.data(), digest.size()) != 0) return nullptr;
  return &it->second;
}

const GalleryView* Snapshot::gallery(catalog::GalleryId id) const {
  const auto it = galleries.find(id);
  return it == galleries.end() ? nullptr : it->second.get();
}

Result<std::shared_ptr<const Snapshot>> load_snapshot(catalog::GalleryStore& store,
                                                      const std::shared_ptr<const Snapshot>& previous) {
  auto next = std::make_shared<Snapshot>();
  VK_ASSIGN_OR_RETURN(next->photos_fingerprint, store.photos_fingerprint());
  VK_ASSIGN_OR_RETURN(next->generation, store.generation());
  const bool photos_same = previous && previous->photos_fingerprint == next->photos_fingerprint;
  if (photos_same && previous->generation == next->generation) return previous;
  if (photos_same) {
    next->photos = previous->photos;
    next->photo_index = previous->photo_index;
  } else {
    VK_ASSIGN_OR_RETURN(next->photos, store.served_photos());
    for (std::size_t i = 0; i < next->photos.size(); ++i) next->photo_index.emplace(next->photos[i].id, i);
  }
  VK_ASSIGN_OR_RETURN(auto tokens, store.tokens());
  for (auto& t : tokens) {
    TokenDigest digest{};
    std::size_t length = 0;
    if (sodium_hex2bin(digest.data(), digest.size(), t.hash.data(), t.hash.size(), nullptr, &length, nullptr) != 0 ||
        length != digest.size())
      continue;  // not a digest token_hash() wrote: no token text can match it
    next->tokens.emplace(digest, std::move(t));
  }
  VK_ASSIGN_OR_RETURN(auto galleries, store.list());
  for (auto& g : galleries) {
    auto view = std::make_shared<GalleryView>();
    if (g.all_photos) {
      view->items.reserve(next->photos.size());
      for (std::size_t i = 0; i < next->photos.size(); ++i) view->items.push_back({i, {}});
    } else {
      VK_ASSIGN_OR_RETURN(auto members, store.members(g.id));
      // Sections keep the order in which the organizer first used them.
      std::vector<std::string> order;
      for (const auto& m : members) {
        if (std::find(order.begin(), order.end(), m.section) == order.end()) order.push_back(m.section);
      }
      for (const auto& section : order) {
        for (const auto& m : members) {
          if (m.section != section) continue;
          const auto it = next->photo_index.find(m.photo);
          if (it != next->photo_index.end()) view->items.push_back({it->second, m.section});
        }
      }
    }
    for (std::size_t i = 0; i < view->items.size(); ++i)
      view->position.emplace(next->photos[view->items[i].photo].id, i);
    view->gallery = std::move(g);
    next->galleries.emplace(view->gallery.id, std::move(view));
  }
  return std::shared_ptr<const Snapshot>(std::move(next));
}

}  // namespace vk::web
