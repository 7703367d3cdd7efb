// Galleries: named sets of photos (or "all photos", live) that guests open with an access
// token, and the organizer's rules for each (view limit, expiry, download, time window,
// release time, password, disabled switch).
//
// Tokens are 128-bit random values shown once, when made; the catalog keeps only their hash
// (BLAKE2b), so a copy of catalog.db does not let anyone in. Passwords are kept as
// crypto_pwhash strings.
//
// A GalleryStore owns its own SQLite connection to catalog.db (WAL lets it work beside the
// Catalog and other processes) and serialises its calls: any thread may call it. Open it after
// Catalog::open, which migrates the schema.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/clock.h"
#include "vk/result.h"

namespace vk::catalog {

using GalleryId = std::int64_t;
using TokenId = std::int64_t;

// Minutes after local midnight; `end` before `start` means the window runs past midnight.
struct TimeWindow {
  int start = 0;
  int end = 0;
  friend bool operator==(const TimeWindow&, const TimeWindow&) = default;
};

struct GalleryRules {
  std::optional<int> view_limit;                                 // opens allowed; nullopt: unlimited
  std::optional<std::chrono::system_clock::time_point> expires;  // nullopt: never
  std::optional<std::chrono::system_clock::time_point> release;  // not open before this
  std::optional<TimeWindow> window;                              // daily opening hours; nullopt: always
  bool download = false;                                         // originals reachable at all
  bool strip_gps = true;  // GPS removed from originals; only an internal gallery may turn it off
};

enum class Preset { none, attendee, media, sponsor, internal };
std::string_view preset_name(Preset preset);
Result<Preset> parse_preset(std::string_view name);
// The organizer's table: attendee 100 views/no download/30 days; media 50/download/7 days;
// sponsor 80/download/14 days; internal unlimited/download/no expiry (password set by caller).
GalleryRules preset_rules(Preset preset, std::chrono::system_clock::time_point now);

struct Gallery {
  GalleryId id = 0;
  std::string name;
  Preset preset = Preset::none;
  bool all_photos = true;  // every approved, visible photo, live; otherwise the listed ones
  GalleryRules rules;
  bool has_password = false;
  bool disabled = false;
  int views_used = 0;
  std::string created_at;
};

struct GalleryToken {
  TokenId id = 0;
  GalleryId gallery = 0;
  std::string hash;  // hex BLAKE2b-256 of the token text
  bool single_use = false;
  std::optional<std::string> bound_device;  // the device a single-use token belongs to
};

// A photo listed in a gallery, with the section (organizer's chapter) it belongs to.
struct GalleryMember {
  PhotoId photo = 0;
  std::string section;  // empty: no section
};

// Why a gallery does not open right now (or `open`).
enum class Availability { open, disabled, expired, not_yet_released, outside_window };
Availability availability(const Gallery& gallery, std::chrono::system_clock::time_point now);

// New random token text (22 characters, URL-safe base64 of 128 random bits).
std::string new_token();
// The stored form of a token.
std::string token_hash(std::string_view token);
// Constant-time equality of two hashes.
bool same_hash(std::string_view a, std::string_view b);

// "YYYY-MM-DD" (through the end of that local day) or "YYYY-MM-DDTHH:MM" (local time).
Result<std::chrono::system_clock::time_point> parse_local_time(std::string_view text, bool date_means_end_of_day);
// "HH:MM-HH:MM".
Result<TimeWindow> parse_window(std::string_view text);
std::string format_window(const TimeWindow& window);

// A photo as guests get it: its three servable files.
struct ServedFile {
  std::string relative_path;  // below the data dir; empty when the photo has no such file
  std::uint64_t bytes = 0;
  int width = 0, height = 0;
  std::string sha256;
};
struct ServedPhoto {
  PhotoId id = 0;
  std::string format;  // of the original ("JPEG", "DNG", ...)
  bool had_gps = false;
  ServedFile thumb, screen, original;
};

class GalleryStore {
 public:
  static Result<std::unique_ptr<GalleryStore>> open(const std::filesystem::path& database, const Clock& clock);
  ~GalleryStore();
  GalleryStore(const GalleryStore&) = delete;
  GalleryStore& operator=(const GalleryStore&) = delete;

  struct Created {
    Gallery gallery;
    std::string token;  // shown once; only its hash is kept
  };
  Result<Created> create(const std::string& name, Preset preset, std::optional<std::string> password = {});
  Result<std::optional<Gallery>> get(GalleryId id);
  Result<std::vector<Gallery>> list();
  Status set_rules(GalleryId id, const GalleryRules& rules);
  // A password of nullopt removes it.
  Status set_password(GalleryId id, const std::optional<std::string>& password);
  Status set_disabled(GalleryId id, bool disabled);
  Status remove(GalleryId id);

  // More tokens for a gallery: `count` single-use tokens (wristbands) or one reusable token.
  Result<std::vector<std::string>> add_tokens(GalleryId id, int count, bool single_use);
  // Lists photos (with an optional section) in a gallery; it then shows only listed photos.
  Status add_photos(GalleryId id, const std::vector<PhotoId>& photos, const std::string& section);

  // Every token with its gallery id (the web server keeps this in memory).
  Result<std::vector<GalleryToken>> tokens();
  Result<std::vector<GalleryMember>> members(GalleryId id);
  Result<bool> check_password(GalleryId id, std::string_view password);

  // Counts one open if the view limit allows it; false when the limit is reached. Atomic,
  // so concurrent openers never overshoot the limit.
  Result<bool> count_open(GalleryId id);
  // Binds a single-use token to `device` on first use; false when another device has it.
  Result<bool> bind_token(TokenId token, std::string_view device);

  // Every visible photo (not hidden, approved) with its files, in capture order: one query,
  // for the web server's in-memory index.
  Result<std::vector<ServedPhoto>> served_photos();
  // Changes whenever photos are added, removed, hidden or approved (a counter kept by triggers).
  Result<std::string> photos_fingerprint();

  // Captive-portal state that survives a restart: the salted hashes of clients that have seen
  // the landing page (never their addresses).
  Status remember_landed(std::string_view client_hash);
  Result<std::vector<std::string>> landed_clients();

  // A random 256-bit secret (hex) kept in the catalog under `name`, made on first use: the
  // salt of the guests' client hashes, so they stay stable across restarts.
  Result<std::string> secret(std::string_view name);

  // Changes whenever any gallery, token or membership changes (in any process).
  Result<std::int64_t> generation();

 private:
  struct Impl;
  explicit GalleryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vk::catalog
