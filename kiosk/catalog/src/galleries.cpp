#include "catalog/galleries.h"

#include <sodium.h>

#include <array>
#include <charconv>
#include <ctime>
#include <mutex>

#include "rows.h"
#include "sqlite.h"

namespace vk::catalog {

using std::chrono::system_clock;

namespace {

constexpr const char* kGalleryColumns =
    "id, name, preset, all_photos, view_limit, views_used, expires_at, release_at, window_start, window_end, "
    "download, strip_gps, password_hash IS NOT NULL, disabled, created_at";

// Instants are stored as seconds since the epoch: comparisons stay exact and time-zone free.
std::optional<system_clock::time_point> optional_time(const sql::Statement& s, int col) {
  if (!s.optional_int(col)) return std::nullopt;
  return system_clock::time_point(std::chrono::seconds(s.int64(col)));
}

void bind_time(sql::Statement& s, int index, const std::optional<system_clock::time_point>& t) {
  if (t) {
    s.bind(index,
           static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count()));
  } else {
    s.bind_null(index);
  }
}

Gallery read_gallery(const sql::Statement& s) {
  Gallery g;
  g.id = s.int64(0);
  g.name = s.text(1);
  g.preset = parse_preset(s.text(2)).ok() ? *parse_preset(s.text(2)) : Preset::none;
  g.all_photos = s.integer(3) != 0;
  g.rules.view_limit = s.optional_int(4);
  g.views_used = s.integer(5);
  g.rules.expires = optional_time(s, 6);
  g.rules.release = optional_time(s, 7);
  if (s.optional_int(8) && s.optional_int(9)) g.rules.window = TimeWindow{s.integer(8), s.integer(9)};
  g.rules.download = s.integer(10) != 0;
  g.rules.strip_gps = s.integer(11) != 0;
  g.has_password = s.integer(12) != 0;
  g.disabled = s.integer(13) != 0;
  g.created_at = s.text(14);
  return g;
}

// Small enough to verify on a request thread (~20 ms) yet far too slow to guess offline;
// guessing online is rate-limited by the web server.
constexpr unsigned long long kPwOps = 3;
constexpr std::size_t kPwMem = 8u << 20;

Result<std::string> hash_password(const std::string& password) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), kPwOps, kPwMem) != 0) {
    return make_error(ErrorCode::internal, "not enough memory to hash the password");
  }
  return std::string(out.data());
}

int minutes_of_day(system_clock::time_point t) {
  const std::time_t secs = system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return tm.tm_hour * 60 + tm.tm_min;
}

bool parse_int(std::string_view text, int& out) {
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && p == end;
}

}  // namespace

std::string_view preset_name(Preset preset) {
  switch (preset) {
    case Preset::attendee: return "attendee";
    case Preset::media: return "media";
    case Preset::sponsor: return "sponsor";
    case Preset::internal: return "internal";
    case Preset::none: break;
  }
  return "";
}

Result<Preset> parse_preset(std::string_view name) {
  for (Preset p : {Preset::none, Preset::attendee, Preset::media, Preset::sponsor, Preset::internal}) {
    if (preset_name(p) == name) return p;
  }
  return make_error(ErrorCode::invalid_input, "unknown preset (use attendee, media, sponsor or internal)",
                    std::string(name));
}

GalleryRules preset_rules(Preset preset, system_clock::time_point now) {
  using days = std::chrono::days;
  GalleryRules r;
  switch (preset) {
    case Preset::attendee:
      r.view_limit = 100;
      r.download = false;
      r.expires = now + days(30);
      break;
    case Preset::media:
      r.view_limit = 50;
      r.download = true;
      r.expires = now + days(7);
      break;
    case Preset::sponsor:
      r.view_limit = 80;
      r.download = true;
      r.expires = now + days(14);
      break;
    case Preset::internal: r.download = true; break;
    case Preset::none: break;
  }
  return r;
}

