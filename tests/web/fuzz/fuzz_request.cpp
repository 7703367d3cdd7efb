// libFuzzer target for what a guest controls before any handler runs: the request path (route),
// the query string / form body, Accept-Language, Range and Host. The parsers are pure (no h2o),
// so any crash, leak or undefined behaviour here is ours.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace vk::web;
  const Route route = route_path(input);
  // A route that names a token or asset only ever views into the input, within its bounds.
  if (!route.token.empty() && (route.token.data() < input.data() || route.token.data() + route.token.size() > input.data() + input.size())) {
    __builtin_trap();
  }
  if (route.kind == RouteKind::image && route.photo <= 0) __builtin_trap();
  (void)parse_query(input);
  (void)query_value(input, "password");
  (void)pick_language(input);
  if (const auto range = parse_range(input, 1000); range && range->length > 0 && range->first + range->length > 1000) {
    __builtin_trap();
  }
  (void)host_name(input);
  (void)is_ip_literal(input);
  return 0;
}
