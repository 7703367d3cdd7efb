// Every route: probes, landing, galleries and their images, assets, the organizer's API and
// console. Runs on the loop threads; never waits on the disk for tracking (AccessLog queues).
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <string>

#include "access_hook.h"
#include "assets.h"
#include "catalog/reports.h"
#include "guest_copy.h"
#include "http.h"
#include "pages.h"
#include "request.h"
#include "server_impl.h"
#include "zip_stream.h"

namespace vk::web {
namespace {

using catalog::Availability;

struct Request {
  Server::Impl& server;
  h2o_req_t* req;
  std::string_view method, path, query;
  std::string client;  // address
  std::chrono::system_clock::time_point now;
  PageContext page;
};

std::string landing_url(Request& r) {
  const auto& host = r.server.options.portal_host;
  return "http://" + (host.empty() ? local_address(r.req) : host) + "/";
}

bool host_is_ours(Request& r) {
  const std::string host = host_name({r.req->authority.base, r.req->authority.len});
  if (host.empty()) return true;  // HTTP/1.0 without Host: nothing to redirect by
  if (host == "localhost" || is_ip_literal(host)) return true;
  return !r.server.options.portal_host.empty() && host == host_name(r.server.options.portal_host);
}

// Recorded by the logger hook once the answer is out (access_hook.h).
void log_event(Request& r, catalog::AccessKind kind, catalog::GalleryId gallery, catalog::TokenId token,
               std::optional<catalog::PhotoId> photo, std::string detail = {}) {
  attach_event(r.req, r.server.tracking_in_flight, {r.now, gallery, token, photo, kind, std::move(detail)});
}

// Captive-portal state per client: in memory, and in the catalog (by salted hash) so that a
// restarted server does not send every landed phone back to the sign-in sheet.
bool has_landed(Request& r) {
  if (r.server.clients.has_landed(r.client)) return true;
  if (r.server.landed_before_start.empty() || !r.server.landed_before_start.contains(r.server.client_hash(r.client))) {
    return false;
  }
  r.server.clients.mark_landed(r.client);
  return true;
}

void mark_landed(Request& r) {
  if (r.server.clients.has_landed(r.client)) return;
  r.server.clients.mark_landed(r.client);
  // Once per client, for a restart's sake: a one-row insert on the catalog writer (it may wait
  // behind an import's commit, so never on a loop thread). Nobody waits for it; if its queue is
  // full, this phone is still answered "online" until the server restarts.
  (void)r.server.catalog_writes.post([store = r.server.deps.galleries, device = r.server.client_hash(r.client)] {
    (void)store->remember_landed(device);
  });
}

void refuse(Request& r, Refusal refusal, catalog::GalleryId gallery = 0, catalog::TokenId token = 0) {
  if (gallery != 0)
    log_event(r, catalog::AccessKind::refused, gallery, token, std::nullopt, std::string(refusal_slug(refusal)));
  send_html(r.req, refusal_status(refusal), refusal_page(r.page, refusal));
}

std::optional<Refusal> refusal_for(Availability a) {
  switch (a) {
    case Availability::open: return std::nullopt;
    case Availability::disabled: return Refusal::disabled;
    case Availability::expired: return Refusal::expired;
    case Availability::not_yet_released: return Refusal::not_yet_open;
    case Availability::outside_window: return Refusal::closed_now;
  }
  return Refusal::disabled;
}

// ---- captive portal ----

void handle_probe(Request& r, Probe probe) {
  if (!has_landed(r)) {
    // Captive: a redirect with a real body (Android takes an empty 200 for failure).
    const std::string url = landing_url(r);
    send_redirect(r.req, 302, url, captive_page(url));
    return;
  }
  switch (probe) {
    case Probe::apple:
      send_html(r.req, 200, "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>");
      return;
    case Probe::android_204: send_empty(r.req, 204); return;
    case Probe::windows_connect: send_text(r.req, 200, "text/plain", "Microsoft Connect Test"); return;
    case Probe::windows_ncsi: send_text(r.req, 200, "text/plain", "Microsoft NCSI"); return;
    case Probe::windows_redirect: send_redirect(r.req, 302, landing_url(r), captive_page(landing_url(r))); return;
    case Probe::firefox_canonical:
      send_html(r.req, 200,
                "<meta http-equiv=\"refresh\" content=\"0;url=https://support.mozilla.org/kb/captive-portal\"/>");
      return;
    case Probe::firefox_success: send_text(r.req, 200, "text/plain", "success\n"); return;
  }
}

void handle_landing(Request& r) {
  mark_landed(r);
  const auto& token = r.server.options.landing_token;
  send_html(r.req, 200, landing_page(r.page, token.empty() ? std::string() : "/g/" + token));
}

// ---- galleries ----

struct Opened {
  const Snapshot* snapshot = nullptr;  // the loop's own reference keeps it alive (current_snapshot)
  const catalog::GalleryToken* token = nullptr;
  const GalleryView* view = nullptr;
};

// Token and rules, for pages and images alike. Answers the refusal itself and returns nullopt.
std::optional<Opened> resolve(Request& r, std::string_view token_text) {
  Opened o;
  o.snapshot = &current_snapshot(r.server, r.req);
  if (!r.server.clients.may_guess(r.client, r.now)) {
    refuse(r, Refusal::too_many_guesses);
    return std::nullopt;
  }
  o.token = o.snapshot->find_token(token_text);
  o.view = o.token != nullptr ? o.snapshot->gallery(o.token->gallery) : nullptr;
  if (o.view == nullptr) {
    r.server.clients.record_wrong_guess(r.client, r.now);
    refuse(r, Refusal::unknown_token);
    return std::nullopt;
  }
  if (auto refusal = refusal_for(catalog::availability(o.view->gallery, r.now))) {
    refuse(r, *refusal, o.view->gallery.id, o.token->id);
    return std::nullopt;
  }
  return o;
}

std::string read_body(h2o_req_t* req) {
  return {req->entity.base != nullptr ? req->entity.base : "", req->entity.len};
}

Request make_request(Server::Impl& server, h2o_req_t* req);
void handle_gallery(Request& r, std::string_view token_text, bool password_given = false);

// A new visitor's open: the single-use binding and the view count are catalog writes (a synced
// commit that may wait behind an import's), so they run on the catalog writer, never on a loop
// thread where every guest on that loop would wait too. The count is exact either way: the
// catalog decides it in one UPDATE. The session starts on the writer too, right after the count:
// the writer runs one job at a time, so a phone that sends two requests before the first is
// answered (a double tap) is counted once. The request resumes on its loop with the verdict.
void count_open_off_loop(Request& r, std::string_view token_text, catalog::GalleryId gallery, catalog::TokenId token,
                         bool single_use, bool password_given) {
  enum class Verdict { counted, already_open, other_device, limit_reached, failed };
  auto verdict = std::make_shared<Verdict>(Verdict::failed);
  catalog::GalleryStore* store = r.server.deps.galleries;
  Server::Impl* server = &r.server;
  const bool queued = run_off_loop(
      r.server, r.server.catalog_writes, r.req,
      [verdict, server, store, gallery, token, single_use, client = r.client, now = r.now,
       device = r.server.client_hash(r.client)] {
        if (server->clients.in_session(client, gallery, now)) {
          *verdict = Verdict::already_open;
          return;
        }
        if (single_use) {
          auto bound = store->bind_token(token, device);
          if (!bound || !*bound) {
            *verdict = bound ? Verdict::other_device : Verdict::failed;
            return;
          }
        }
        auto counted = store->count_open(gallery);
        *verdict = !counted ? Verdict::failed : *counted ? Verdict::counted : Verdict::limit_reached;
        if (*verdict == Verdict::counted) server->clients.start_session(client, gallery, now);
      },
      [verdict, server, token_text, gallery, token, password_given](h2o_req_t* req) {
        Request resumed = make_request(*server, req);
        switch (*verdict) {
          case Verdict::counted:
            log_event(resumed, catalog::AccessKind::open, gallery, token, std::nullopt);
            handle_gallery(resumed, token_text, password_given);  // now in session: the page itself
            return;
          case Verdict::already_open: handle_gallery(resumed, token_text, password_given); return;
          case Verdict::other_device: refuse(resumed, Refusal::other_device, gallery, token); return;
          case Verdict::limit_reached: refuse(resumed, Refusal::view_limit, gallery, token); return;
          case Verdict::failed: send_html(req, 503, refusal_page(resumed.page, Refusal::busy)); return;
        }
      });
  if (!queued) send_html(r.req, refusal_status(Refusal::busy), refusal_page(r.page, Refusal::busy));
}

// The password check runs on a worker (crypto_pwhash takes ~0.1 s on purpose, which would stall
// every guest on this loop); the request resumes on its loop thread with the verdict.
void check_password_off_loop(Request& r, std::string_view token_text, catalog::GalleryId gallery,
                             catalog::TokenId token) {
  struct Check {
    std::string password;
    Result<bool> verdict = false;
  };
  auto check = std::make_shared<Check>();
  check->password = query_value(read_body(r.req), "password").value_or("");
  catalog::GalleryStore* store = r.server.deps.galleries;
  Server::Impl* server = &r.server;
  const bool queued = run_off_loop(
      r.server, r.server.workers, r.req,
      [check, store, gallery] { check->verdict = store->check_password(gallery, check->password); },
      [check, server, token_text, gallery, token](h2o_req_t* req) {
        Request resumed = make_request(*server, req);
        if (!check->verdict.ok() || !*check->verdict) {
          server->clients.record_wrong_guess(resumed.client, resumed.now);
          log_event(resumed, catalog::AccessKind::refused, gallery, token, std::nullopt, "wrong-password");
          send_html(req, 401, password_page(resumed.page, token_text, true));
          return;
        }
        handle_gallery(resumed, token_text, true);  // rules again: the gallery may have changed meanwhile
      });
  if (!queued) send_html(r.req, refusal_status(Refusal::busy), refusal_page(r.page, Refusal::busy));
}

void handle_gallery(Request& r, std::string_view token_text, bool password_given) {
  auto opened = resolve(r, token_text);
  if (!opened) return;
  const auto& g = opened->view->gallery;
  const auto token_id = opened->token->id;
  mark_landed(r);
  if (!r.server.clients.in_session(r.client, g.id, r.now)) {
    if (g.has_password && !password_given) {
      if (r.method != "POST") {
        send_html(r.req, 200, password_page(r.page, token_text, false));
      } else {
        check_password_off_loop(r, token_text, g.id, token_id);
      }
      return;
    }
    count_open_off_loop(r, token_text, g.id, token_id, opened->token->single_use, password_given);
    return;
  } else if (opened->token->single_use && opened->token->bound_device &&
             !catalog::same_hash(*opened->token->bound_device, r.server.client_hash(r.client))) {
    refuse(r, Refusal::other_device, g.id, token_id);
    return;
  }
  if (r.method == "POST") {  // after a password: show the gallery with a fresh GET
    send_redirect(r.req, 303, "/g/" + std::string(token_text) + "/", "");
    return;
  }
  std::size_t page = 0;
  if (auto p = query_value(r.query, "p"); p && !p->empty() && p->size() < 7) {
    page = static_cast<std::size_t>(std::max(1L, std::strtol(p->c_str(), nullptr, 10))) - 1;
  }
  send_html(r.req, 200, gallery_page(r.page, token_text, *opened->snapshot, *opened->view, page));
}

// resolve(), and then the visitor's session: images and ZIPs only for a visitor whose open was
// counted (and who gave the password). Answers the refusal itself and returns nullopt.
std::optional<Opened> resolve_in_session(Request& r, std::string_view token_text) {
  auto opened = resolve(r, token_text);
  if (opened && !r.server.clients.in_session(r.client, opened->view->gallery.id, r.now)) {
    send_text(r.req, 403, "text/plain; charset=utf-8", "Open the gallery first.\n");
    return std::nullopt;
  }
  return opened;
}

// The extension the store gave the original (image::storage_extension: "jpg", "png", "cr2", ...).
std::string original_extension(const catalog::ServedPhoto& photo) {
  const std::string_view path = photo.original.relative_path;
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) return "jpg";
  return std::string(path.substr(dot + 1));
}

// The photo is in the catalog but its file is gone from the store (a card's store removed by hand).
constexpr const char* kPhotoFileMissing = "The photo file is missing.\n";

// A literal, as FileReply wants. RAW files have no registered type: sent as bytes to save.
std::string_view content_type_for(std::string_view extension) {
  if (extension == "jpg") return "image/jpeg";
  if (extension == "png") return "image/png";
  if (extension == "webp") return "image/webp";
  if (extension == "gif") return "image/gif";
  if (extension == "bmp") return "image/bmp";
  return "application/octet-stream";
}

// An original is read on a worker, never on a loop: it is mapped (an open() on a card-sized
// store whose metadata may be cold), read in whole (MappedFile::load), so the loop's sends find
// every page in memory, and its GPS is cleaned. Thumbnails and screen copies are hot
// and small, and stay on the loop. Whatever the catalog's had_gps says, a file is cleaned: it
// only knows the Exif GPS IFD of JPEGs, and a PNG or WebP may carry its position in XMP. A file
// we cannot clean (CR3, RAF, damaged) is never sent, since GPS may be in it.
void send_original_off_loop(Request& r, FileReply reply, std::uint64_t cache_key, const std::string& relative_path,
                            bool strip, catalog::GalleryId gallery, catalog::TokenId token, catalog::PhotoId photo) {
  struct Job {
    FileReply reply;
    bool missing = false;
    GuestCopy copy;
  };
  auto job = std::make_shared<Job>();
  job->reply = std::move(reply);
  Server::Impl* server = &r.server;
  const bool queued = run_off_loop(
      r.server, r.server.file_reads, r.req,
      [job, server, cache_key, relative_path, strip] {
        auto mapped = server->files.get(cache_key, server->deps.data_dir, relative_path);
        if (!mapped) {
          job->missing = true;
          return;
        }
        job->copy = guest_copy(**mapped, strip);
        job->reply.file = std::move(*mapped);
      },
      [job, server, gallery, token, photo](h2o_req_t* req) {
        Request resumed = make_request(*server, req);
        if (job->missing) {
          send_text(req, 404, "text/plain; charset=utf-8", kPhotoFileMissing);
          return;
        }
        if (job->copy.fault == CopyFault::unreadable) {
          send_text(req, 500, "text/plain; charset=utf-8", "The photo file cannot be read from the disk.\n");
          return;
        }
        if (job->copy.fault == CopyFault::location_kept) {
          refuse(resumed, Refusal::location_kept, gallery, token);
          return;
        }
        if (job->copy.clean.removed) {
          job->reply.pieces = std::move(job->copy.clean.pieces);
          // Another entity than the file: the quote and 28 of its 32 digits, then "-ng" (no GPS).
          job->reply.etag = job->reply.etag.substr(0, 29) + "-ng\"";
        }
        log_event(resumed, catalog::AccessKind::download, gallery, token, photo);
        send_file(req, std::move(job->reply));
      });
  if (!queued) send_html(r.req, refusal_status(Refusal::busy), refusal_page(r.page, Refusal::busy));
}

void handle_image(Request& r, const Route& route) {
  auto opened = resolve_in_session(r, route.token);
  if (!opened) return;
  const auto& g = opened->view->gallery;
  const auto pos = opened->view->position.find(route.photo);
  if (pos == opened->view->position.end()) {
    send_text(r.req, 404, "text/plain; charset=utf-8", "No such photo in this gallery.\n");
    return;
  }
  const auto& photo = opened->snapshot->photos[opened->view->items[pos->second].photo];
  FileReply reply;
  reply.cache_control = "private, max-age=31536000, immutable";
  const catalog::ServedFile* file = &photo.thumb;
  if (route.size == ImageSize::screen) file = &photo.screen;
  if (route.size == ImageSize::original) {
    // With downloads off no original is reachable by any URL.
    if (!g.rules.download || photo.original.relative_path.empty()) {
      refuse(r, Refusal::downloads_off, g.id, opened->token->id);
      return;
    }
    file = &photo.original;
    const auto extension = original_extension(photo);
    reply.disposition = "attachment; filename=\"photo-" + std::to_string(photo.id) + "." + extension + "\"";
    reply.content_type = content_type_for(extension);
    reply.cache_control = "private, no-store";
  }
  const auto cache_key = static_cast<std::uint64_t>(photo.id) * 4 + static_cast<std::uint64_t>(route.size);
  reply.etag.reserve(34);  // built in place: one allocation, not three
  reply.etag.append(1, '"').append(file->sha256, 0, 32).push_back('"');
  if (route.size == ImageSize::original) {
    const bool strip = g.rules.strip_gps || g.preset != catalog::Preset::internal;
    send_original_off_loop(r, std::move(reply), cache_key, file->relative_path, strip, g.id, opened->token->id,
                           photo.id);
    return;
  }
  auto mapped = r.server.files.get(cache_key, r.server.deps.data_dir, file->relative_path);
  if (!mapped) {
    send_text(r.req, 404, "text/plain; charset=utf-8", kPhotoFileMissing);
    return;
  }
  reply.file = std::move(*mapped);
  if (route.size == ImageSize::screen) {
    // A view is a photo opened at screen size in the viewer; thumbnails of the grid are only counted.
    log_event(r, catalog::AccessKind::view, g.id, opened->token->id, photo.id);
  } else {
    count_thumbnail(r.server, r.req);
  }
  send_file(r.req, std::move(reply));
}

void handle_zip(Request& r, const Route& route) {
  auto opened = resolve_in_session(r, route.token);
  if (!opened) return;
  const auto& g = opened->view->gallery;
  if (!g.rules.download) {
    refuse(r, Refusal::downloads_off, g.id, opened->token->id);
    return;
  }
  const bool strip = g.rules.strip_gps || g.preset != catalog::Preset::internal;
  std::vector<ZipMember> members;
  for (const auto& item : opened->view->items) {
    const auto& photo = opened->snapshot->photos[item.photo];
    if (photo.original.relative_path.empty()) continue;
    // Cleaned while streaming; a file that cannot be cleaned is left out there (zip_stream.h).
    members.push_back({"photo-" + std::to_string(photo.id) + "." + original_extension(photo),
                       r.server.deps.data_dir / photo.original.relative_path, strip});
  }
  log_event(r, catalog::AccessKind::download, g.id, opened->token->id, std::nullopt, "zip");
  send_zip(r.server, r.req, std::move(members), "photos.zip");
}

// ---- organizer ----

bool admin_allowed(Request& r) {
  const auto& password = r.server.options.admin_password;
  if (password.empty()) {
    if (r.client == "127.0.0.1" || r.client == "[::1]") return true;
  } else {
    // HTTP Basic: any user name, the configured password.
    const auto auth = header_value(r.req, H2O_TOKEN_AUTHORIZATION);
    if (auth.starts_with("Basic ")) {
      std::string decoded(auth.size(), '\0');
      std::size_t len = 0;
      const auto b64 = auth.substr(6);
      if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(), b64.data(), b64.size(),
                            nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0) {
        decoded.resize(len);
        const auto colon = decoded.find(':');
        const std::string given = colon == std::string::npos ? std::string() : decoded.substr(colon + 1);
        if (r.server.clients.may_guess(r.client, r.now)) {
          if (given.size() == password.size() && sodium_memcmp(given.data(), password.data(), given.size()) == 0)
            return true;
          r.server.clients.record_wrong_guess(r.client, r.now);
        }
      }
    }
    add_header(r.req, H2O_TOKEN_WWW_AUTHENTICATE, "Basic realm=\"venuekiosk organizer\"");
  }
  send_text(r.req, 401, "text/plain; charset=utf-8", "The organizer's pages need the admin password.\n");
  return false;
}

