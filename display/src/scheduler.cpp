#include "display/scheduler.h"

#include <algorithm>
#include <cmath>

#include "display/compose.h"

namespace vk::display {
namespace {

// Weights of the rotation's order: featured photos and the newest ones come early in a pass.
constexpr double kFeaturedWeight = 4.0;
constexpr double kRecentWeight = 2.0;
constexpr std::size_t kRecentCount = 50;  // "recent": the newest this many photos

bool portrait(const catalog::FeedPhoto& p) {
  return is_portrait({p.width, p.height});
}

}  // namespace

Scheduler::Scheduler(std::uint32_t seed, bool landscape_screen) : rng_(seed), landscape_(landscape_screen) {}

void Scheduler::set_photos(const std::vector<catalog::FeedPhoto>& newest_first) {
  std::unordered_map<catalog::PhotoId, catalog::FeedPhoto> now;
  now.reserve(newest_first.size());
  for (const auto& p : newest_first) {
    if (broken_.count(p.id) != 0) continue;
    if (filled_ && p.id > max_id_ && photos_.count(p.id) == 0) fresh_.push_back(p.id);
    now.emplace(p.id, p);
  }
  std::sort(fresh_.begin(), fresh_.end());
  for (const auto& p : newest_first) max_id_ = std::max(max_id_, p.id);
  photos_ = std::move(now);
  auto gone = [&](catalog::PhotoId id) { return photos_.count(id) == 0; };
  std::erase_if(fresh_, gone);
  std::erase_if(pass_, gone);
  filled_ = true;
}

void Scheduler::add_new(const std::vector<catalog::FeedPhoto>& oldest_first) {
  for (const auto& p : oldest_first) {
    max_id_ = std::max(max_id_, p.id);
    if (broken_.count(p.id) != 0 || photos_.count(p.id) != 0) continue;
    photos_.emplace(p.id, p);
    if (filled_) fresh_.push_back(p.id);
  }
  filled_ = true;
}

void Scheduler::mark_broken(catalog::PhotoId id) {
  broken_.insert(id);
  photos_.erase(id);
  std::erase(fresh_, id);
  std::erase(pass_, id);
}

void Scheduler::put_back(const SlidePlan& plan) {
  for (auto it = plan.photos.rbegin(); it != plan.photos.rend(); ++it) {
    if (photos_.count(it->id) == 0) continue;
    (plan.fresh ? fresh_ : pass_).push_front(it->id);
  }
}

void Scheduler::start_pass() {
  // Efraimidis-Spirakis: sorting by u^(1/w) is a weighted random order without repetition.
  std::vector<catalog::PhotoId> ids;
  ids.reserve(photos_.size());
  for (const auto& [id, p] : photos_) ids.push_back(id);
  std::sort(ids.begin(), ids.end(), std::greater<>());  // newest first; unordered_map order is not stable
  std::uniform_real_distribution<double> uniform(1e-9, 1.0);
  std::vector<std::pair<double, catalog::PhotoId>> keyed;
  keyed.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    double weight = 1.0;
    if (photos_.at(ids[i]).featured) weight *= kFeaturedWeight;
    if (i < kRecentCount) weight *= kRecentWeight;
    keyed.emplace_back(std::log(uniform(rng_)) / weight, ids[i]);
  }
  std::sort(keyed.begin(), keyed.end(), std::greater<>());
  pass_.clear();
  for (const auto& [key, id] : keyed) pass_.push_back(id);
  // The photo on screen now does not open the next pass.
  if (pass_.size() > 1 && pass_.front() == last_shown_) std::swap(pass_[0], pass_[1]);
}

std::optional<catalog::FeedPhoto> Scheduler::take_from(std::deque<catalog::PhotoId>& queue, bool want_portrait,
                                                       bool must_match) {
  for (auto it = queue.begin(); it != queue.end(); ++it) {
    const auto found = photos_.find(*it);
    if (found == photos_.end()) continue;
    if (must_match && portrait(found->second) != want_portrait) continue;
    auto photo = found->second;
    queue.erase(it);
    return photo;
  }
  return std::nullopt;
}

std::optional<SlidePlan> Scheduler::next() {
  if (photos_.empty()) return std::nullopt;
  SlidePlan plan;
  std::optional<catalog::FeedPhoto> first;
  if (!fresh_.empty()) {
    first = take_from(fresh_, false, false);
    plan.fresh = first.has_value();
  }
  if (!first) {
    if (pass_.empty()) start_pass();
    first = take_from(pass_, false, false);
  }
  if (!first) return std::nullopt;
  std::erase(pass_, first->id);  // a fresh photo shown now does not come again in this pass
  plan.photos.push_back(*first);
  if (landscape_ && portrait(*first)) {
    // A partner from the same queue first (fresh with fresh), else from the rotation.
    auto partner = plan.fresh ? take_from(fresh_, true, true) : std::nullopt;
    if (!partner) partner = take_from(pass_, true, true);
    if (partner) {
      std::erase(pass_, partner->id);
      plan.photos.push_back(*partner);
    }
  }
  last_shown_ = plan.photos.back().id;
  return plan;
}

}  // namespace vk::display
