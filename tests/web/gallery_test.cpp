// Galleries through the server: access rules and each refusal page (fake clock), view limits
// under concurrent openers, single-use tokens, downloads on/off by every URL shape, GPS gone
// from every byte a guest can fetch, and the access log behind the report.
#include <curl/curl.h>
#include <libexif/exif-data.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

#include "catalog/reports.h"
#include "run_command.h"
#include "sql_value.h"
#include "web_fixture.h"

using namespace vk;
using namespace vk::testing;
using catalog::Preset;

namespace {

const bool utc = (setenv("TZ", "UTC", 1), tzset(), true);

bool has_gps(const std::string& bytes) {
  ExifData* data = exif_data_new_from_data(reinterpret_cast<const unsigned char*>(bytes.data()),
                                           static_cast<unsigned>(bytes.size()));
  if (data == nullptr) return false;
  const bool gps = data->ifd[EXIF_IFD_GPS] != nullptr && data->ifd[EXIF_IFD_GPS]->count > 0;
  exif_data_unref(data);
  return gps;
}

std::string image_url(WebFixture& f, const std::string& token, char size, catalog::PhotoId id) {
  return f.url("/g/" + token + "/" + size + "/" + std::to_string(id) + ".jpg");
}

}  // namespace

TEST_CASE("a gallery page lists thumbnails and serves them with long cache lifetimes", "[web][gallery]") {
  WebFixture f(3);
  const auto token = f.make_gallery("Wedding");
  const auto page = get(f.url("/g/" + token));
  REQUIRE(page.status == 200);
  CHECK(page.body.size() < 30 * 1024);
  CHECK(page.body.find("loading=\"lazy\"") != std::string::npos);
  CHECK(page.body.find("srcset=") != std::string::npos);
  CHECK(page.body.find("<script src=\"/assets/gallery.js\" defer>") != std::string::npos);
  for (auto id : f.photos) {
    const auto thumb = get(image_url(f, token, 't', id));
    CHECK(thumb.status == 200);
    CHECK(thumb.header("content-type") == "image/jpeg");
    CHECK(thumb.header("cache-control").find("immutable") != std::string::npos);
    // A photo is never a document that loads anything: it gets the strictest policy there is.
    CHECK(thumb.header("content-security-policy") == "default-src 'none'; frame-ancestors 'none'; sandbox");
    CHECK(thumb.header("x-content-type-options") == "nosniff");
    CHECK(page.header("content-security-policy").find("script-src 'self'") != std::string::npos);
    const auto etag = thumb.header("etag");
    REQUIRE_FALSE(etag.empty());
    CHECK(get(image_url(f, token, 't', id), "127.0.0.2", {"If-None-Match: " + etag}).status == 304);
    const auto part = get(image_url(f, token, 't', id), "127.0.0.2", {"Range: bytes=0-99"});
    CHECK(part.status == 206);
    CHECK(part.body == thumb.body.substr(0, 100));
  }
  // A client that never opened the gallery gets no images.
  CHECK(get(image_url(f, token, 't', f.photos[0]), "127.0.0.3").status == 403);
}

TEST_CASE("each refusal has its own page and status", "[web][rules]") {
  WebFixture f(1);
  const auto token = f.make_gallery("Rules");
  CHECK(get(f.url("/g/AAAAAAAAAAAAAAAAAAAAAA")).status == 404);

  REQUIRE(f.galleries->set_disabled(f.last_gallery, true).ok());
  REQUIRE(f.server->refresh().ok());
  auto r = get(f.url("/g/" + token));
  CHECK(r.status == 403);
  CHECK(r.body.find("switched off") != std::string::npos);
  REQUIRE(f.galleries->set_disabled(f.last_gallery, false).ok());

  f.set_rules([&](auto& rules) { rules.expires = f.clock.now() + std::chrono::hours(1); });
  CHECK(get(f.url("/g/" + token), "127.0.0.10").status == 200);
  f.clock.advance(std::chrono::hours(2));
  r = get(f.url("/g/" + token), "127.0.0.11");
  CHECK(r.status == 410);
  CHECK(r.body.find("expired") != std::string::npos);

  f.set_rules([&](auto& rules) {
    rules.expires.reset();
    rules.release = f.clock.now() + std::chrono::hours(1);
  });
  r = get(f.url("/g/" + token), "127.0.0.12");
  CHECK(r.status == 403);
  CHECK(r.body.find("Not open yet") != std::string::npos);

  // Clock is 22:00 UTC now; a window 18:00-21:30 is closed, 18:00-23:30 open, 23:00-02:00 closed.
  f.set_rules([&](auto& rules) {
    rules.release.reset();
    rules.window = catalog::TimeWindow{18 * 60, 21 * 60 + 30};
  });
  r = get(f.url("/g/" + token), "127.0.0.13");
  CHECK(r.status == 403);
  CHECK(r.body.find("Closed at this hour") != std::string::npos);
  f.set_rules([&](auto& rules) { rules.window = catalog::TimeWindow{18 * 60, 23 * 60 + 30}; });
  CHECK(get(f.url("/g/" + token), "127.0.0.13").status == 200);
  f.set_rules([&](auto& rules) { rules.window = catalog::TimeWindow{23 * 60, 2 * 60}; });
  CHECK(get(f.url("/g/" + token), "127.0.0.14").status == 403);
  f.clock.advance(std::chrono::hours(3));  // 01:00: inside a window that runs past midnight
  CHECK(get(f.url("/g/" + token), "127.0.0.14").status == 200);
}

