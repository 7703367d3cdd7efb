// The catalog side of galleries: presets, rules parsing, availability with a fake clock, tokens
// stored hashed.
#include <catch2/catch.hpp>

#include "catalog/galleries.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::catalog;

namespace {
const bool utc = (setenv("TZ", "UTC", 1), tzset(), true);
}

TEST_CASE("presets follow the organizer's table", "[web][galleries]") {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1796068800));
  const auto days = [&](const GalleryRules& r) { return std::chrono::duration_cast<std::chrono::hours>(*r.expires - now).count() / 24; };
  const auto attendee = preset_rules(Preset::attendee, now);
  CHECK(attendee.view_limit == 100);
  CHECK_FALSE(attendee.download);
  CHECK(days(attendee) == 30);
  const auto media = preset_rules(Preset::media, now);
  CHECK(media.view_limit == 50);
  CHECK(media.download);
  CHECK(days(media) == 7);
  const auto sponsor = preset_rules(Preset::sponsor, now);
  CHECK(sponsor.view_limit == 80);
  CHECK(sponsor.download);
  CHECK(days(sponsor) == 14);
  const auto internal = preset_rules(Preset::internal, now);
  CHECK_FALSE(internal.view_limit);
  CHECK(internal.download);
  CHECK_FALSE(internal.expires);
}

TEST_CASE("dates and windows parse strictly", "[web][galleries]") {
  CHECK(parse_window("18:00-23:30")->start == 18 * 60);
  CHECK(parse_window("23:00-02:00")->end == 120);
  CHECK_FALSE(parse_window("18:00-18:00"));
  CHECK_FALSE(parse_window("25:00-26:00"));
  CHECK_FALSE(parse_window("6pm-11pm"));
  const auto end_of_day = parse_local_time("2026-12-01", true);
  REQUIRE(end_of_day.ok());
  CHECK(to_iso_utc(*end_of_day) == "2026-12-02T00:00:00Z");
  CHECK(to_iso_utc(*parse_local_time("2026-12-01T18:30", true)) == "2026-12-01T18:30:00Z");
  CHECK_FALSE(parse_local_time("2026-13-01", true));
  CHECK_FALSE(parse_local_time("tomorrow", true));
}

TEST_CASE("availability follows the fake clock", "[web][galleries]") {
  ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1796068800)));  // 20:00 UTC
  Gallery g;
  CHECK(availability(g, clock.now()) == Availability::open);
  g.rules.window = TimeWindow{18 * 60, 21 * 60};
  CHECK(availability(g, clock.now()) == Availability::open);
  clock.advance(std::chrono::hours(2));
  CHECK(availability(g, clock.now()) == Availability::outside_window);
  g.rules.window.reset();
  g.rules.expires = clock.now();
  CHECK(availability(g, clock.now()) == Availability::expired);
  g.rules.expires.reset();
  g.rules.release = clock.now() + std::chrono::minutes(1);
  CHECK(availability(g, clock.now()) == Availability::not_yet_released);
  g.disabled = true;
  CHECK(availability(g, clock.now()) == Availability::disabled);
}

TEST_CASE("tokens are random and stored only as hashes", "[web][galleries]") {
  const auto a = new_token(), b = new_token();
  CHECK(a.size() == 22);
  CHECK(a != b);
  CHECK(token_hash(a).size() == 64);
  CHECK(token_hash(a).find(a) == std::string::npos);
  CHECK(same_hash(token_hash(a), token_hash(a)));
  CHECK_FALSE(same_hash(token_hash(a), token_hash(b)));
}
