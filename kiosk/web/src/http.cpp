#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <charconv>
#include <cstring>
#include <new>

#include "request.h"

namespace vk::web {
namespace {

// A header whose name and value are string literals: h2o keeps the pointers (they outlive
// every request), so nothing is copied into the request's pool.
template <std::size_t N, std::size_t M>
void add_literal_header(h2o_req_t* req, const char (&name)[N], const char (&value)[M]) {
  h2o_add_header_by_str(&req->pool, &req->res.headers, name, N - 1, 0, nullptr, value, M - 1);
}

void add_literal_header(h2o_req_t* req, const h2o_token_t* token, std::string_view literal) {
  h2o_add_header(&req->pool, &req->res.headers, token, nullptr, literal.data(), literal.size());
}

// Pages get the policy their own CSS and viewer script need; files (photos, ZIPs, CSS and JS
// served as files) are never documents that load anything, so theirs allows nothing at all and
// sandboxes the file if a browser ever renders it as a page. Shorter too: it rides on every
// thumbnail of a grid.
enum class Policy { page, file };

void add_security_headers(h2o_req_t* req, Policy policy) {
  // Room for every header we add, in one step: growing h2o's vector one header at a time
  // copies it over again in the pool several times per response.
  h2o_vector_reserve(&req->pool, &req->res.headers, req->res.headers.size + 10);
  if (policy == Policy::page) {
    add_literal_header(
        req, "content-security-policy",
        "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  } else {
    add_literal_header(req, "content-security-policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
  }
  add_literal_header(req, "x-content-type-options", "nosniff");
  add_literal_header(req, "x-frame-options", "DENY");
  add_literal_header(req, "referrer-policy", "no-referrer");
}

// inet_ntop for IPv4 costs more than the rest of routing a request; this is the same text.
std::string format_ipv4(const in_addr& address) {
  const auto* b = reinterpret_cast<const unsigned char*>(&address.s_addr);
  std::array<char, INET_ADDRSTRLEN> text{};
  char* p = text.data();
  for (int i = 0; i < 4; ++i) {
    if (i > 0) *p++ = '.';
    p = std::to_chars(p, text.data() + text.size(), static_cast<unsigned>(b[i])).ptr;
  }
  return std::string(text.data(), p);
}

std::string format_address(const sockaddr* sa, bool with_port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    std::string out = format_ipv4(in->sin_addr);
    if (with_port && ntohs(in->sin_port) != 80) out += ":" + std::to_string(ntohs(in->sin_port));
    return out;
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {  // an IPv4 guest on a "[::]" listener
      in_addr v4{};
      std::memcpy(&v4.s_addr, &in6->sin6_addr.s6_addr[12], 4);
      std::string out = format_ipv4(v4);
      if (with_port && ntohs(in6->sin6_port) != 80) out += ":" + std::to_string(ntohs(in6->sin6_port));
      return out;
    }
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    std::string out = std::string("[") + text + "]";
    if (with_port && ntohs(in6->sin6_port) != 80) out += ":" + std::to_string(ntohs(in6->sin6_port));
    return out;
  }
  return "unknown";
}

struct FileBody {
  h2o_generator_t generator;
  std::shared_ptr<const MappedFile> file;
  std::vector<image::Piece> pieces;  // held pieces' bytes are sent from here
};

void no_proceed(h2o_generator_t*, h2o_req_t*) {}
void no_stop(h2o_generator_t*, h2o_req_t*) {}

}  // namespace

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 410: return "Gone";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

std::string_view header_value(const h2o_req_t* req, const h2o_token_t* token) {
  const ssize_t i = h2o_find_header(&req->headers, token, -1);
  if (i < 0) return {};
  const auto& v = req->headers.entries[i].value;
  return {v.base, v.len};
}

std::size_t header_bytes(const h2o_req_t* req) {
  std::size_t total = req->path.len + req->authority.len;
  for (std::size_t i = 0; i < req->headers.size; ++i) {
    total += req->headers.entries[i].name->len + req->headers.entries[i].value.len + 4;
  }
  return total;
}

std::string format_peer(const sockaddr* address) {
  return format_address(address, false);
}

std::string peer_address(h2o_req_t* req) {
  sockaddr_storage ss{};
  const socklen_t len = req->conn->callbacks->get_peername(req->conn, reinterpret_cast<sockaddr*>(&ss));
  if (len == 0) return "unknown";
  return format_address(reinterpret_cast<const sockaddr*>(&ss), false);
}

std::string local_address(h2o_req_t* req) {
  sockaddr_storage ss{};
  const socklen_t len = req->conn->callbacks->get_sockname(req->conn, reinterpret_cast<sockaddr*>(&ss));
  if (len == 0) return "127.0.0.1";
  return format_address(reinterpret_cast<const sockaddr*>(&ss), true);
}

void add_header(h2o_req_t* req, const h2o_token_t* token, std::string_view value) {
  const h2o_iovec_t v = h2o_strdup(&req->pool, value.data(), value.size());
  h2o_add_header(&req->pool, &req->res.headers, token, nullptr, v.base, v.len);
}

void add_header(h2o_req_t* req, std::string_view name, std::string_view value) {
  const h2o_iovec_t n = h2o_strdup(&req->pool, name.data(), name.size());
  const h2o_iovec_t v = h2o_strdup(&req->pool, value.data(), value.size());
  h2o_add_header_by_str(&req->pool, &req->res.headers, n.base, n.len, 1, nullptr, v.base, v.len);
}

void send_text(h2o_req_t* req, int status, std::string_view content_type, std::string_view body) {
  req->res.status = status;
  req->res.reason = reason_phrase(status);
  add_header(req, H2O_TOKEN_CONTENT_TYPE, content_type);
  add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
  add_security_headers(req, Policy::page);
  h2o_send_inline(req, body.data(), body.size());
}

void send_html(h2o_req_t* req, int status, std::string_view html) {
  send_text(req, status, "text/html; charset=utf-8", html);
}

void send_redirect(h2o_req_t* req, int status, const std::string& location, std::string_view body_html) {
  add_header(req, H2O_TOKEN_LOCATION, location);
  send_html(req, status, body_html);
}

void send_empty(h2o_req_t* req, int status) {
  req->res.status = status;
  req->res.reason = reason_phrase(status);
  req->res.content_length = 0;
  add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
  add_security_headers(req, Policy::page);
  h2o_send_inline(req, "", 0);
}

void send_file(h2o_req_t* req, FileReply reply) {
  std::uint64_t total = reply.pieces.empty() ? reply.file->bytes().size() : 0;
  for (const auto& piece : reply.pieces) total += piece.size();
  add_security_headers(req, Policy::file);
  add_literal_header(req, H2O_TOKEN_CONTENT_TYPE, reply.content_type);
  if (!reply.cache_control.empty()) add_literal_header(req, H2O_TOKEN_CACHE_CONTROL, reply.cache_control);
  if (!reply.etag.empty()) add_header(req, H2O_TOKEN_ETAG, reply.etag);
  if (!reply.disposition.empty()) add_header(req, H2O_TOKEN_CONTENT_DISPOSITION, reply.disposition);
  add_literal_header(req, H2O_TOKEN_ACCEPT_RANGES, "bytes");
  // Images are compressed already: telling h2o so spares its content-type lookup in the
  // mime map (and the gzip filter's look at the type) on every response.
  req->res.mime_attr = &h2o_mime_attributes_as_is;
  if (!reply.etag.empty()) {
    const auto inm = header_value(req, H2O_TOKEN_IF_NONE_MATCH);
    if (!inm.empty() && (inm == reply.etag || inm == "*" || inm.find(reply.etag) != std::string_view::npos)) {
      req->res.status = 304;
      req->res.reason = reason_phrase(304);
      h2o_send_inline(req, "", 0);
      return;
    }
  }
  std::uint64_t first = 0, length = total;
  req->res.status = 200;
  if (const auto range_header = header_value(req, H2O_TOKEN_RANGE); !range_header.empty()) {
    if (const auto range = parse_range(range_header, total)) {
      if (range->length == 0) {
        add_header(req, H2O_TOKEN_CONTENT_RANGE, "bytes */" + std::to_string(total));
        req->res.status = 416;
        req->res.reason = reason_phrase(416);
        h2o_send_inline(req, "", 0);
        return;
      }
      first = range->first;
      length = range->length;
      req->res.status = 206;
      add_header(
          req, H2O_TOKEN_CONTENT_RANGE,
          "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) + "/" + std::to_string(total));
    }
  }
  req->res.reason = reason_phrase(req->res.status);
  req->res.content_length = length;
  auto* body = static_cast<FileBody*>(
      h2o_mem_alloc_shared(&req->pool, sizeof(FileBody), [](void* p) { static_cast<FileBody*>(p)->~FileBody(); }));
  new (body) FileBody{{no_proceed, no_stop}, std::move(reply.file), std::move(reply.pieces)};
  h2o_start_response(req, &body->generator);
  if (body->pieces.empty()) {  // the whole file: the thumbnail path, kept free of allocations
    h2o_iovec_t buf = h2o_iovec_init(body->file->bytes().data() + first, length);
    h2o_send(req, &buf, length > 0 ? 1 : 0, H2O_SEND_STATE_FINAL);
    return;
  }
  // The response is the concatenation of the pieces; cut [first, first+length).
  std::vector<h2o_iovec_t> bufs;
  std::uint64_t at = 0;  // where the current piece starts in the response
  for (const auto& piece : body->pieces) {
    const std::uint64_t size = piece.size();
    const std::uint64_t from = std::max(first, at), to = std::min(first + length, at + size);
    if (from < to) {
      const char* base = piece.is_held() ? piece.held.data()
                                         : reinterpret_cast<const char*>(body->file->bytes().data()) + piece.offset;
      bufs.push_back(h2o_iovec_init(base + (from - at), to - from));
    }
    at += size;
  }
  h2o_send(req, bufs.data(), bufs.size(), H2O_SEND_STATE_FINAL);
}

}  // namespace vk::web
