// The pure request parsers: routes, queries, languages, ranges.
#include <catch2/catch.hpp>

#include "request.h"

using namespace vk::web;

TEST_CASE("routes name photos by number and nothing else", "[web][parse]") {
  const std::string token = "AbCdEfGhIjKlMnOpQrStUv";
  CHECK(route_path("/").kind == RouteKind::landing);
  CHECK(route_path("/healthz").kind == RouteKind::healthz);
  CHECK(route_path("/g/" + token).kind == RouteKind::gallery);
  CHECK(route_path("/g/" + token + "/").kind == RouteKind::gallery);
  const auto img = route_path("/g/" + token + "/t/42.jpg");
  CHECK(img.kind == RouteKind::image);
  CHECK(img.photo == 42);
  CHECK(img.size == ImageSize::thumb);
  CHECK(route_path("/g/" + token + "/o/7.jpg").size == ImageSize::original);
  CHECK(route_path("/g/" + token + "/all.zip").kind == RouteKind::zip);
  CHECK(route_path("/g/" + token + "/t/042.jpg").kind == RouteKind::not_found);
  CHECK(route_path("/g/" + token + "/t/-1.jpg").kind == RouteKind::not_found);
  CHECK(route_path("/g/" + token + "/x/1.jpg").kind == RouteKind::not_found);
  CHECK(route_path("/g/short").kind == RouteKind::not_found);
  CHECK(route_path("/g/" + token + "/t/../1.jpg").kind == RouteKind::not_found);
  CHECK(route_path("/assets/%2e%2e/x").kind == RouteKind::not_found);
  CHECK(route_path("/assets/app.css").kind == RouteKind::asset);
  CHECK(route_path("/assets/other.css").kind == RouteKind::not_found);
  CHECK(route_path("/generate_204").kind == RouteKind::probe);
  CHECK(route_path("//healthz").kind == RouteKind::not_found);
  CHECK(route_path("/\xc0\xae\xc0\xae/").kind == RouteKind::not_found);
}

TEST_CASE("queries decode and refuse broken escapes", "[web][parse]") {
  CHECK(query_value("a=1&password=x%20y+z", "password") == "x y z");
  CHECK_FALSE(query_value("password=%zz", "password"));
  CHECK_FALSE(query_value("password=%", "password"));
  CHECK(parse_query(std::string(10000, '&')).empty());
}

TEST_CASE("accept-language picks chinese only when preferred", "[web][parse]") {
  CHECK(pick_language("zh-CN,zh;q=0.9") == Language::zh);
  CHECK(pick_language("en-US,en;q=0.9,zh;q=0.8") == Language::en);
  CHECK(pick_language("de-DE") == Language::en);
  CHECK(pick_language("zh-TW;q=0.9,en;q=0.5") == Language::zh);
  CHECK(pick_language("") == Language::en);
}

TEST_CASE("byte ranges", "[web][parse]") {
  CHECK(parse_range("bytes=0-9", 100)->length == 10);
  CHECK(parse_range("bytes=90-", 100)->first == 90);
  CHECK(parse_range("bytes=-10", 100)->first == 90);
  CHECK(parse_range("bytes=100-", 100)->length == 0);  // unsatisfiable
  CHECK_FALSE(parse_range("bytes=5-1", 100));
  CHECK_FALSE(parse_range("items=0-1", 100));
  CHECK(parse_range("bytes=0-999", 100)->length == 100);
}
