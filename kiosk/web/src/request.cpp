#include "request.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace vk::web {
namespace {

constexpr std::array<std::pair<std::string_view, Probe>, 11> kProbes = {{
    {"/hotspot-detect.html", Probe::apple},
    {"/library/test/success.html", Probe::apple},
    {"/generate_204", Probe::android_204},
    {"/gen_204", Probe::android_204},
    {"/generate204", Probe::android_204},
    {"/mobile/status.php", Probe::android_204},
    {"/connecttest.txt", Probe::windows_connect},
    {"/ncsi.txt", Probe::windows_ncsi},
    {"/redirect", Probe::windows_redirect},
    {"/canonical.html", Probe::firefox_canonical},
    {"/success.txt", Probe::firefox_success},
}};

constexpr std::array<std::string_view, 3> kAssets = {"app.css", "gallery.js", "admin.css"};

// Character classes by table: every request's path and token go through these byte by byte.
constexpr unsigned char kToken = 1, kPath = 2;  // token alphabet; what a path we serve may contain
constexpr std::array<unsigned char, 256> kClasses = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool token =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    t[static_cast<std::size_t>(c)] =
        static_cast<unsigned char>((token ? kToken | kPath : 0) | (c == '/' || c == '.' ? kPath : 0));
  }
  return t;
}();

bool token_char(char c) {
  return (kClasses[static_cast<unsigned char>(c)] & kToken) != 0;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 15 || text[0] < '1' || text[0] > '9') return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Route image_route(std::string_view token, std::string_view rest) {
  // rest: "t/123.jpg", "s/123.jpg", "o/123.jpg" or "all.zip"
  Route r;
  r.token = token;
  if (rest == "all.zip") {
    r.kind = RouteKind::zip;
    return r;
  }
  if (rest.size() < 7 || rest[1] != '/' || !rest.ends_with(".jpg")) return Route{};
  switch (rest[0]) {
    case 't': r.size = ImageSize::thumb; break;
    case 's': r.size = ImageSize::screen; break;
    case 'o': r.size = ImageSize::original; break;
    default: return Route{};
  }
  const auto id = parse_id(rest.substr(2, rest.size() - 6));
  if (!id) return Route{};
  r.kind = RouteKind::image;
  r.photo = *id;
  return r;
}

}  // namespace

bool looks_like_token(std::string_view text) {
  if (text.size() != 22) return false;
  for (char c : text) {
    if (!token_char(c)) return false;
  }
  return true;
}

Route route_path(std::string_view path) {
  Route r;
  if (path.empty() || path[0] != '/' || path.size() > 256) return r;
  // Only this alphabet ever names something we serve; everything else (escapes, dots that
  // could form "..", backslashes, bytes >= 0x80 of overlong UTF-8) falls through to 404, and
  // so do "//" and "..".
  char previous = '\0';
  for (char c : path) {
    if ((kClasses[static_cast<unsigned char>(c)] & kPath) == 0) return r;
    if ((c == '/' || c == '.') && c == previous) return r;
    previous = c;
  }
  // The hot route first: a gallery and its images (a grid of thumbnails per page).
  if (path.starts_with("/g/")) {
    const auto rest = path.substr(3);
    const auto slash = rest.find('/');
    const auto token = rest.substr(0, slash);
    if (!looks_like_token(token)) return r;
    if (slash == std::string_view::npos || slash + 1 == rest.size()) {
      r.kind = RouteKind::gallery;
      r.token = token;
      return r;
    }
    return image_route(token, rest.substr(slash + 1));
  }
  // Fixed pages, matched whole.
  static constexpr std::pair<std::string_view, RouteKind> kPages[] = {
      {"/", RouteKind::landing},
      {"/healthz", RouteKind::healthz},
      {"/g", RouteKind::code},
      {"/api/imports", RouteKind::api_imports},
      {"/api/galleries", RouteKind::api_galleries},
      {"/api/report", RouteKind::api_report},
      {"/admin", RouteKind::admin},
      {"/admin/", RouteKind::admin},
  };
  for (const auto& [page, kind] : kPages) {
    if (path == page) {
      r.kind = kind;
      return r;
    }
  }
  for (const auto& [p, probe] : kProbes) {
    if (path == p) {
      r.kind = RouteKind::probe;
      r.probe = probe;
      return r;
    }
  }
  if (path.starts_with("/assets/")) {
    const auto name = path.substr(8);
    for (auto a : kAssets) {
      if (name == a) {
        r.kind = RouteKind::asset;
        r.asset = a;
        return r;
      }
    }
    return r;
  }
  return r;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query, std::size_t max_pairs) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty() && out.size() < max_pairs) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    auto key = percent_decode(part.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    if (!key || !value || key->size() > 64 || value->size() > 4096) continue;
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

std::optional<std::string> query_value(std::string_view query, std::string_view key) {
  for (auto& [k, v] : parse_query(query)) {
    if (k == key) return std::move(v);
  }
  return std::nullopt;
}

Language pick_language(std::string_view header) {
  double best_en = -1, best_zh = -1;
  std::size_t position = 0;
  while (position < header.size() && position < 1024) {
    auto comma = header.find(',', position);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view item = header.substr(position, comma - position);
    position = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    double q = 1.0;
    const auto semi = item.find(';');
    std::string_view tag = item.substr(0, semi);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (semi != std::string_view::npos) {
      const auto qpos = item.find("q=", semi);
      if (qpos != std::string_view::npos) {
        double v = 0;
        const auto text = item.substr(qpos + 2);
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        (void)p;
        q = ec == std::errc() ? v : 0.0;
      }
    }
    std::string lower;
    for (char c : tag.substr(0, 2)) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (lower == "zh") best_zh = std::max(best_zh, q);
    if (lower == "en") best_en = std::max(best_en, q);
  }
  return best_zh > 0 && best_zh > best_en ? Language::zh : Language::en;
}

std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size) {
  if (!header.starts_with("bytes=")) return std::nullopt;
  header.remove_prefix(6);
  if (header.find(',') != std::string_view::npos) return std::nullopt;  // multi-range: send it all
  const auto dash = header.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto a = header.substr(0, dash), b = header.substr(dash + 1);
  const auto number = [](std::string_view t) -> std::optional<std::uint64_t> {
    if (t.empty() || t.size() > 18) return std::nullopt;
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
    return v;
  };
  if (a.empty()) {  // suffix: the last n bytes
    const auto n = number(b);
    if (!n) return std::nullopt;
    if (*n == 0 || size == 0) return ByteRange{size, 0};
    const auto len = std::min(*n, size);
    return ByteRange{size - len, len};
  }
  const auto first = number(a);
  if (!first) return std::nullopt;
  if (*first >= size) return ByteRange{size, 0};
  std::uint64_t last = size - 1;
  if (!b.empty()) {
    const auto l = number(b);
    if (!l || *l < *first) return std::nullopt;
    last = std::min(*l, size - 1);
  }
  return ByteRange{*first, last - *first + 1};
}

std::string host_name(std::string_view host) {
  if (host.empty() || host.size() > 255) return {};
  if (host.front() == '[') {  // IPv6 literal
    const auto close = host.find(']');
    if (close == std::string_view::npos) return {};
    return std::string(host.substr(0, close + 1));
  }
  const auto name = host.substr(0, host.find(':'));
  for (char c : name) {
    if (!(token_char(c) || c == '.')) return {};
  }
  std::string out(name);  // one copy (an IP literal fits the string's own buffer), then lower-cased
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

bool is_ip_literal(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

}  // namespace vk::web
