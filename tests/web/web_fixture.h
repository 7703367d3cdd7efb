// A running web server over a real catalog with real photos (fixture JPEGs with GPS), a
// ManualClock, and the access log; port 0 so tests never collide.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "catalog/access_log.h"
#include "catalog/catalog.h"
#include "catalog/galleries.h"
#include "catalog/ingest.h"
#include "catalog/photo_store.h"
#include "fixtures.h"
#include "http_client.h"
#include "sql_value.h"
#include "temp_dir.h"
#include "web/server.h"

namespace vk::testing {

// 2026-11-30 20:00:00 UTC; tests run with TZ=UTC (see web_main), so local time equals UTC.
inline std::chrono::system_clock::time_point test_start() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1796068800));
}

struct WebFixture {
  // The place name in every fixture photo's maker notes: no byte a guest fetches may hold it.
  static constexpr const char* kPlace = "Tour Eiffel, Champ de Mars";

  TempDir dir;
  catalog::ManualClock clock{test_start()};
  catalog::PhotoStore store{dir / "data", catalog::posix_file_system()};
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<catalog::GalleryStore> galleries;
  std::unique_ptr<catalog::AccessLog> log;
  std::unique_ptr<web::Server> server;
  std::vector<catalog::PhotoId> photos;
  web::ServerOptions options;

  explicit WebFixture(int photo_count = 3, web::ServerOptions o = {}) : options(std::move(o)) {
    REQUIRE(store.open().ok());
    auto c = catalog::Catalog::open(dir / "data" / "catalog.db", clock);
    REQUIRE(c.ok());
    catalog = std::move(c).value();
    catalog::Ingester ingester(*catalog, store, catalog::IngestOptions{});
    for (int i = 0; i < photo_count; ++i) {
      const auto path = dir / ("card/IMG_" + std::to_string(i) + ".JPG");
      // A position in the GPS IFD and a place name in the maker notes, as a Nikon with GPS writes.
      fixtures::write_file(
          path, fixtures::make_jpeg(
                    {.width = 800 + 8 * i, .height = 600, .exif = {.gps = true, .maker_note_place = kPlace}}));
      auto outcome = ingester.ingest({path, {}, "card", path.filename().string(), false, {}});
      REQUIRE(outcome.ok());
      photos.push_back(outcome->photo);
    }
    auto g = catalog::GalleryStore::open(dir / "data" / "catalog.db", clock);
    REQUIRE(g.ok());
    galleries = std::move(g).value();
    auto l = catalog::AccessLog::open(dir / "data" / "catalog.db", {});
    REQUIRE(l.ok());
    log = std::move(l).value();
    if (options.listen == "127.0.0.1:8080") options.listen = "127.0.0.1:0";
    if (options.threads == 0) options.threads = 2;
    options.event_title = options.event_title == "Our event" ? "Anna & Ben" : options.event_title;
    auto s = web::Server::start(options, {catalog.get(), galleries.get(), log.get(), &clock, dir / "data"});
    if (!s) FAIL(s.error().describe());
    server = std::move(s).value();
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(server->port()) + path; }

  // A gallery with a preset; returns its token.
  std::string make_gallery(const std::string& name, catalog::Preset preset = catalog::Preset::none,
                           std::optional<std::string> password = {}) {
    auto created = galleries->create(name, preset, password);
    REQUIRE(created.ok());
    last_gallery = created->gallery.id;
    REQUIRE(server->refresh().ok());
    return created->token;
  }
  // Where the store keeps photo `id`'s original (a test may replace or remove the file).
  std::filesystem::path original_file(catalog::PhotoId id) const {
    const auto path =
        sql_value(dir / "data" / "catalog.db",
                  "SELECT relative_path FROM photo_files WHERE role = 'original' AND photo_id = " + std::to_string(id));
    REQUIRE_FALSE(path.empty());
    return dir / "data" / path;
  }
  void set_rules(const std::function<void(catalog::GalleryRules&)>& change) {
    auto g = galleries->get(last_gallery);
    REQUIRE(g.ok());
    auto rules = (*g)->rules;
    change(rules);
    REQUIRE(galleries->set_rules(last_gallery, rules).ok());
    REQUIRE(server->refresh().ok());
  }
  catalog::GalleryId last_gallery = 0;
};

}  // namespace vk::testing