TEST_CASE("a password gallery asks once and refuses wrong passwords", "[web][rules]") {
  WebFixture f(1);
  const auto token = f.make_gallery("Staff", Preset::internal, "s3cret");
  auto r = get(f.url("/g/" + token));
  CHECK(r.status == 200);
  CHECK(r.body.find("type=\"password\"") != std::string::npos);
  CHECK(get(image_url(f, token, 't', f.photos[0])).status == 403);
  r = http({f.url("/g/" + token), "127.0.0.2", {}, "POST", "password=wrong"});
  CHECK(r.status == 401);
  CHECK(r.body.find("not right") != std::string::npos);
  r = http({f.url("/g/" + token), "127.0.0.2", {}, "POST", "password=s3cret"});
  CHECK(r.status == 303);
  CHECK(get(f.url("/g/" + token)).body.find("class=\"grid\"") != std::string::npos);
  CHECK(get(image_url(f, token, 't', f.photos[0])).status == 200);
}

TEST_CASE("password guessing is rate limited per client", "[web][rules]") {
  WebFixture f(1);
  const auto token = f.make_gallery("Staff", Preset::internal, "s3cret");
  for (int i = 0; i < 10; ++i)
    http({f.url("/g/" + token), "127.0.0.20", {}, "POST", "password=guess" + std::to_string(i)});
  const auto r = http({f.url("/g/" + token), "127.0.0.20", {}, "POST", "password=s3cret"});
  CHECK(r.status == 429);
  // Another guest is unaffected.
  CHECK(http({f.url("/g/" + token), "127.0.0.21", {}, "POST", "password=s3cret"}).status == 303);
}

TEST_CASE("view limits are exact under 50 concurrent openers and reloads do not count", "[web][rules]") {
  WebFixture f(1);
  const auto token = f.make_gallery("Limited");
  f.set_rules([](auto& rules) { rules.view_limit = 20; });
  // One guest reloading counts once.
  for (int i = 0; i < 5; ++i) CHECK(get(f.url("/g/" + token), "127.0.1.1").status == 200);
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      const auto r = get(f.url("/g/" + token), "127.0.2." + std::to_string(i + 1));
      if (r.status == 200) ++ok;
      if (r.status == 403 && r.body.find("View limit") != std::string::npos) ++refused;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 19);
  CHECK(refused == 31);
  auto g = f.galleries->get(f.last_gallery);
  CHECK((*g)->views_used == 20);
}

TEST_CASE("a phone sending several requests before its first open is answered is counted once", "[web][rules]") {
  WebFixture f(1);
  const auto token = f.make_gallery("Limited");
  f.set_rules([](auto& rules) { rules.view_limit = 20; });
  // A double tap, or a browser racing its own prefetch: ten at once from one address.
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&] {
      if (get(f.url("/g/" + token), "127.0.3.1").status == 200) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 10);
  auto g = f.galleries->get(f.last_gallery);
  CHECK((*g)->views_used == 1);
}

