// The slideshow scheduler: which photos come next. Plain C++, no SDL, no clock.
//
// Order of business:
//  1. Fresh photos first: a photo that appears in the catalog after the show started goes to
//     the front, in commit order, before anything of the rotation.
//  2. Then the rotation, one pass at a time: every visible photo once per pass (nothing
//     repeats while others wait); within a pass featured photos and the newest ones tend to
//     come early (weighted random order), and a pass never starts with the photo just shown.
//  3. On a landscape screen a portrait photo is paired with the next portrait photo waiting.
// Owned and called by one thread (the loader thread).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "catalog/photo_feed.h"

namespace vk::display {

struct SlidePlan {
  std::vector<catalog::FeedPhoto> photos;  // one, or two portraits side by side
  bool fresh = false;                      // newly imported: interrupts the rotation
};

class Scheduler {
 public:
  explicit Scheduler(std::uint32_t seed = 1, bool landscape_screen = true);

  // The full visible set, newest first. Photos no longer in it (hidden, unapproved, deleted)
  // leave the show; the first call fills the rotation, later calls treat ids above every id
  // seen so far as fresh.
  void set_photos(const std::vector<catalog::FeedPhoto>& newest_first);
  // Photos committed since the last look (ids ascending): fresh, unless already known.
  void add_new(const std::vector<catalog::FeedPhoto>& oldest_first);
  // A photo that could not be decoded is never planned again.
  void mark_broken(catalog::PhotoId id);
  // Puts a planned but unused slide back at the front (its photos keep their place).
  void put_back(const SlidePlan& plan);
  void set_landscape(bool landscape) { landscape_ = landscape; }

  std::optional<SlidePlan> next();
  [[nodiscard]] bool has_fresh() const { return !fresh_.empty(); }
  [[nodiscard]] std::size_t size() const { return photos_.size(); }
  [[nodiscard]] catalog::PhotoId max_id() const { return max_id_; }

 private:
  void start_pass();
  std::optional<catalog::FeedPhoto> take_from(std::deque<catalog::PhotoId>& queue, bool want_portrait, bool must_match);

  std::mt19937 rng_;
  bool landscape_;
  bool filled_ = false;
  catalog::PhotoId max_id_ = 0;
  catalog::PhotoId last_shown_ = 0;
  std::unordered_map<catalog::PhotoId, catalog::FeedPhoto> photos_;
  std::unordered_set<catalog::PhotoId> broken_;
  std::deque<catalog::PhotoId> fresh_;
  std::deque<catalog::PhotoId> pass_;
};

}  // namespace vk::display