Availability availability(const Gallery& g, system_clock::time_point now) {
  if (g.disabled) return Availability::disabled;
  if (g.rules.expires && now >= *g.rules.expires) return Availability::expired;
  if (g.rules.release && now < *g.rules.release) return Availability::not_yet_released;
  if (g.rules.window) {
    const int m = minutes_of_day(now);
    const auto [start, end] = *g.rules.window;
    const bool inside = start <= end ? (m >= start && m < end) : (m >= start || m < end);
    if (!inside) return Availability::outside_window;
  }
  return Availability::open;
}

std::string new_token() {
  std::array<unsigned char, 16> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::array<char, 32> text{};
  sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text.data();
}

std::string token_hash(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return hex.data();
}

bool same_hash(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<system_clock::time_point> parse_local_time(std::string_view text, bool date_means_end_of_day) {
  const auto bad = [&] {
    return make_error(ErrorCode::invalid_input, "expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM", std::string(text));
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (text.size() != 10 && text.size() != 16) return bad();
  if (text[4] != '-' || text[7] != '-') return bad();
  if (!parse_int(text.substr(0, 4), y) || !parse_int(text.substr(5, 2), mo) || !parse_int(text.substr(8, 2), d))
    return bad();
  const bool has_time = text.size() == 16;
  if (has_time) {
    if ((text[10] != 'T' && text[10] != ' ') || text[13] != ':') return bad();
    if (!parse_int(text.substr(11, 2), h) || !parse_int(text.substr(14, 2), mi)) return bad();
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return bad();
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d + (!has_time && date_means_end_of_day ? 1 : 0);
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == -1) return bad();
  return system_clock::from_time_t(t);
}

Result<TimeWindow> parse_window(std::string_view text) {
  const auto bad = [&] {
    return make_error(ErrorCode::invalid_input, "expected a window HH:MM-HH:MM", std::string(text));
  };
  if (text.size() != 11 || text[2] != ':' || text[5] != '-' || text[8] != ':') return bad();
  int h1 = 0, m1 = 0, h2 = 0, m2 = 0;
  if (!parse_int(text.substr(0, 2), h1) || !parse_int(text.substr(3, 2), m1) || !parse_int(text.substr(6, 2), h2) ||
      !parse_int(text.substr(9, 2), m2)) {
    return bad();
  }
  if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 || h1 * 60 + m1 > 1440 || h2 * 60 + m2 > 1440) return bad();
  TimeWindow w{h1 * 60 + m1, h2 * 60 + m2};
  if (w.start == w.end)
    return make_error(ErrorCode::invalid_input, "the window opens and closes at the same time", std::string(text));
  return w;
}

std::string format_window(const TimeWindow& w) {
  char text[48];
  std::snprintf(text, sizeof text, "%02d:%02d-%02d:%02d", w.start / 60, w.start % 60, w.end / 60, w.end % 60);
  return text;
}

struct GalleryStore::Impl {
  sql::DbPtr db;
  const Clock* clock = nullptr;
  std::mutex mutex;

  Status bump() { return sql::exec(db.get(), "UPDATE gallery_generation SET n = n + 1"); }
  Status insert_token(GalleryId gallery, const std::string& token, bool single_use) {
    sql::Statement s(db.get(),
                     "INSERT INTO gallery_tokens (gallery_id, token_hash, single_use, created_at) VALUES (?,?,?,?)");
    s.bind(1, gallery).bind(2, token_hash(token)).bind(3, single_use ? 1 : 0).bind(4, to_iso_utc(clock->now()));
    return s.run();
  }
  Status changed_one(GalleryId id, const char* what) {
    if (sqlite3_changes(db.get()) == 0)
      return make_error(ErrorCode::not_found, std::string("no gallery ") + std::to_string(id), what);
    return {};
  }
};

GalleryStore::GalleryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GalleryStore::~GalleryStore() = default;

Result<std::unique_ptr<GalleryStore>> GalleryStore::open(const std::filesystem::path& database, const Clock& clock) {
  if (sodium_init() < 0) return make_error(ErrorCode::internal, "libsodium could not start");
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  sql::DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return make_error(ErrorCode::database, std::string("cannot open the catalog: ") + sqlite3_errstr(rc),
                      database.string());
  }
  sqlite3_busy_timeout(db.get(), 10'000);
  for (const char* pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    VK_RETURN_IF_ERROR(sql::exec(db.get(), pragma));
  }
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  impl->clock = &clock;
  return std::unique_ptr<GalleryStore>(new GalleryStore(std::move(impl)));
}

Result<GalleryStore::Created> GalleryStore::create(const std::string& name, Preset preset,
                                                   std::optional<std::string> password) {
  if (name.empty() || name.size() > 200)
    return make_error(ErrorCode::invalid_input, "a gallery needs a name of 1 to 200 characters");
  std::optional<std::string> pw_hash;
  if (password) {
    VK_ASSIGN_OR_RETURN(pw_hash, hash_password(*password));
  }
  const GalleryRules rules = preset_rules(preset, impl_->clock->now());
  const std::string token = new_token();
  std::lock_guard lock(impl_->mutex);
  sqlite3* db = impl_->db.get();
  sql::Transaction tx(db);
  VK_RETURN_IF_ERROR(tx.begun());
  sql::Statement s(
      db,
      "INSERT INTO galleries (name, preset, view_limit, expires_at, download, strip_gps, password_hash, created_at) "
      "VALUES (?,?,?,?,?,1,?,?)");
  s.bind(1, name).bind(2, preset_name(preset)).bind(3, rules.view_limit);
  bind_time(s, 4, rules.expires);
  s.bind(5, rules.download ? 1 : 0).bind(6, pw_hash).bind(7, to_iso_utc(impl_->clock->now()));
  VK_RETURN_IF_ERROR(s.run());
  const GalleryId id = sqlite3_last_insert_rowid(db);
  VK_RETURN_IF_ERROR(impl_->insert_token(id, token, false));
  VK_RETURN_IF_ERROR(impl_->bump());
  VK_RETURN_IF_ERROR(tx.commit());
  sql::Statement get(db, std::string("SELECT ") + kGalleryColumns + " FROM galleries WHERE id = ?");
  get.bind(1, id);
  VK_ASSIGN_OR_RETURN(const bool row, get.step());
  if (!row) return make_error(ErrorCode::database, "the new gallery vanished");
  return Created{read_gallery(get), token};
}

Result<std::optional<Gallery>> GalleryStore::get(GalleryId id) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), std::string("SELECT ") + kGalleryColumns + " FROM galleries WHERE id = ?");
  s.bind(1, id);
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  if (!row) return std::optional<Gallery>();
  return std::optional<Gallery>(read_gallery(s));
}

