// A real HTTP client for the web tests: libcurl over loopback, with the source address chosen
// (127.0.0.2, 127.0.0.3, ...) so each "guest" is a distinct client to the server.
#pragma once

#include <curl/curl.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vk::testing {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string error;                                 // curl's, when the exchange failed
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
};

struct HttpRequest {
  std::string url;
  std::string source = "127.0.0.2";  // the client's address
  std::vector<std::string> headers;   // "Name: value"
  std::string method = "GET";
  std::string body;
  bool gzip = false;
};

inline HttpResponse http(const HttpRequest& request) {
  struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };
  struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  HttpResponse response;
  curl_slist* raw_list = nullptr;
  for (const auto& h : request.headers) raw_list = curl_slist_append(raw_list, h.c_str());
  std::unique_ptr<curl_slist, ListDeleter> list(raw_list);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_INTERFACE, request.source.c_str());
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  if (request.gzip) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  using Callback = size_t (*)(char*, size_t, size_t, void*);
  const Callback on_body = [](char* p, size_t s, size_t n, void* ud) -> size_t {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
  };
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  const Callback on_header = [](char* p, size_t s, size_t n, void* ud) -> size_t {
    std::string line(p, s * n);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      static_cast<std::multimap<std::string, std::string>*>(ud)->emplace(name, value);
    }
    return s * n;
  };
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.error = curl_easy_strerror(rc);
  }
  return response;
}

inline HttpResponse get(const std::string& url, const std::string& source = "127.0.0.2",
                        std::vector<std::string> headers = {}) {
  return http({url, source, std::move(headers)});
}

}  // namespace vk::testing
