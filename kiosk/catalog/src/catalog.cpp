#include "catalog/catalog.h"

#include <mutex>

#include "schema.h"
#include "sqlite.h"

namespace vk::catalog {

struct Catalog::Impl {
  sql::DbPtr db;
  const Clock* clock = nullptr;
  std::mutex mutex;  // one connection, serialised; SQLite's WAL handles other processes
};

namespace {

constexpr const char* kPhotoColumns =
    "id, sha256, format, width, height, captured_at, imported_at, camera_make, camera_model, rating, protected, "
    "had_gps, source_volume, source_path, import_run_id, hidden, featured, approved, photographer";

PhotoRecord read_photo(const sql::Statement& s) {
  PhotoRecord p;
  p.id = s.int64(0);
  p.sha256 = s.text(1);
  p.format = s.text(2);
  p.width = s.integer(3);
  p.height = s.integer(4);
  p.captured_at = s.optional_text(5);
  p.imported_at = s.text(6);
  p.camera_make = s.optional_text(7);
  p.camera_model = s.optional_text(8);
  p.rating = s.optional_int(9);
  p.protected_on_card = s.integer(10) != 0;
  p.had_gps = s.integer(11) != 0;
  p.source_volume = s.text(12);
  p.source_path = s.text(13);
  if (auto run = s.optional_int(14)) p.import_run = *run;
  p.hidden = s.integer(15) != 0;
  p.featured = s.integer(16) != 0;
  p.approved = s.integer(17) != 0;
  p.photographer = s.optional_text(18);
  return p;
}

FileRole role_from_name(const std::string& name) {
  for (FileRole r : {FileRole::original, FileRole::raw, FileRole::screen, FileRole::thumb}) {
    if (role_name(r) == name) return r;
  }
  return FileRole::original;
}

Status insert_file(sqlite3* db, PhotoId photo, const StoredFileRecord& f) {
  sql::Statement s(db,
                   "INSERT INTO photo_files (photo_id, role, relative_path, bytes, width, height, sha256) "
                   "VALUES (?,?,?,?,?,?,?)");
  s.bind(1, photo).bind(2, role_name(f.role)).bind(3, f.relative_path).bind(4, static_cast<std::int64_t>(f.bytes));
  s.bind(5, f.width).bind(6, f.height).bind(7, f.sha256);
  VK_RETURN_IF_ERROR(s.run());
  if (f.role == FileRole::original || f.role == FileRole::raw) {
    sql::Statement job(db, "INSERT OR IGNORE INTO upload_jobs (photo_id, role) VALUES (?, ?)");
    job.bind(1, photo).bind(2, role_name(f.role));
    VK_RETURN_IF_ERROR(job.run());
  }
  return {};
}

Result<std::vector<StoredFileRecord>> files_of(sqlite3* db, PhotoId photo) {
  sql::Statement s(db,
                   "SELECT role, relative_path, bytes, width, height, sha256 FROM photo_files WHERE photo_id = ? "
                   "ORDER BY role");
  s.bind(1, photo);
  std::vector<StoredFileRecord> files;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) break;
    files.push_back({role_from_name(s.text(0)), s.text(1), static_cast<std::uint64_t>(s.int64(2)), s.integer(3),
                     s.integer(4), s.text(5)});
  }
  return files;
}

}  // namespace

Catalog::Catalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Catalog::~Catalog() = default;

int Catalog::schema_version() {
  return schema::latest_version();
}

Result<std::unique_ptr<Catalog>> Catalog::open(const std::filesystem::path& database, const Clock& clock) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(database.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  sql::DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return make_error(ErrorCode::database, std::string("cannot open the catalog: ") + sqlite3_errstr(rc),
                      database.string());
  }
  sqlite3_busy_timeout(db.get(), 10'000);
  // WAL lets the screen read while an import writes. synchronous=FULL: a commit the importer
  // reported is on disk, so "imported" never turns out to be untrue after a power cut.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    if (auto st = sql::exec(db.get(), pragma); !st) {
      return make_error(ErrorCode::database,
                        "this file is not a venuekiosk catalog, or it is damaged (" + st.error().message + ")",
                        database.string());
    }
  }
  VK_RETURN_IF_ERROR(schema::migrate(db.get()));
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  impl->clock = &clock;
  return std::unique_ptr<Catalog>(new Catalog(std::move(impl)));
}

Result<std::optional<PhotoId>> Catalog::find_photo(const std::string& sha256) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT id FROM photos WHERE sha256 = ?");
  s.bind(1, sha256);
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  if (!row) return std::optional<PhotoId>{};
  return std::optional<PhotoId>{s.int64(0)};
}

Result<bool> Catalog::has_file(const std::string& sha256) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(),
                   "SELECT 1 FROM photo_files WHERE sha256 = ? AND role IN ('original','raw') LIMIT 1");
  s.bind(1, sha256);
  return s.step();
}