Result<std::vector<Gallery>> GalleryStore::list() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), std::string("SELECT ") + kGalleryColumns + " FROM galleries ORDER BY id");
  return sql::collect_rows(s, [](const sql::Statement& row) { return read_gallery(row); });
}

Status GalleryStore::set_rules(GalleryId id, const GalleryRules& r) {
  std::lock_guard lock(impl_->mutex);
  sqlite3* db = impl_->db.get();
  sql::Transaction tx(db);
  VK_RETURN_IF_ERROR(tx.begun());
  sql::Statement s(
      db,
      "UPDATE galleries SET view_limit = ?, expires_at = ?, release_at = ?, window_start = ?, window_end = ?, "
      "download = ?, strip_gps = ? WHERE id = ?");
  s.bind(1, r.view_limit);
  bind_time(s, 2, r.expires);
  bind_time(s, 3, r.release);
  if (r.window) {
    s.bind(4, r.window->start).bind(5, r.window->end);
  } else {
    s.bind_null(4).bind_null(5);
  }
  s.bind(6, r.download ? 1 : 0).bind(7, r.strip_gps ? 1 : 0).bind(8, id);
  VK_RETURN_IF_ERROR(s.run());
  VK_RETURN_IF_ERROR(impl_->changed_one(id, "gallery set"));
  VK_RETURN_IF_ERROR(impl_->bump());
  return tx.commit();
}