TEST_CASE("single-use tokens belong to the first device", "[web][rules]") {
  WebFixture f(1);
  f.make_gallery("Wristbands");
  auto tokens = f.galleries->add_tokens(f.last_gallery, 3, true);
  REQUIRE(tokens.ok());
  REQUIRE(f.server->refresh().ok());
  const auto url = f.url("/g/" + (*tokens)[0]);
  CHECK(get(url, "127.0.0.30").status == 200);
  CHECK(get(url, "127.0.0.30").status == 200);  // the same phone again
  const auto other = get(url, "127.0.0.31");
  CHECK(other.status == 403);
  CHECK(other.body.find("another device") != std::string::npos);
  CHECK(get(f.url("/g/" + (*tokens)[1]), "127.0.0.31").status == 200);
}

TEST_CASE("with downloads off no original is reachable by any url", "[web][rules]") {
  WebFixture f(2);
  const auto token = f.make_gallery("Attendees", Preset::attendee);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  const auto page = get(f.url("/g/" + token)).body;
  CHECK(page.find("/o/") == std::string::npos);
  CHECK(page.find("all.zip") == std::string::npos);
  CHECK(page.find("data-download=\"0\"") != std::string::npos);
  // No hint sends a guest looking for a download button that is not there.
  const auto android_page =
      get(f.url("/g/" + token), "127.0.0.2", {"User-Agent: Mozilla/5.0 (Linux; Android 14) Mobile"}).body;
  CHECK(android_page.find("download button") == std::string::npos);
  CHECK(android_page.find("turned downloads off") != std::string::npos);
  for (auto id : f.photos) {
    const std::string n = std::to_string(id);
    for (const std::string& path :
         std::vector<std::string>{"/o/" + n + ".jpg", "/O/" + n + ".jpg", "/o/" + n + ".JPG", "/o/" + n + ".jpg?x=1",
                                  "/o/" + n, "/original/" + n + ".jpg", "/o/" + n + ".jpeg", "/all.zip",
                                  "/o/%30" + n.substr(1) + ".jpg", "/o//" + n + ".jpg"}) {
      INFO(path);
      const auto r = get(f.url("/g/" + token + path));
      CHECK(r.status >= 400);
      CHECK(r.header("content-type") != "image/jpeg");
    }
    // What is reachable (thumb and screen) is smaller than the original and carries no GPS.
    const auto screen = get(image_url(f, token, 's', id));
    CHECK(screen.status == 200);
    CHECK_FALSE(has_gps(screen.body));
  }
}