void send_json(Request& r, int status, const nlohmann::json& j) {
  send_text(r.req, status, "application/json", j.dump());
}

nlohmann::json gallery_json(const catalog::Gallery& g) {
  nlohmann::json j = {{"id", g.id},
                      {"name", g.name},
                      {"preset", std::string(catalog::preset_name(g.preset))},
                      {"views_used", g.views_used},
                      {"download", g.rules.download},
                      {"disabled", g.disabled},
                      {"password", g.has_password},
                      {"all_photos", g.all_photos}};
  j["view_limit"] = g.rules.view_limit ? nlohmann::json(*g.rules.view_limit) : nlohmann::json(nullptr);
  j["expires"] = g.rules.expires ? nlohmann::json(catalog::to_iso_utc(*g.rules.expires)) : nlohmann::json(nullptr);
  j["window"] = g.rules.window ? nlohmann::json(catalog::format_window(*g.rules.window)) : nlohmann::json(nullptr);
  return j;
}

void handle_api(Request& r, RouteKind kind) {
  if (!admin_allowed(r)) return;
  if (kind == RouteKind::api_imports) {
    auto runs = r.server.deps.catalog->recent_import_runs(20);
    if (!runs) return send_json(r, 503, {{"error", runs.error().describe()}});
    nlohmann::json list = nlohmann::json::array();
    for (const auto& run : *runs) {
      list.push_back({{"id", run.id},
                      {"source", run.source},
                      {"volume", run.volume},
                      {"reader", run.reader},
                      {"state", run.state},
                      {"started_at", run.started_at},
                      {"finished_at", run.finished_at},
                      {"total", run.total},
                      {"done", run.done},
                      {"imported", run.imported},
                      {"duplicates", run.duplicates},
                      {"rejected", run.rejected},
                      {"skipped", run.skipped},
                      {"bytes_done", run.bytes_done},
                      {"bytes_total", run.bytes_total},
                      {"current_file", run.current_file},
                      {"message", run.message}});
    }
    return send_json(r, 200, {{"imports", list}});
  }
  if (kind == RouteKind::api_galleries) {
    auto list = r.server.deps.galleries->list();
    if (!list) return send_json(r, 503, {{"error", list.error().describe()}});
    nlohmann::json out = nlohmann::json::array();
    for (const auto& g : *list) out.push_back(gallery_json(g));
    return send_json(r, 200, {{"galleries", out}});
  }
  auto report = catalog::build_report(r.server.deps.data_dir / "catalog.db");
  if (!report) return send_json(r, 503, {{"error", report.error().describe()}});
  nlohmann::json j = {{"opens", report->opens},
                      {"unique_visitors", report->unique_visitors},
                      {"views", report->views},
                      {"downloads", report->downloads},
                      {"refused", report->refused}};
  j["thumbnails_served_since_start"] = thumbnails_served(r.server);
  j["peak_hour"] = report->peak_hour ? nlohmann::json(*report->peak_hour) : nlohmann::json(nullptr);
  j["top_photos"] = nlohmann::json::array();
  for (const auto& [id, n] : report->top_photos) j["top_photos"].push_back({{"photo", id}, {"views", n}});
  j["devices"] = nlohmann::json::object();
  for (const auto& [d, n] : report->devices) j["devices"][d] = n;
  send_json(r, 200, j);
}

