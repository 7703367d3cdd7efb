#include "catalog/photo_feed.h"

#include <algorithm>
#include <cctype>

#include "sqlite.h"

namespace vk::catalog {

struct PhotoFeed::Impl {
  sql::DbPtr db;
  // The screen never migrates (it only reads): a catalog still at schema 1 has no moderation
  // flag and no live import progress, and is shown as if everything were approved. Before
  // schema 7 there is no photographer (the caption is the camera alone).
  bool schema_1 = false;
  bool has_photographer = false;
};

namespace {

// The screen copy is joined in: a photo without one (still being derived elsewhere, or a
// damaged row) is simply not on the screen.
constexpr const char* kFeedSelect =
    "SELECT p.id, f.relative_path, f.width, f.height, p.featured, p.camera_make, p.camera_model, p.photographer "
    "FROM photos p JOIN photo_files f ON f.photo_id = p.id AND f.role = 'screen' "
    "WHERE p.hidden = 0 AND (?1 = 0 OR p.approved = 1) ";
constexpr const char* kFeedSelectSchema6 =
    "SELECT p.id, f.relative_path, f.width, f.height, p.featured, p.camera_make, p.camera_model, NULL "
    "FROM photos p JOIN photo_files f ON f.photo_id = p.id AND f.role = 'screen' "
    "WHERE p.hidden = 0 AND (?1 = 0 OR p.approved = 1) ";
constexpr const char* kFeedSelectSchema1 =
    "SELECT p.id, f.relative_path, f.width, f.height, p.featured, p.camera_make, p.camera_model, NULL "
    "FROM photos p JOIN photo_files f ON f.photo_id = p.id AND f.role = 'screen' "
    "WHERE p.hidden = 0 AND ?1 = ?1 ";

Result<std::vector<FeedPhoto>> read_feed(sql::Statement& s) {
  std::vector<FeedPhoto> out;
  while (true) {
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (!row) break;
    FeedPhoto photo{s.int64(0), s.text(1), s.integer(2), s.integer(3), s.integer(4) != 0, {}, {}};
    photo.photographer = s.optional_text(7).value_or("");
    photo.caption = caption_for(photo.photographer, s.optional_text(5).value_or(""), s.optional_text(6).value_or(""));
    out.push_back(std::move(photo));
  }
  return out;
}

Result<std::int64_t> single_count(sqlite3* db, const char* sql, int moderation) {
  sql::Statement s(db, sql);
  s.bind(1, moderation);
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  return row ? s.int64(0) : 0;
}

}  // namespace

const char* PhotoFeed::select() const {
  if (impl_->schema_1) return kFeedSelectSchema1;
  return impl_->has_photographer ? kFeedSelect : kFeedSelectSchema6;
}

std::string caption_for(const std::string& photographer, const std::string& make, const std::string& model) {
  // Canon and Nikon repeat the make's first word in the model ("Canon" + "Canon EOS R6",
  // "NIKON CORPORATION" + "NIKON Z 6_2"): the model alone then; else "FUJIFILM X-T5".
  const std::string brand = make.substr(0, make.find(' '));
  const bool model_names_brand =
      !brand.empty() && model.size() >= brand.size() &&
      std::equal(brand.begin(), brand.end(), model.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      });
  std::string camera = model;
  if (camera.empty()) {
    camera = make;
  } else if (!make.empty() && !model_names_brand) {
    camera = make + " " + camera;
  }
  if (photographer.empty()) return camera;
  if (camera.empty()) return photographer;
  return photographer + " \xC2\xB7 " + camera;  // U+00B7 middle dot
}

PhotoFeed::PhotoFeed(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PhotoFeed::~PhotoFeed() = default;

Result<std::unique_ptr<PhotoFeed>> PhotoFeed::open(const std::filesystem::path& database) {
  std::error_code ec;
  if (!std::filesystem::exists(database, ec)) {
    return make_error(ErrorCode::not_found, "there is no catalog yet", database.string());
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  sql::DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return make_error(ErrorCode::database, std::string("cannot open the catalog: ") + sqlite3_errstr(rc),
                      database.string());
  }
  // Short: the screen's loader must come back quickly and try again later rather than stall
  // behind an import's write transaction (WAL readers rarely wait at all).
  sqlite3_busy_timeout(db.get(), 200);
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  sql::Statement version(impl->db.get(), "PRAGMA user_version");
  VK_ASSIGN_OR_RETURN(const bool row, version.step());
  impl->schema_1 = row && version.integer(0) < 2;
  impl->has_photographer = row && version.integer(0) >= 7;
  return std::unique_ptr<PhotoFeed>(new PhotoFeed(std::move(impl)));
}

Result<std::vector<FeedPhoto>> PhotoFeed::visible(bool moderation, int limit) {
  sql::Statement s(impl_->db.get(), std::string(select()) + "ORDER BY p.id DESC LIMIT ?2");
  s.bind(1, moderation ? 1 : 0).bind(2, static_cast<std::int64_t>(limit));
  return read_feed(s);
}

Result<std::vector<FeedPhoto>> PhotoFeed::visible_since(PhotoId after, bool moderation) {
  sql::Statement s(impl_->db.get(), std::string(select()) + "AND p.id > ?2 ORDER BY p.id ASC");
  s.bind(1, moderation ? 1 : 0).bind(2, after);
  return read_feed(s);
}

Result<FeedStatus> PhotoFeed::status(bool moderation) {
  sqlite3* db = impl_->db.get();
  FeedStatus out;
  VK_ASSIGN_OR_RETURN(out.visible,
                      single_count(db,
                                   impl_->schema_1 ? "SELECT count(*) FROM photos p WHERE p.hidden = 0 AND ?1 = ?1"
                                                   : "SELECT count(*) FROM photos p WHERE p.hidden = 0 AND "
                                                     "(?1 = 0 OR p.approved = 1)",
                                   moderation ? 1 : 0));
  // Photos, not files: a RAW+JPEG pair is one photo with two upload jobs, and the screen says
  // "24 photos · ↑ 24 to upload", not 25 (an organizer counts pictures).
  VK_ASSIGN_OR_RETURN(out.uploads_pending,
                      single_count(db,
                                   "SELECT count(DISTINCT photo_id) FROM upload_jobs WHERE ?1 = ?1 AND state IN "
                                   "('pending','uploading')",
                                   0));
  VK_ASSIGN_OR_RETURN(out.uploads_failed,
                      single_count(db,
                                   "SELECT count(DISTINCT photo_id) FROM upload_jobs WHERE ?1 = ?1 AND "
                                   "state = 'failed'",
                                   0));
  if (impl_->schema_1) return out;
  sql::Statement s(db,
                   "SELECT done, total, current_file FROM import_runs WHERE state IN ('running','disk_full') "
                   "ORDER BY id DESC LIMIT 1");
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  if (row) out.import = FeedImport{s.integer(0), s.integer(1), s.text(2)};
  return out;
}

}  // namespace vk::catalog
