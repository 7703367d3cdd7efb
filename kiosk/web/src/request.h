// Pure parsing of what a guest sends: the route of a request path, query strings, form
// bodies, Accept-Language and Range. No h2o, no I/O, so the fuzz target and unit tests call
// these directly. Every function accepts arbitrary bytes and never builds a file path: a route
// names a photo by its number, never by a file name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vk::web {

enum class Probe {
  apple,            // /hotspot-detect.html, /library/test/success.html
  android_204,      // /generate_204, /gen_204, /generate204 (OEM), /mobile/status.php
  windows_connect,  // /connecttest.txt
  windows_ncsi,     // /ncsi.txt
  windows_redirect, // /redirect
  firefox_canonical,// /canonical.html
  firefox_success,  // /success.txt
};

enum class RouteKind {
  healthz,
  landing,          // "/"
  probe,
  code,             // "/g" with ?code=TOKEN (the landing page's form)
  gallery,          // "/g/<token>"
  image,            // "/g/<token>/<t|s|o>/<id>.jpg"
  zip,              // "/g/<token>/all.zip"
  asset,            // "/assets/<name>"
  api_imports,
  api_galleries,
  api_report,
  admin,
  not_found,
};

enum class ImageSize { thumb, screen, original };

struct Route {
  RouteKind kind = RouteKind::not_found;
  Probe probe = Probe::apple;
  std::string_view token;   // view into the path
  ImageSize size = ImageSize::thumb;
  std::int64_t photo = 0;
  std::string_view asset;   // one of the known asset names
};

// `path` is the request target without the query. Any percent-escape, dot segment, doubled
// slash or byte outside the expected alphabet makes it not_found.
Route route_path(std::string_view path);

// Splits "a=1&b=x%20y" into decoded pairs; malformed escapes make the pair dropped. At most
// `max_pairs` pairs, each value at most 4 KiB.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query, std::size_t max_pairs = 32);
std::optional<std::string> query_value(std::string_view query, std::string_view key);

// True for a token's alphabet and length (22 URL-safe base64 characters).
bool looks_like_token(std::string_view text);

enum class Language { en, zh };
// The best of our languages for an Accept-Language header (q-values honoured); English when
// nothing matches.
Language pick_language(std::string_view accept_language);

// A single "bytes=a-b" / "bytes=a-" / "bytes=-n" range against a body of `size` bytes.
// nullopt: no usable range (serve everything). A range that cannot be satisfied gives
// {size, 0} so the caller answers 416.
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};
std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size);

// Host header without the port, lower-cased; empty when malformed.
std::string host_name(std::string_view host);
bool is_ip_literal(std::string_view host_without_port);

}  // namespace vk::web