TEST_CASE("an original whose location cannot be stripped is refused with its own page", "[web][gps]") {
  WebFixture f(2);
  const auto token = f.make_gallery("Press", Preset::media);
  // Photo 0's original becomes a Fujifilm RAF, a container we cannot walk to remove GPS.
  // Hidden and shown again, so the server's snapshot takes the changed row in.
  const auto sql = [&](const std::string& statement, std::string* answer = nullptr) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((f.dir / "data" / "catalog.db").c_str(), &db) == SQLITE_OK);
    const auto keep = [](void* out, int, char** values, char**) {
      if (out != nullptr && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
      return 0;
    };
    CHECK(sqlite3_exec(db, statement.c_str(), keep, answer, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    REQUIRE(f.server->refresh().ok());
  };
  const std::string id = std::to_string(f.photos[0]);
  std::string original;
  sql("SELECT relative_path FROM photo_files WHERE role = 'original' AND photo_id = " + id, &original);
  REQUIRE_FALSE(original.empty());
  {
    std::ofstream out(f.dir / "data" / original, std::ios::binary | std::ios::trunc);
    out << "FUJIFILMCCD-RAW 0201FF383501" << std::string(4096, '\0');
  }
  sql("UPDATE photos SET format = 'RAF', had_gps = 1, hidden = 1 WHERE id = " + id);
  sql("UPDATE photos SET hidden = 0 WHERE id = " + id);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  const auto refused = get(image_url(f, token, 'o', f.photos[0]));
  CHECK(refused.status == 403);
  CHECK(refused.header("content-type").rfind("text/html", 0) == 0);
  CHECK(refused.body.find("Original not available") != std::string::npos);
  CHECK(get(image_url(f, token, 's', f.photos[0])).status == 200);  // the GPS-free copy still is
  CHECK(get(image_url(f, token, 'o', f.photos[1])).status == 200);  // and the JPEG's original
  // Left out of "download all", which still holds the other photo.
  const auto zip = get(f.url("/g/" + token + "/all.zip"));
  REQUIRE(zip.status == 200);
  CHECK(zip.body.find("photo-" + id + ".") == std::string::npos);
  CHECK(zip.body.find("photo-" + std::to_string(f.photos[1]) + ".jpg") != std::string::npos);
  CHECK(zip.body.find("FUJIFILM") == std::string::npos);
}

TEST_CASE("downloaded originals have no gps and otherwise are the camera's bytes", "[web][gps]") {
  WebFixture f(2);
  const auto token = f.make_gallery("Press", Preset::media);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  const auto page = get(f.url("/g/" + token)).body;
  CHECK(page.find("all.zip") != std::string::npos);
  for (auto id : f.photos) {
    for (char size : {'t', 's', 'o'}) {
      const auto r = get(image_url(f, token, size, id));
      REQUIRE(r.status == 200);
      CHECK_FALSE(has_gps(r.body));
      CHECK(r.body.find("GPS") == std::string::npos);
      CHECK(r.body.find(WebFixture::kPlace) == std::string::npos);
      CHECK(static_cast<unsigned char>(r.body[0]) == 0xFF);
      CHECK(static_cast<unsigned char>(r.body[r.body.size() - 1]) == 0xD9);  // complete JPEG
      if (size == 'o') {
        CHECK(r.header("content-disposition").find("attachment") != std::string::npos);
        // Range requests over the stripped file line up with the whole.
        const auto tail = get(image_url(f, token, size, id), "127.0.0.2", {"Range: bytes=-50"});
        CHECK(tail.status == 206);
        CHECK(tail.body == r.body.substr(r.body.size() - 50));
        // The cleaned file is its own entity, with its own validator.
        const auto etag = r.header("etag");
        CHECK(etag.ends_with("-ng\""));
        CHECK(get(image_url(f, token, size, id), "127.0.0.2", {"If-None-Match: " + etag}).status == 304);
      }
    }
  }
}

// A store damaged in the box (a file deleted by hand, a bad sector): plain words, not a hang.
TEST_CASE("an original gone from the store is a plain 404", "[web][gps]") {
  WebFixture f(1);
  const auto token = f.make_gallery("Press", Preset::media);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  REQUIRE(std::filesystem::remove(f.original_file(f.photos[0])));
  const auto gone = get(image_url(f, token, 'o', f.photos[0]));
  CHECK(gone.status == 404);
  CHECK(gone.body == "The photo file is missing.\n");
}

namespace {

// A PNG or WebP as an editor or phone writes it: ImageMagick's pixels, then exiftool's
// position in Exif and XMP, and a camera model to show the rest of the metadata survives.
std::filesystem::path tagged_image(WebFixture& f, const std::string& name) {
  const auto png = f.dir / "made" / "source.png";
  if (!std::filesystem::exists(png)) fixtures::write_file(png, fixtures::make_png(320, 240));
  const auto out = f.dir / "made" / name;
  const auto made = run_command("convert " + png.string() + " " + out.string() +
                                " && exiftool -q -overwrite_original -Model=TestCam -GPSLatitude=48.8584"
                                " -GPSLatitudeRef=N -GPSLongitude=2.2945 -GPSLongitudeRef=E"
                                " -XMP-exif:GPSLatitude=48.8584N -XMP-exif:GPSLongitude=2.2945E " +
                                out.string() + " 2>&1");
  INFO(made.out);
  REQUIRE(made.exit_code == 0);
  return out;
}

catalog::PhotoId import_file(WebFixture& f, const std::filesystem::path& path) {
  catalog::Ingester ingester(*f.catalog, f.store, catalog::IngestOptions{});
  auto outcome = ingester.ingest({path, {}, "card", path.filename().string(), false, {}});
  REQUIRE(outcome.ok());
  return outcome->photo;
}

// What exiftool finds about a position in these bytes (empty: nothing).
std::string exiftool_gps(WebFixture& f, const std::string& bytes, const std::string& name) {
  const auto file = f.dir / "fetched" / name;
  std::filesystem::create_directories(file.parent_path());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
  }
  return run_command("exiftool -a -G1 -s " + file.string() + " 2>&1 | grep -i gps").out;
}

// Writes a downloaded ZIP to `dir`/all.zip and unpacks it into `dir`/unzipped with Python's
// zipfile, after testzip() has checked every member's CRC against its bytes. Its output is the
// member names, sorted, one per line.
CommandResult unzip_checked(const std::filesystem::path& dir, const std::string& zip_bytes) {
  const auto file = dir / "all.zip";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << zip_bytes;
  }
  return run_command(
      "python3 -c \"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); "
      "assert z.testzip() is None; z.extractall(sys.argv[2]); print(*sorted(z.namelist()), sep='\\n')\" " +
      file.string() + " " + (dir / "unzipped").string());
}

}  // namespace