Result<AddResult> Catalog::add_photo(const PhotoRecord& p) {
  std::lock_guard lock(impl_->mutex);
  sqlite3* db = impl_->db.get();
  sql::Transaction tx(db);
  VK_RETURN_IF_ERROR(tx.begun());
  sql::Statement exists(db, "SELECT 1 FROM photos WHERE sha256 = ?");
  exists.bind(1, p.sha256);
  VK_ASSIGN_OR_RETURN(const bool present, exists.step());
  if (present) return AddResult::already_present;

  sql::Statement s(db,
                   "INSERT INTO photos (sha256, format, width, height, captured_at, imported_at, camera_make, "
                   "camera_model, rating, protected, had_gps, source_volume, source_path, import_run_id, hidden, "
                   "featured, approved, photographer) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s.bind(1, p.sha256).bind(2, p.format).bind(3, p.width).bind(4, p.height).bind(5, p.captured_at);
  s.bind(6, p.imported_at.empty() ? to_iso_utc(impl_->clock->now()) : p.imported_at);
  s.bind(7, p.camera_make).bind(8, p.camera_model).bind(9, p.rating);
  s.bind(10, p.protected_on_card ? 1 : 0).bind(11, p.had_gps ? 1 : 0).bind(12, p.source_volume).bind(13, p.source_path);
  if (p.import_run) {
    s.bind(14, *p.import_run);
  } else {
    s.bind_null(14);
  }
  s.bind(15, p.hidden ? 1 : 0).bind(16, p.featured ? 1 : 0).bind(17, p.approved ? 1 : 0);
  s.bind(18, p.photographer);
  VK_RETURN_IF_ERROR(s.run());
  const PhotoId id = sqlite3_last_insert_rowid(db);
  for (const auto& f : p.files) VK_RETURN_IF_ERROR(insert_file(db, id, f));
  VK_RETURN_IF_ERROR(tx.commit());
  return AddResult::added;
}

Status Catalog::attach_file(PhotoId photo, const StoredFileRecord& file) {
  std::lock_guard lock(impl_->mutex);
  sql::Transaction tx(impl_->db.get());
  VK_RETURN_IF_ERROR(tx.begun());
  sql::Statement exists(impl_->db.get(), "SELECT 1 FROM photo_files WHERE photo_id = ? AND role = ?");
  exists.bind(1, photo).bind(2, role_name(file.role));
  VK_ASSIGN_OR_RETURN(const bool present, exists.step());
  if (present) return {};
  VK_RETURN_IF_ERROR(insert_file(impl_->db.get(), photo, file));
  return tx.commit();
}

Result<std::optional<PhotoRecord>> Catalog::photo(PhotoId id) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), std::string("SELECT ") + kPhotoColumns + " FROM photos WHERE id = ?");
  s.bind(1, id);
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  if (!row) return std::optional<PhotoRecord>{};
  PhotoRecord p = read_photo(s);
  VK_ASSIGN_OR_RETURN(p.files, files_of(impl_->db.get(), id));
  return std::optional<PhotoRecord>{std::move(p)};
}

Result<std::vector<PhotoRecord>> Catalog::photos(int limit) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), std::string("SELECT ") + kPhotoColumns + " FROM photos ORDER BY id LIMIT ?");
  s.bind(1, limit);
  std::vector<PhotoRecord> out;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) break;
    out.push_back(read_photo(s));
  }
  for (auto& p : out) {
    VK_ASSIGN_OR_RETURN(p.files, files_of(impl_->db.get(), p.id));
  }
  return out;
}

Result<std::int64_t> Catalog::photo_count() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT COUNT(*) FROM photos");
  VK_RETURN_IF_ERROR(s.step());
  return s.int64(0);
}

Result<ImportRunId> Catalog::begin_import_run(const std::string& source, const std::string& volume, int total,
                                              const std::string& reader) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(),
                   "INSERT INTO import_runs (source, volume, started_at, total, reader) VALUES (?,?,?,?,?)");
  s.bind(1, source).bind(2, volume).bind(3, to_iso_utc(impl_->clock->now())).bind(4, total).bind(5, reader);
  VK_RETURN_IF_ERROR(s.run());
  return sqlite3_last_insert_rowid(impl_->db.get());
}

Status Catalog::record_rejection(ImportRunId run, const Rejection& rejection) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "INSERT INTO import_rejections (run_id, file, reason) VALUES (?,?,?)");
  s.bind(1, run).bind(2, rejection.file).bind(3, rejection.reason);
  return s.run();
}

