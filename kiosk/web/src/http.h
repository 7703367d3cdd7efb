// Small helpers over h2o's request/response structs: reading headers, and answering with the
// security headers every response carries. All of them run on the request's loop thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "file_cache.h"
#include "h2o_include.h"
#include "image/strip.h"

namespace vk::web {

std::string_view header_value(const h2o_req_t* req, const h2o_token_t* token);
std::size_t header_bytes(const h2o_req_t* req);
std::string peer_address(h2o_req_t* req);          // "127.0.0.2", "[::1]"; IPv4 also when v4-mapped
std::string format_peer(const sockaddr* address);  // the same text from a socket address
std::string local_address(h2o_req_t* req);         // "10.0.0.1:8080" as the client reached us

void add_header(h2o_req_t* req, const h2o_token_t* token, std::string_view value);
void add_header(h2o_req_t* req, std::string_view name, std::string_view value);

// Status, content type and body, with the security headers; the body is copied.
void send_text(h2o_req_t* req, int status, std::string_view content_type, std::string_view body);
void send_html(h2o_req_t* req, int status, std::string_view html);
void send_redirect(h2o_req_t* req, int status, const std::string& location, std::string_view body_html);
void send_empty(h2o_req_t* req, int status);

// A mapped file (or, for originals cleaned of GPS, the pieces of image::without_gps over it)
// with Range, ETag and Content-Length; the mapping stays alive until the response is done.
struct FileReply {
  std::shared_ptr<const MappedFile> file;
  std::vector<image::Piece> pieces;              // empty: the whole file; else what to send, in order
  std::string_view content_type = "image/jpeg";  // a literal: kept past the call
  std::string etag;                              // with quotes
  std::string_view cache_control;                // a literal: kept past the call
  std::string disposition;                       // Content-Disposition, may be empty
};
void send_file(h2o_req_t* req, FileReply reply);

const char* reason_phrase(int status);

}  // namespace vk::web