// A read error under a mapped original (a bad sector, a file cut short under the server): the
// kernel refuses to bring the pages in. Here the store's file is truncated after the server
// mapped and cached it, so its pages past the new end cannot be read: the guest gets plain
// words, not a hang, an empty 200 or a server killed by SIGBUS, and everyone else goes on.
TEST_CASE("an original that cannot be read is a plain 500 and the server goes on", "[web][gps]") {
  WebFixture f(2);
  const auto token = f.make_gallery("Press", Preset::media);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  const auto whole = get(image_url(f, token, 'o', f.photos[0]));
  REQUIRE(whole.status == 200);
  std::filesystem::resize_file(f.original_file(f.photos[0]), 0);  // every mapped page now past the end

  const auto failed = get(image_url(f, token, 'o', f.photos[0]));
  CHECK(failed.status == 500);
  CHECK(failed.body == "The photo file cannot be read from the disk.\n");
  CHECK(get(image_url(f, token, 's', f.photos[0])).status == 200);
  const auto other = get(image_url(f, token, 'o', f.photos[1]));
  CHECK(other.status == 200);
  CHECK_FALSE(has_gps(other.body));
  // "Download all" leaves the damaged file out and still ends as a whole ZIP.
  const auto zip = get(f.url("/g/" + token + "/all.zip"));
  REQUIRE(zip.status == 200);
  const auto unzip = unzip_checked(f.dir.path(), zip.body);
  INFO(unzip.out);
  REQUIRE(unzip.exit_code == 0);
  CHECK(unzip.out == "photo-" + std::to_string(f.photos[1]) + ".jpg\n");
}