void handle_admin(Request& r) {
  if (!admin_allowed(r)) return;
  auto report = catalog::build_report(r.server.deps.data_dir / "catalog.db");
  auto galleries = r.server.deps.galleries->list();
  if (!report || !galleries) {
    send_text(r.req, 503, "text/plain; charset=utf-8", "The catalog cannot be read right now.\n");
    return;
  }
  send_html(r.req, 200, admin_page(r.page, *report, *galleries));
}

void handle_asset(Request& r, std::string_view name) {
  const Asset* asset = find_asset(name);
  if (asset == nullptr) {
    send_text(r.req, 404, "text/plain", "Not found.\n");
    return;
  }
  add_header(r.req, H2O_TOKEN_ETAG, asset->etag);
  if (header_value(r.req, H2O_TOKEN_IF_NONE_MATCH) == asset->etag) {
    send_empty(r.req, 304);
    return;
  }
  r.req->res.status = 200;
  send_text(r.req, 200, asset->content_type, asset->body);
}

}  // namespace

namespace {

Request make_request(Server::Impl& server, h2o_req_t* req) {
  Request r{server, req, {req->method.base, req->method.len}, {}, {}, peer_address(req), server.deps.clock->now(), {}};
  const std::string_view target(req->path.base, req->path.len);
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  r.page.language = pick_language(header_value(req, H2O_TOKEN_ACCEPT_LANGUAGE));
  r.page.event_title = server.options.event_title;
  r.page.phone = phone_kind(header_value(req, H2O_TOKEN_USER_AGENT));
  return r;
}

}  // namespace