Status GalleryStore::set_password(GalleryId id, const std::optional<std::string>& password) {
  std::optional<std::string> pw_hash;
  if (password) {
    VK_ASSIGN_OR_RETURN(pw_hash, hash_password(*password));
  }
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "UPDATE galleries SET password_hash = ? WHERE id = ?");
  s.bind(1, pw_hash).bind(2, id);
  VK_RETURN_IF_ERROR(s.run());
  VK_RETURN_IF_ERROR(impl_->changed_one(id, "gallery set"));
  return impl_->bump();
}

Status GalleryStore::set_disabled(GalleryId id, bool disabled) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "UPDATE galleries SET disabled = ? WHERE id = ?");
  s.bind(1, disabled ? 1 : 0).bind(2, id);
  VK_RETURN_IF_ERROR(s.run());
  VK_RETURN_IF_ERROR(impl_->changed_one(id, disabled ? "gallery disable" : "gallery enable"));
  return impl_->bump();
}

Status GalleryStore::remove(GalleryId id) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "DELETE FROM galleries WHERE id = ?");
  s.bind(1, id);
  VK_RETURN_IF_ERROR(s.run());
  VK_RETURN_IF_ERROR(impl_->changed_one(id, "gallery delete"));
  return impl_->bump();
}

Result<std::vector<std::string>> GalleryStore::add_tokens(GalleryId id, int count, bool single_use) {
  if (count < 1 || count > 100'000)
    return make_error(ErrorCode::invalid_input, "make between 1 and 100000 tokens at once");
  std::lock_guard lock(impl_->mutex);
  sqlite3* db = impl_->db.get();
  sql::Transaction tx(db);
  VK_RETURN_IF_ERROR(tx.begun());
  sql::Statement exists(db, "SELECT 1 FROM galleries WHERE id = ?");
  exists.bind(1, id);
  VK_ASSIGN_OR_RETURN(const bool found, exists.step());
  if (!found) return make_error(ErrorCode::not_found, "no gallery " + std::to_string(id));
  std::vector<std::string> tokens;
  for (int i = 0; i < count; ++i) {
    tokens.push_back(new_token());
    VK_RETURN_IF_ERROR(impl_->insert_token(id, tokens.back(), single_use));
  }
  VK_RETURN_IF_ERROR(impl_->bump());
  VK_RETURN_IF_ERROR(tx.commit());
  return tokens;
}

Status GalleryStore::add_photos(GalleryId id, const std::vector<PhotoId>& photos, const std::string& section) {
  std::lock_guard lock(impl_->mutex);
  sqlite3* db = impl_->db.get();
  sql::Transaction tx(db);
  VK_RETURN_IF_ERROR(tx.begun());
  sql::Statement mark(db, "UPDATE galleries SET all_photos = 0 WHERE id = ?");
  mark.bind(1, id);
  VK_RETURN_IF_ERROR(mark.run());
  VK_RETURN_IF_ERROR(impl_->changed_one(id, "gallery add"));
  for (PhotoId p : photos) {
    sql::Statement s(db, "INSERT OR REPLACE INTO gallery_photos (gallery_id, photo_id, section) VALUES (?,?,?)");
    s.bind(1, id).bind(2, p).bind(3, section);
    VK_RETURN_IF_ERROR(s.run());
  }
  VK_RETURN_IF_ERROR(impl_->bump());
  return tx.commit();
}

Result<std::vector<GalleryToken>> GalleryStore::tokens() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT id, gallery_id, token_hash, single_use, bound_device FROM gallery_tokens");
  return sql::collect_rows(s, [](const sql::Statement& row) {
    return GalleryToken{row.int64(0), row.int64(1), row.text(2), row.integer(3) != 0, row.optional_text(4)};
  });
}

Result<std::vector<GalleryMember>> GalleryStore::members(GalleryId id) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT photo_id, section FROM gallery_photos WHERE gallery_id = ? ORDER BY rowid");
  s.bind(1, id);
  return sql::collect_rows(s, [](const sql::Statement& row) { return GalleryMember{row.int64(0), row.text(1)}; });
}

Result<bool> GalleryStore::check_password(GalleryId id, std::string_view password) {
  std::string stored;
  {
    std::lock_guard lock(impl_->mutex);
    sql::Statement s(impl_->db.get(), "SELECT password_hash FROM galleries WHERE id = ? AND password_hash IS NOT NULL");
    s.bind(1, id);
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) return false;
    stored = s.text(0);
  }
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