TEST_CASE("PNG and WebP originals with GPS download and zip without it", "[web][gps]") {
  WebFixture f(1);
  struct Made {
    std::string ext, type;
    catalog::PhotoId id;
    std::string original;
  };
  std::vector<Made> made;
  for (const auto& [ext, type] : {std::pair{"png", "image/png"}, std::pair{"webp", "image/webp"}}) {
    const auto path = tagged_image(f, std::string("photo.") + ext);
    std::ifstream in(path, std::ios::binary);
    made.push_back({ext, type, import_file(f, path), std::string(std::istreambuf_iterator<char>(in), {})});
    REQUIRE_FALSE(exiftool_gps(f, made.back().original, "before." + made.back().ext).empty());
    // The catalog knows the position was there (the organizer's report counts it).
    auto row = f.catalog->photo(made.back().id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    CHECK((*row)->had_gps);
  }
  const auto token = f.make_gallery("Press", Preset::media);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  for (const auto& m : made) {
    INFO(m.ext);
    const auto r = get(image_url(f, token, 'o', m.id));
    REQUIRE(r.status == 200);
    CHECK(r.header("content-type") == m.type);
    CHECK(r.header("content-disposition").find("photo-" + std::to_string(m.id) + "." + m.ext) != std::string::npos);
    CHECK(r.body.find("GPS") == std::string::npos);
    CHECK(exiftool_gps(f, r.body, "download." + m.ext).empty());
    CHECK(r.body.find("TestCam") != std::string::npos);
    CHECK(r.body.size() < m.original.size());
    // Ranges line up with the cleaned whole, across the held pieces and the file's runs.
    const auto part = get(image_url(f, token, 'o', m.id), "127.0.0.2", {"Range: bytes=20-4000"});
    CHECK(part.status == 206);
    CHECK(part.body == r.body.substr(20, 3981));
  }

  const auto zip = get(f.url("/g/" + token + "/all.zip"));
  REQUIRE(zip.status == 200);
  const auto out_dir = f.dir / "unzipped";
  const auto unzip = unzip_checked(f.dir.path(), zip.body);
  REQUIRE(unzip.exit_code == 0);
  for (const auto& m : made) {
    const auto name = "photo-" + std::to_string(m.id) + "." + m.ext;
    INFO(unzip.out);
    CHECK(unzip.out.find(name) != std::string::npos);
    std::ifstream in(out_dir / name, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.find("GPS") == std::string::npos);
    CHECK(exiftool_gps(f, bytes, "zipped." + m.ext).empty());
  }
  CHECK(zip.body.find("GPS") == std::string::npos);

  // An internal gallery whose organizer turned stripping off gets the files untouched.
  const auto staff = f.make_gallery("Staff", Preset::internal, "s3cret");
  f.set_rules([](auto& rules) { rules.strip_gps = false; });
  REQUIRE(http({f.url("/g/" + staff), "127.0.0.5", {}, "POST", "password=s3cret"}).status == 303);
  REQUIRE(get(f.url("/g/" + staff), "127.0.0.5").status == 200);
  for (const auto& m : made) CHECK(get(image_url(f, staff, 'o', m.id), "127.0.0.5").body == m.original);
}

TEST_CASE("opens views and downloads reach the report", "[web][tracking]") {
  WebFixture f(2);
  const auto token = f.make_gallery("Press", Preset::media);
  const std::string iphone =
      "User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 "
      "Mobile/15E148 Safari/604.1";
  REQUIRE(get(f.url("/g/" + token), "127.0.0.40", {iphone}).status == 200);
  REQUIRE(get(f.url("/g/" + token), "127.0.0.41").status == 200);
  REQUIRE(get(image_url(f, token, 's', f.photos[1]), "127.0.0.40", {iphone}).status == 200);
  REQUIRE(get(image_url(f, token, 's', f.photos[1]), "127.0.0.41").status == 200);
  REQUIRE(get(image_url(f, token, 'o', f.photos[0]), "127.0.0.41").status == 200);
  // Thumbnails of the grid are counted, not logged as views.
  REQUIRE(get(image_url(f, token, 't', f.photos[0]), "127.0.0.41").status == 200);
  REQUIRE(get(image_url(f, token, 't', f.photos[1]), "127.0.0.41").status == 200);
  REQUIRE(f.server->flush_tracking().ok());
  auto report = catalog::build_report(f.dir / "data" / "catalog.db");
  REQUIRE(report.ok());
  CHECK(report->opens == 2);
  CHECK(report->unique_visitors == 2);
  CHECK(report->views == 2);
  CHECK(report->downloads == 1);
  REQUIRE_FALSE(report->top_photos.empty());
  CHECK(report->top_photos[0].first == f.photos[1]);
  CHECK(report->peak_hour == "2026-11-30T20:00Z");
  const auto api = get(f.url("/api/report"), "127.0.0.1");
  CHECK(api.body.find("\"thumbnails_served_since_start\":2") != std::string::npos);
  bool phone = false;
  for (const auto& [d, n] : report->devices) phone = phone || (d == "phone" && n == 1);
  CHECK(phone);
  // No raw address anywhere in the log.
  const auto db = f.dir / "data" / "catalog.db";
  std::ifstream in(db, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(bytes.find("127.0.0.40") == std::string::npos);
}

TEST_CASE("the api and console need the admin password", "[web][admin]") {
  web::ServerOptions o;
  o.admin_password = "organizer";
  WebFixture f(1, o);
  CHECK(get(f.url("/api/imports")).status == 401);
  CHECK(get(f.url("/admin")).status == 401);
  const std::string auth = "Authorization: Basic YWRtaW46b3JnYW5pemVy";  // admin:organizer
  REQUIRE(f.catalog->begin_import_run("/media/venuekiosk/EOS_R6", "EOS_R6 (1234-ABCD)", 212,
                                      "USB 05e3:0751 Generic Card Reader serial 000000001532"));
  const auto imports = get(f.url("/api/imports"), "127.0.0.2", {auth});
  CHECK(imports.status == 200);
  const auto runs = nlohmann::json::parse(imports.body)["imports"];
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["volume"] == "EOS_R6 (1234-ABCD)");
  CHECK(runs[0]["reader"] == "USB 05e3:0751 Generic Card Reader serial 000000001532");
  CHECK(runs[0]["total"] == 212);
  CHECK(runs[0]["state"] == "running");
  CHECK(get(f.url("/api/galleries"), "127.0.0.2", {auth}).status == 200);
  CHECK(get(f.url("/api/report"), "127.0.0.2", {auth}).body.find("\"opens\"") != std::string::npos);
  CHECK(get(f.url("/admin"), "127.0.0.2", {auth}).body.find("Galleries") != std::string::npos);
}

TEST_CASE("gallery names are escaped in every page", "[web][gallery]") {
  WebFixture f(1);
  const auto token = f.make_gallery("<script>alert(1)</script>");
  const auto page = get(f.url("/g/" + token));
  CHECK(page.body.find("<script>alert") == std::string::npos);
  CHECK(page.body.find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE("download all streams a valid zip of gps-free originals", "[web][zip]") {
  WebFixture f(3);
  const auto token = f.make_gallery("Press", Preset::media);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  const auto zip = get(f.url("/g/" + token + "/all.zip"));
  INFO(zip.error);
  REQUIRE(zip.status == 200);
  std::size_t locals = 0;
  for (std::size_t at = 0; (at = zip.body.find("PK\x03\x04", at)) != std::string::npos; ++at) ++locals;
  INFO("zip bytes " << zip.body.size() << ", local headers " << locals);
  CHECK(zip.header("content-type") == "application/zip");
  const auto out_dir = f.dir / "unzipped";
  const auto unzip = unzip_checked(f.dir.path(), zip.body);
  REQUIRE(unzip.exit_code == 0);
  CHECK(std::count(unzip.out.begin(), unzip.out.end(), '\n') == 3);
  for (const auto& entry : std::filesystem::directory_iterator(out_dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_FALSE(has_gps(bytes));
    CHECK(bytes.find(WebFixture::kPlace) == std::string::npos);
    CHECK(static_cast<unsigned char>(bytes[bytes.size() - 1]) == 0xD9);
  }
  // Downloads off: no zip.
  const auto off = f.make_gallery("Guests", Preset::attendee);
  REQUIRE(get(f.url("/g/" + off), "127.0.0.9").status == 200);
  CHECK(get(f.url("/g/" + off + "/all.zip"), "127.0.0.9").status == 403);
}

namespace {

// Fetches `url` and hangs up once `keep` bytes of the body have arrived, as a guest who walks
// out of the Wi-Fi mid-download; returns how many bytes arrived before the hang-up.
std::size_t get_and_hang_up(const std::string& url, std::size_t keep) {
  struct Cut {
    std::size_t received = 0, keep = 0;
  } cut{0, keep};
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_INTERFACE, "127.0.0.2");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  using Callback = size_t (*)(char*, size_t, size_t, void*);
  const Callback on_body = [](char*, size_t s, size_t n, void* ud) -> size_t {
    auto* self = static_cast<Cut*>(ud);
    self->received += s * n;
    return self->received >= self->keep ? 0 : s * n;  // 0: curl aborts the transfer
  };
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &cut);
  const CURLcode rc = curl_easy_perform(c);
  curl_easy_cleanup(c);
  CHECK(rc == CURLE_WRITE_ERROR);  // we hung up; the server did not end it first
  return cut.received;
}

// Replaces the originals by 2400x1600 noise JPEGs with GPS, a few MB each (noise does not
// compress), so "download all" outgrows the socket buffers: the server is still streaming, and
// reading the next original on a worker, when a test cuts in. Opens a media gallery (downloads
// on) for 127.0.0.2 and returns its token.
std::string open_gallery_of_big_originals(WebFixture& f) {
  for (const auto id : f.photos) {
    fixtures::write_file(f.original_file(id), fixtures::make_jpeg({.width = 2400,
                                                                   .height = 1600,
                                                                   .exif = {.gps = true},
                                                                   .pattern = fixtures::Pattern::noise,
                                                                   .seed = static_cast<uint32_t>(id)}));
  }
  const auto token = f.make_gallery("Press", Preset::media);
  REQUIRE(get(f.url("/g/" + token)).status == 200);
  return token;
}

}  // namespace

TEST_CASE("guests who hang up in the middle of download all leave the server streaming", "[web][zip]") {
  WebFixture f(3);
  const auto token = open_gallery_of_big_originals(f);
  for (std::size_t guest = 1; guest <= 6; ++guest) {
    const std::size_t keep = guest * 1'500'000;  // from inside the first member to the third
    CHECK(get_and_hang_up(f.url("/g/" + token + "/all.zip"), keep) >= keep);
  }
  // The next guest gets all of it, and everyone else was answered meanwhile.
  CHECK(get(image_url(f, token, 't', f.photos[0])).status == 200);
  const auto zip = get(f.url("/g/" + token + "/all.zip"));
  REQUIRE(zip.status == 200);
  CHECK(zip.body.size() > 3 * 3'000'000);
  const auto unzip = unzip_checked(f.dir.path(), zip.body);
  REQUIRE(unzip.exit_code == 0);
  CHECK(std::count(unzip.out.begin(), unzip.out.end(), '\n') == 3);
  for (const auto& entry : std::filesystem::directory_iterator(f.dir / "unzipped")) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_FALSE(has_gps(bytes));
  }
}

TEST_CASE("guests whose work is still queued when the server stops get an answer, not an empty reply", "[web][rules]") {
  WebFixture f(1);
  const auto token = f.make_gallery("Staff", Preset::internal, "s3cret");
  // Twelve guests try a password at once; one worker checks them in turn, ~0.1 s each (slow on
  // purpose), so most are still queued when the box stops after the first answer.
  constexpr int kGuests = 12;
  std::vector<HttpResponse> answers(kGuests);
  std::atomic<int> answered{0};
  // Built before the guests start: f.url() reads the server, which this thread is about to reset.
  const auto url = f.url("/g/" + token);
  std::vector<std::thread> guests;
  for (int i = 0; i < kGuests; ++i) {
    guests.emplace_back([&, i] {
      answers[static_cast<std::size_t>(i)] =
          http({url, "127.0.0." + std::to_string(60 + i), {}, "POST", "password=wrong"});
      ++answered;
    });
  }
  while (answered == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  f.server.reset();
  for (auto& g : guests) g.join();
  int restarting = 0;
  for (const auto& a : answers) {
    INFO(a.error);
    // A guest whose thread only got to connect after the box stopped (a loaded machine) is
    // refused at the door, which is no answer lost; a connection once accepted must be answered.
    if (a.error == "Couldn't connect to server") continue;
    CHECK(a.error.empty());  // a whole answer, never a connection closed with nothing said
    CHECK((a.status == 401 || a.status == 503));
    if (a.status == 503) {
      ++restarting;
      CHECK(a.body == "The photo box is restarting. Try again in a minute.\n");
    }
  }
  CHECK(restarting > 0);  // the queue was dropped with guests in it
}

TEST_CASE("a guest in the middle of download all is cut off cleanly when the server stops", "[web][zip]") {
  WebFixture f(3);
  const auto token = open_gallery_of_big_originals(f);
  // A phone on weak Wi-Fi: it takes 64 KB every 20 ms, so the stream (and the worker reading the
  // next original) is still going when the organizer restarts the box.
  struct Slow {
    std::atomic<std::size_t> received{0};
  } slow;
  std::thread guest([&] {
    CURL* c = curl_easy_init();
    const auto url = f.url("/g/" + token + "/all.zip");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_INTERFACE, "127.0.0.2");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 64L * 1024);
    // A small receive buffer, so the kernel cannot hold the rest of the ZIP for it by the time
    // the server stops (loopback buffers grow to megabytes).
    using SocketCallback = int (*)(void*, curl_socket_t, curlsocktype);
    const SocketCallback small_buffer = [](void*, curl_socket_t fd, curlsocktype) -> int {
      const int bytes = 64 * 1024;
      return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) == 0 ? CURL_SOCKOPT_OK : CURL_SOCKOPT_ERROR;
    };
    curl_easy_setopt(c, CURLOPT_SOCKOPTFUNCTION, small_buffer);
    using Callback = size_t (*)(char*, size_t, size_t, void*);
    const Callback on_body = [](char*, size_t s, size_t n, void* ud) -> size_t {
      static_cast<Slow*>(ud)->received += s * n;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return s * n;
    };
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &slow);
    curl_easy_perform(c);  // ends when the server goes away
    curl_easy_cleanup(c);
  });
  while (slow.received < 1'000'000) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  f.server.reset();  // Server::stop: workers, then loops, which close the connection
  guest.join();
  // Cut off, not served to the end first (the whole ZIP would have taken this phone ~3 s).
  INFO("received " << slow.received << " bytes");
  CHECK(slow.received < 3 * 3'000'000);
}