int handle_request(Server::Impl& server, h2o_req_t* req) {
  Request r = make_request(server, req);

  if (header_bytes(req) > server.options.max_header_bytes) {
    send_text(req, 431, "text/plain", "The request headers are too large.\n");
    return 0;
  }
  if (r.method != "GET" && r.method != "HEAD" && r.method != "POST") {
    send_text(req, 405, "text/plain", "Method not allowed.\n");
    return 0;
  }
  const Route route = route_path(r.path);
  if (route.kind == RouteKind::healthz) {
    send_text(req, 200, "text/plain", "ok\n");
    return 0;
  }
  if (route.kind == RouteKind::probe) {
    handle_probe(r, route.probe);
    return 0;
  }
  if (!host_is_ours(r)) {
    // Phones on the venue Wi-Fi ask for every name; all of them lead to the landing page.
    const std::string url = landing_url(r);
    send_redirect(req, 302, url, captive_page(url));
    return 0;
  }
  if (r.method == "POST" && route.kind != RouteKind::gallery) {
    send_text(req, 405, "text/plain", "Method not allowed.\n");
    return 0;
  }
  switch (route.kind) {
    case RouteKind::landing: handle_landing(r); break;
    case RouteKind::code: {
      auto code = query_value(r.query, "code").value_or("");
      while (!code.empty() && code.back() == ' ') code.pop_back();
      while (!code.empty() && code.front() == ' ') code.erase(0, 1);
      if (!looks_like_token(code)) {
        server.clients.record_wrong_guess(r.client, r.now);
        send_html(req, 404, refusal_page(r.page, Refusal::unknown_token));
      } else {
        send_redirect(req, 302, "/g/" + code + "/", "");
      }
      break;
    }
    case RouteKind::gallery: handle_gallery(r, route.token); break;
    case RouteKind::image: handle_image(r, route); break;
    case RouteKind::zip: handle_zip(r, route); break;
    case RouteKind::asset: handle_asset(r, route.asset); break;
    case RouteKind::api_imports:
    case RouteKind::api_galleries:
    case RouteKind::api_report: handle_api(r, route.kind); break;
    case RouteKind::admin: handle_admin(r); break;
    default: send_html(req, 404, refusal_page(r.page, Refusal::unknown_token)); break;
  }
  return 0;
}

}  // namespace vk::web