namespace {

constexpr const char* kRunColumns =
    "id, source, volume, started_at, COALESCE(finished_at, ''), state, total, imported, duplicates, rejected, "
    "skipped, done, bytes_done, bytes_total, current_file, message, COALESCE(updated_at, ''), reader";

ImportRunRecord read_run(const sql::Statement& s) {
  ImportRunRecord r;
  r.id = s.int64(0);
  r.source = s.text(1);
  r.volume = s.text(2);
  r.started_at = s.text(3);
  r.finished_at = s.text(4);
  r.state = s.text(5);
  r.total = s.integer(6);
  r.imported = s.integer(7);
  r.duplicates = s.integer(8);
  r.rejected = s.integer(9);
  r.skipped = s.integer(10);
  r.done = s.integer(11);
  r.bytes_done = s.int64(12);
  r.bytes_total = s.int64(13);
  r.current_file = s.text(14);
  r.message = s.text(15);
  r.updated_at = s.text(16);
  r.reader = s.text(17);
  return r;
}

Status write_run(sqlite3* db, const ImportRunRecord& r, const std::string& now, bool finished) {
  sql::Statement s(db, finished
                           ? "UPDATE import_runs SET state = ?, total = ?, imported = ?, duplicates = ?, rejected = ?, "
                             "skipped = ?, done = ?, bytes_done = ?, bytes_total = ?, current_file = ?, message = ?, "
                             "updated_at = ?, finished_at = ?12 WHERE id = ?13"
                           : "UPDATE import_runs SET state = ?, total = ?, imported = ?, duplicates = ?, rejected = ?, "
                             "skipped = ?, done = ?, bytes_done = ?, bytes_total = ?, current_file = ?, message = ?, "
                             "updated_at = ? WHERE id = ?13");
  s.bind(1, r.state.empty() ? std::string("running") : r.state).bind(2, r.total).bind(3, r.imported);
  s.bind(4, r.duplicates).bind(5, r.rejected).bind(6, r.skipped).bind(7, r.done).bind(8, r.bytes_done);
  s.bind(9, r.bytes_total).bind(10, r.current_file).bind(11, r.message).bind(12, now).bind(13, r.id);
  return s.run();
}

}  // namespace

Status Catalog::update_import_progress(const ImportRunRecord& r) {
  std::lock_guard lock(impl_->mutex);
  return write_run(impl_->db.get(), r, to_iso_utc(impl_->clock->now()), false);
}

Status Catalog::finish_import_run(const ImportRunRecord& r) {
  std::lock_guard lock(impl_->mutex);
  return write_run(impl_->db.get(), r, to_iso_utc(impl_->clock->now()), true);
}

Result<std::optional<ImportRunRecord>> Catalog::import_run(ImportRunId id) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), std::string("SELECT ") + kRunColumns + " FROM import_runs WHERE id = ?");
  s.bind(1, id);
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  if (!row) return std::optional<ImportRunRecord>{};
  return std::optional<ImportRunRecord>{read_run(s)};
}

Result<std::vector<ImportRunRecord>> Catalog::recent_import_runs(int limit) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(),
                   std::string("SELECT ") + kRunColumns +
                       " FROM import_runs ORDER BY (state IN ('running','disk_full')) DESC, id DESC LIMIT ?");
  s.bind(1, limit);
  std::vector<ImportRunRecord> runs;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) break;
    runs.push_back(read_run(s));
  }
  return runs;
}

Result<int> Catalog::close_interrupted_runs(const std::string& message) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(
      impl_->db.get(),
      "UPDATE import_runs SET state = 'cancelled', message = ?1 || ' after ' || done || ' of ' || total || "
      "'; the rest is imported when the card is read again', finished_at = ?2, updated_at = ?2 "
      "WHERE state IN ('running','disk_full')");
  s.bind(1, message).bind(2, to_iso_utc(impl_->clock->now()));
  VK_RETURN_IF_ERROR(s.run());
  return sqlite3_changes(impl_->db.get());
}

Status Catalog::mark_card_file(const std::string& volume, const std::string& source_path, std::uint64_t bytes,
                               ImportRunId run) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(),
                   "INSERT OR IGNORE INTO card_files (volume, source_path, bytes, run_id) VALUES (?,?,?,?)");
  s.bind(1, volume).bind(2, source_path).bind(3, static_cast<std::int64_t>(bytes)).bind(4, run);
  return s.run();
}

Result<std::vector<std::pair<std::string, std::uint64_t>>> Catalog::card_files(const std::string& volume) {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT source_path, bytes FROM card_files WHERE volume = ?");
  s.bind(1, volume);
  std::vector<std::pair<std::string, std::uint64_t>> out;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) break;
    out.emplace_back(s.text(0), static_cast<std::uint64_t>(s.int64(1)));
  }
  return out;
}

Result<std::vector<std::string>> Catalog::stored_file_paths() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "SELECT relative_path FROM photo_files");
  std::vector<std::string> out;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) break;
    out.push_back(s.text(0));
  }
  return out;
}

Result<std::string> Catalog::integrity_check() {
  std::lock_guard lock(impl_->mutex);
  sql::Statement s(impl_->db.get(), "PRAGMA integrity_check");
  VK_RETURN_IF_ERROR(s.step());
  return s.text(0);
}

}  // namespace vk::catalog
