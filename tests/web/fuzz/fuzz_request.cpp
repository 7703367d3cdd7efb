// libFuzzer target for what a guest controls before any handler runs: the request target
// (route and query, split at '?' as the dispatcher does), form bodies, Accept-Language, Range
// and Host. The parsers are pure (no h2o), so any crash, leak or undefined behaviour here is
// ours; the traps below check the promises request.h makes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "request.h"

namespace {

using namespace vk::web;

void check_route(std::string_view path) {
  const Route route = route_path(path);
  const bool names_token =
      route.kind == RouteKind::gallery || route.kind == RouteKind::image || route.kind == RouteKind::zip;
  // A route only ever views into the path, within its bounds, and a token has the token alphabet.
  if (!route.token.empty() &&
      (route.token.data() < path.data() || route.token.data() + route.token.size() > path.data() + path.size())) {
    __builtin_trap();
  }
  if (names_token && !looks_like_token(route.token)) __builtin_trap();
  if (route.kind == RouteKind::image && route.photo <= 0) __builtin_trap();
  // No route that serves something ever comes from a path with a dot segment or an escape.
  if (route.kind != RouteKind::not_found &&
      (path.find("..") != std::string_view::npos || path.find('%') != std::string_view::npos)) {
    __builtin_trap();
  }
}

void check_query(std::string_view query) {
  const auto pairs = parse_query(query);
  if (pairs.size() > 32) __builtin_trap();
  for (const auto& [key, value] : pairs) {
    if (key.size() > 64 || value.size() > 4096) __builtin_trap();
  }
  (void)query_value(query, "password");
}

void check_range(std::string_view header) {
  constexpr std::array<std::uint64_t, 4> kSizes = {0, 1, 1000, std::uint64_t{1} << 62};
  for (const auto size : kSizes) {
    const auto range = parse_range(header, size);
    if (!range) continue;
    if (range->length == 0 && range->first != size) __builtin_trap();  // 416 is {size, 0}
    if (range->length > 0 && (range->first >= size || range->length > size - range->first)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto q = input.find('?');
  check_route(input.substr(0, q));
  check_query(q == std::string_view::npos ? input : input.substr(q + 1));
  (void)pick_language(input);
  check_range(input);
  const std::string host = host_name(input);
  if (host.size() > input.size()) __builtin_trap();
  (void)is_ip_literal(host);
  (void)is_ip_literal(input);
  return 0;
}