Result<bool> GalleryStore::count_open(GalleryId id) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(),
                   "UPDATE galleries SET views_used = views_used + 1 WHERE id = ? AND (view_limit IS NULL OR "
                   "views_used < view_limit)");
  s.bind(1, id);
  VK_RETURN_IF_ERROR(s.run());
  return sqlite3_changes(impl_->db.get()) == 1;
}

Result<bool> GalleryStore::bind_token(TokenId token, std::string_view device) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(
      impl_->db.get(),
      "UPDATE gallery_tokens SET bound_device = ? WHERE id = ? AND (bound_device IS NULL OR bound_device = ?)");
  s.bind(1, device).bind(2, token).bind(3, device);
  VK_RETURN_IF_ERROR(s.run());
  return sqlite3_changes(impl_->db.get()) == 1;
}

Result<std::vector<ServedPhoto>> GalleryStore::served_photos() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(),
                   "SELECT p.id, p.format, p.had_gps, f.role, f.relative_path, f.bytes, f.width, f.height, f.sha256 "
                   "FROM photos p JOIN photo_files f ON f.photo_id = p.id "
                   "WHERE p.hidden = 0 AND p.approved = 1 AND f.role IN ('thumb', 'screen', 'original') "
                   "ORDER BY coalesce(p.captured_at, p.imported_at), p.id");
  std::vector<ServedPhoto> out;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) break;
    const PhotoId id = s.int64(0);
    if (out.empty() || out.back().id != id) out.push_back({id, s.text(1), s.integer(2) != 0, {}, {}, {}});
    ServedFile file{s.text(4), static_cast<std::uint64_t>(s.int64(5)), s.integer(6), s.integer(7), s.text(8)};
    const std::string role = s.text(3);
    if (role == "thumb")
      out.back().thumb = std::move(file);
    else if (role == "screen")
      out.back().screen = std::move(file);
    else
      out.back().original = std::move(file);
  }
  // A photo without a thumbnail or screen copy cannot be shown.
  std::erase_if(out,
                [](const ServedPhoto& p) { return p.thumb.relative_path.empty() || p.screen.relative_path.empty(); });
  return out;
}

Result<std::string> GalleryStore::photos_fingerprint() {
  std::lock_guard lock(impl_->mutex);
  // Kept by triggers (schema step 6): one row, however many photos.
  sql::Statement s(impl_->db.get(), "SELECT n FROM photo_generation");
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  if (!row) return std::string();
  return s.text(0);
}

Status GalleryStore::remember_landed(std::string_view client_hash) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "INSERT OR IGNORE INTO portal_clients (client, landed_at) VALUES (?, ?)");
  s.bind(1, client_hash)
      .bind(2, static_cast<std::int64_t>(
                   std::chrono::duration_cast<std::chrono::seconds>(impl_->clock->now().time_since_epoch()).count()));
  return s.run();
}

Result<std::vector<std::string>> GalleryStore::landed_clients() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT client FROM portal_clients");
  return sql::collect_rows(s, [](const sql::Statement& row) { return row.text(0); });
}

Result<std::string> GalleryStore::secret(std::string_view name) {
  std::lock_guard lock(impl_->mutex);
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  sql::Statement put(impl_->db.get(), "INSERT OR IGNORE INTO web_secrets (name, value) VALUES (?, ?)");
  put.bind(1, name).bind(2, std::string_view(hex.data()));
  VK_RETURN_IF_ERROR(put.run());
  sql::Statement get(impl_->db.get(), "SELECT value FROM web_secrets WHERE name = ?");
  get.bind(1, name);
  VK_ASSIGN_OR_RETURN(const bool row, get.step());
  if (!row) return make_error(ErrorCode::database, "the secret was not stored");
  return get.text(0);
}

Result<std::int64_t> GalleryStore::generation() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT n FROM gallery_generation");
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  return row ? s.int64(0) : 0;
}

}  // namespace vk::catalog
