// The slideshow scheduler: fresh photos first, no repeats within a pass, portrait pairs.
#include "display/scheduler.h"

#include <catch2/catch.hpp>

#include <set>

using namespace vk;
using catalog::FeedPhoto;

namespace {

FeedPhoto landscape(catalog::PhotoId id, bool featured = false) {
  return {id, "screen/x/" + std::to_string(id) + ".jpg", 1920, 1280, featured, ""};
}
FeedPhoto portrait(catalog::PhotoId id) {
  return {id, "screen/p/" + std::to_string(id) + ".jpg", 720, 1080, false, ""};
}

std::vector<FeedPhoto> newest_first(int n) {
  std::vector<FeedPhoto> v;
  for (int id = n; id >= 1; --id) v.push_back(landscape(id));
  return v;
}

}  // namespace

TEST_CASE("Every photo is shown once per pass before any repeats", "[scheduler]") {
  display::Scheduler s(7);
  s.set_photos(newest_first(25));
  std::set<catalog::PhotoId> seen;
  for (int i = 0; i < 25; ++i) {
    auto plan = s.next();
    REQUIRE(plan);
    REQUIRE(plan->photos.size() == 1);
    CHECK(seen.insert(plan->photos[0].id).second);
    CHECK_FALSE(plan->fresh);
  }
  CHECK(seen.size() == 25);
  // The next pass does not begin with the photo just shown.
  const auto last = *std::prev(seen.end());
  (void)last;
  auto again = s.next();
  REQUIRE(again);
}

TEST_CASE("A new photo comes next without waiting for the pass to finish", "[scheduler]") {
  display::Scheduler s(3);
  s.set_photos(newest_first(10));
  for (int i = 0; i < 3; ++i) REQUIRE(s.next());
  s.add_new({landscape(11)});
  CHECK(s.has_fresh());
  auto plan = s.next();
  REQUIRE(plan);
  CHECK(plan->fresh);
  CHECK(plan->photos[0].id == 11);
  // Then the rotation goes on; 11 is not repeated in this pass.
  for (int i = 0; i < 7; ++i) {
    auto p = s.next();
    REQUIRE(p);
    CHECK(p->photos[0].id != 11);
  }
}

TEST_CASE("A full refresh finds photos committed since as fresh and drops hidden ones", "[scheduler]") {
  display::Scheduler s(5);
  s.set_photos(newest_first(5));
  auto v = newest_first(6);  // 6 is new
  v.erase(v.begin() + 3);    // 3 was hidden
  s.set_photos(v);
  CHECK(s.size() == 5);
  auto plan = s.next();
  REQUIRE(plan);
  CHECK(plan->photos[0].id == 6);
  for (int i = 0; i < 10; ++i) {
    auto p = s.next();
    REQUIRE(p);
    CHECK(p->photos[0].id != 3);
  }
}

TEST_CASE("Featured photos come early in a pass", "[scheduler]") {
  // Over many passes, a featured photo's average position is well ahead of the middle.
  double sum = 0;
  const int passes = 200;
  display::Scheduler s(11);
  auto photos = newest_first(120);
  photos[100] = landscape(photos[100].id, true);  // an old photo, featured
  s.set_photos(photos);
  for (int pass = 0; pass < passes; ++pass) {
    for (int i = 0; i < 120; ++i) {
      auto p = s.next();
      REQUIRE(p);
      if (p->photos[0].featured) sum += i;
    }
  }
  CHECK(sum / passes < 40);
}

TEST_CASE("Two portraits share a landscape screen", "[scheduler]") {
  display::Scheduler s(1, true);
  s.set_photos({portrait(4), landscape(3), portrait(2), landscape(1)});
  int pairs = 0, singles = 0;
  for (int i = 0; i < 3; ++i) {
    auto p = s.next();
    REQUIRE(p);
    if (p->photos.size() == 2) {
      ++pairs;
      CHECK(p->photos[0].height > p->photos[0].width);
      CHECK(p->photos[1].height > p->photos[1].width);
    } else {
      ++singles;
    }
  }
  CHECK(pairs == 1);
  CHECK(singles == 2);
}

TEST_CASE("Portraits are not paired on a portrait screen", "[scheduler]") {
  display::Scheduler s(1, false);
  s.set_photos({portrait(2), portrait(1)});
  auto p = s.next();
  REQUIRE(p);
  CHECK(p->photos.size() == 1);
}

TEST_CASE("A broken photo is never planned again", "[scheduler]") {
  display::Scheduler s(2);
  s.set_photos(newest_first(3));
  s.mark_broken(2);
  for (int i = 0; i < 9; ++i) {
    auto p = s.next();
    REQUIRE(p);
    CHECK(p->photos[0].id != 2);
  }
  s.set_photos(newest_first(3));  // still in the catalog, still skipped
  for (int i = 0; i < 6; ++i) CHECK(s.next()->photos[0].id != 2);
}

TEST_CASE("An empty catalog plans nothing", "[scheduler]") {
  display::Scheduler s;
  s.set_photos({});
  CHECK_FALSE(s.next());
}
