#include "catalog/reports.h"

#include <ctime>

#include "rows.h"
#include "sqlite.h"

namespace vk::catalog {
namespace {

Result<std::int64_t> scalar(sqlite3* db, const char* query) {
  sql::Statement s(db, query);
  VK_ASSIGN_OR_RETURN(const bool row, s.step());
  return row ? s.int64(0) : 0;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> counts(sqlite3* db, const char* query) {
  sql::Statement s(db, query);
  return sql::collect_rows(s, [](const sql::Statement& row) { return std::pair(row.text(0), row.int64(1)); });
}

}  // namespace

Result<Report> build_report(const std::filesystem::path& database, int top) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  sql::DbPtr holder(raw);
  if (rc != SQLITE_OK) {
    return make_error(ErrorCode::database, std::string("cannot open the catalog: ") + sqlite3_errstr(rc),
                      database.string());
  }
  sqlite3* db = holder.get();
  sqlite3_busy_timeout(db, 10'000);
  Report r;
  VK_ASSIGN_OR_RETURN(r.opens, scalar(db, "SELECT count(*) FROM access_events WHERE kind = 'open'"));
  VK_ASSIGN_OR_RETURN(r.unique_visitors,
                      scalar(db, "SELECT count(DISTINCT client) FROM access_events WHERE kind = 'open'"));
  VK_ASSIGN_OR_RETURN(r.views, scalar(db, "SELECT count(*) FROM access_events WHERE kind = 'view'"));
  VK_ASSIGN_OR_RETURN(r.downloads, scalar(db, "SELECT count(*) FROM access_events WHERE kind = 'download'"));
  VK_ASSIGN_OR_RETURN(r.refused, scalar(db, "SELECT count(*) FROM access_events WHERE kind = 'refused'"));
  {
    sql::Statement s(db,
                     "SELECT at / 3600, count(*) AS n FROM access_events WHERE kind = 'open' GROUP BY at / 3600 "
                     "ORDER BY n DESC, 1 LIMIT 1");
    VK_ASSIGN_OR_RETURN(const bool row, s.step());
    if (row) {
      const std::time_t hour = static_cast<std::time_t>(s.int64(0) * 3600);
      std::tm tm{};
      gmtime_r(&hour, &tm);
      char text[32];
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:00Z", &tm);
      r.peak_hour = text;
      r.peak_hour_opens = s.int64(1);
    }
  }
  {
    sql::Statement s(db,
                     "SELECT photo_id, count(*) AS n FROM access_events WHERE kind = 'view' AND photo_id IS NOT NULL "
                     "GROUP BY photo_id ORDER BY n DESC, photo_id LIMIT ?");
    s.bind(1, top);
    VK_ASSIGN_OR_RETURN(r.top_photos, sql::collect_rows(s, [](const sql::Statement& row) {
                          return std::pair(row.int64(0), row.int64(1));
                        }));
  }
  // Device mix by visitor, not by request: one phone that viewed 300 photos counts once.
  VK_ASSIGN_OR_RETURN(r.devices, counts(db,
                                        "SELECT device, count(DISTINCT client) AS n FROM access_events "
                                        "WHERE kind = 'open' GROUP BY device ORDER BY n DESC, device"));
  VK_ASSIGN_OR_RETURN(r.browsers, counts(db,
                                         "SELECT browser, count(DISTINCT client) AS n FROM access_events "
                                         "WHERE kind = 'open' GROUP BY browser ORDER BY n DESC, browser"));
  {
    sql::Statement s(
        db,
        "SELECT g.id, g.name, "
        "(SELECT count(*) FROM access_events e WHERE e.gallery_id = g.id AND e.kind = 'open'), "
        "(SELECT count(DISTINCT client) FROM access_events e WHERE e.gallery_id = g.id AND e.kind = 'open'), "
        "(SELECT count(*) FROM access_events e WHERE e.gallery_id = g.id AND e.kind = 'view'), "
        "(SELECT count(*) FROM access_events e WHERE e.gallery_id = g.id AND e.kind = 'download'), "
        "(SELECT count(*) FROM access_events e WHERE e.gallery_id = g.id AND e.kind = 'refused') "
        "FROM galleries g ORDER BY g.id");
    VK_ASSIGN_OR_RETURN(r.galleries, sql::collect_rows(s, [](const sql::Statement& row) {
                          return GalleryReport{row.int64(0), row.text(1),  row.int64(2), row.int64(3),
                                               row.int64(4), row.int64(5), row.int64(6)};
                        }));
  }
  return r;
}

}  // namespace vk::catalog
