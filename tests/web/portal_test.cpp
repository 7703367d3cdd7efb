// The server itself and the captive portal, over real HTTP on loopback: probes per OS before
// and after the landing page (each client's state its own), unknown Hosts, security headers,
// size limits, malformed and hostile requests.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "web_fixture.h"

using namespace vk;
using namespace vk::testing;

namespace {

const bool utc = (setenv("TZ", "UTC", 1), tzset(), true);

struct ProbeCase {
  const char* path;
  const char* host;
  long online_status;
  const char* online_body;  // exact, or nullptr to skip the body check
};

const ProbeCase kProbes[] = {
    {"/hotspot-detect.html", "captive.apple.com", 200,
     "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>"},
    {"/library/test/success.html", "www.apple.com", 200,
     "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>"},
    {"/generate_204", "connectivitycheck.gstatic.com", 204, ""},
    {"/gen_204", "www.google.com", 204, ""},
    {"/generate204", "connect.rom.miui.com", 204, ""},
    {"/mobile/status.php", "connectivitycheck.platform.hicloud.com", 204, ""},
    {"/connecttest.txt", "www.msftconnecttest.com", 200, "Microsoft Connect Test"},
    {"/ncsi.txt", "www.msftncsi.com", 200, "Microsoft NCSI"},
    {"/canonical.html", "detectportal.firefox.com", 200,
     "<meta http-equiv=\"refresh\" content=\"0;url=https://support.mozilla.org/kb/captive-portal\"/>"},
    {"/success.txt", "detectportal.firefox.com", 200, "success\n"},
};

int raw_connect(std::uint16_t port, const char* source) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, source, &src.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string raw_exchange(std::uint16_t port, const std::string& request) {
  const int fd = raw_connect(port, "127.0.0.9");
  REQUIRE(fd >= 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char buffer[4096];
  while (true) {
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
    if (reply.find("\r\n\r\n") != std::string::npos && reply.size() > 12) break;
  }
  ::close(fd);
  return reply;
}

}  // namespace

TEST_CASE("healthz answers with security headers", "[web]") {
  WebFixture f(0);
  const auto r = get(f.url("/healthz"));
  CHECK(r.status == 200);
  CHECK(r.body == "ok\n");
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(r.header("referrer-policy") == "no-referrer");
  CHECK(r.header("content-security-policy").find("frame-ancestors 'none'") != std::string::npos);
  CHECK(r.header("content-security-policy").find("'unsafe-inline'") == std::string::npos);
}

TEST_CASE("every probe answers captive until the client has seen the landing page then online", "[web][portal]") {
  WebFixture f(0);
  for (const auto& p : kProbes) {
    INFO(p.path);
    const auto before = get(f.url(p.path), "127.0.0.2", {std::string("Host: ") + p.host});
    CHECK(before.status == 302);
    CHECK(before.header("location").rfind("http://127.0.0.1:", 0) == 0);
    CHECK(before.body.size() > 50);  // a real body: Android takes an empty 200 for "online"
  }
  const auto landing = get(f.url("/"), "127.0.0.2");
  CHECK(landing.status == 200);
  CHECK(landing.body.find("Anna &amp; Ben") != std::string::npos);
  for (const auto& p : kProbes) {
    INFO(p.path);
    const auto after = get(f.url(p.path), "127.0.0.2", {std::string("Host: ") + p.host});
    CHECK(after.status == p.online_status);
    if (p.online_body != nullptr) CHECK(after.body == p.online_body);
    // Another guest who has not landed yet is still captive.
    const auto other = get(f.url(p.path), "127.0.0.3", {std::string("Host: ") + p.host});
    CHECK(other.status == 302);
  }
}

TEST_CASE("the windows redirect probe always leads to the landing page", "[web][portal]") {
  WebFixture f(0);
  const auto r = get(f.url("/redirect"), "127.0.0.4", {"Host: www.msftconnecttest.com"});
  CHECK(r.status == 302);
  CHECK(r.header("location").find("/") != std::string::npos);
}

TEST_CASE("an unknown host is redirected to the landing page", "[web][portal]") {
  WebFixture f(0);
  const auto r = get(f.url("/some/page?x=1"), "127.0.0.2", {"Host: www.example.com"});
  CHECK(r.status == 302);
  CHECK(r.header("location") == "http://127.0.0.1:" + std::to_string(f.server->port()) + "/");
  const auto ours = get(f.url("/"), "127.0.0.2");
  CHECK(ours.status == 200);
}

TEST_CASE("the landing page tells each phone how to save photos", "[web][portal]") {
  WebFixture f(0);
  const auto iphone =
      get(f.url("/"), "127.0.0.2", {"User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"});
  CHECK(iphone.body.find("Safari") != std::string::npos);
  const auto android = get(f.url("/"), "127.0.0.2", {"User-Agent: Mozilla/5.0 (Linux; Android 14) Mobile"});
  CHECK(android.body.find("download button") != std::string::npos);
  const auto zh = get(f.url("/"), "127.0.0.2", {"Accept-Language: zh-CN,zh;q=0.9,en;q=0.5"});
  CHECK(zh.body.find("lang=\"zh\"") != std::string::npos);
  CHECK(zh.body.find("保存照片") != std::string::npos);
  CHECK(zh.body.find("<script>") == std::string::npos);
}

TEST_CASE("html and css are gzipped for clients that accept it", "[web]") {
  WebFixture f(0);
  HttpRequest req{f.url("/assets/app.css")};
  req.gzip = true;
  const auto r = http(req);
  CHECK(r.status == 200);
  CHECK(r.header("content-encoding") == "gzip");
  CHECK(r.body.find(".grid") != std::string::npos);  // curl decoded it
}

TEST_CASE("path traversal and odd paths never reach a file", "[web][hostile]") {
  WebFixture f(1);
  for (const char* path :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2fapp.css", "/assets/%2e%2e/app.css", "/g/%2e%2e",
        "/assets/app.css%00", "/%c0%ae%c0%ae/etc/passwd", "/g/..%c0%af..%c0%afetc/passwd", "/assets//app.css",
        "/assets/./app.css", "/g/AAAAAAAAAAAAAAAAAAAAAA/t/../../catalog.db"}) {
    INFO(path);
    const std::string reply =
        raw_exchange(f.server->port(), std::string("GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(reply.find("root:") == std::string::npos);
    CHECK(reply.find("SQLite format") == std::string::npos);
    const bool refused = reply.find(" 404 ") != std::string::npos || reply.find(" 400 ") != std::string::npos;
    CHECK(refused);
  }
}

TEST_CASE("a 64 KB header is refused and the server goes on", "[web][hostile]") {
  WebFixture f(0);
  const std::string big(64 * 1024, 'a');
  const auto r = get(f.url("/healthz"), "127.0.0.2", {"X-Big: " + big});
  CHECK(r.status >= 400);
  CHECK(get(f.url("/healthz")).status == 200);
}

TEST_CASE("malformed requests get an error and the server goes on", "[web][hostile]") {
  WebFixture f(0);
  for (const char* request : {"GARBAGE\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET\r\n\r\n", "\x01\x02\x03\r\n\r\n",
                              "GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                              "POST /g/AAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n",
                              "DELETE / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"}) {
    INFO(request);
    (void)raw_exchange(f.server->port(), request);
  }
  CHECK(get(f.url("/healthz")).status == 200);
}

TEST_CASE("slow clients hit the connection caps while others are still served", "[web][hostile]") {
  web::ServerOptions o;
  o.max_connections_per_client = 50;
  o.max_connections = 1000;
  WebFixture f(0, o);
  // 1000 connections that send one header byte and stall, from 20 addresses.
  std::vector<int> slow;
  for (int i = 0; i < 1000; ++i) {
    const std::string source = "127.0.1." + std::to_string(1 + i % 20);
    const int fd = raw_connect(f.server->port(), source.c_str());
    if (fd >= 0) {
      ::send(fd, "G", 1, MSG_NOSIGNAL);
      slow.push_back(fd);
    }
  }
  // The caps are full now; a client that came later is refused rather than queued forever,
  // but connections are released as soon as the slow ones go away.
  for (int fd : slow) ::close(fd);
  slow.clear();
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {
    served = get(f.url("/healthz"), "127.0.0.5").status == 200;
    if (!served) ::usleep(50'000);
  }
  CHECK(served);
}

TEST_CASE("one client cannot take every connection", "[web][hostile]") {
  web::ServerOptions o;
  o.max_connections_per_client = 20;
  WebFixture f(0, o);
  std::vector<int> slow;
  for (int i = 0; i < 200; ++i) {
    const int fd = raw_connect(f.server->port(), "127.0.0.66");
    if (fd >= 0) {
      ::send(fd, "G", 1, MSG_NOSIGNAL);
      slow.push_back(fd);
    }
  }
  // Another guest is served while the first holds all it may.
  CHECK(get(f.url("/healthz"), "127.0.0.7").status == 200);
  for (int fd : slow) ::close(fd);
}

// libh2o keeps per-thread recycling pools for its buffers and frees a stopped loop's wake-up
// pipe only on a later loop iteration that never comes; both are the library's own, held
// until exit, and would otherwise fail every ASan run of this binary.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libh2o-evloop.so\n";
}

TEST_CASE("an ipv6 listener serves ipv6 guests and the box itself over ::1", "[web][ipv6]") {
  web::ServerOptions options;
  options.listen = "[::1]:0";
  WebFixture f(0, options);
  const std::string base = "http://[::1]:" + std::to_string(f.server->port());
  const auto health = get(base + "/healthz", "::1");
  REQUIRE(health.error.empty());
  CHECK(health.status == 200);
  // The organizer's pages are open to the box itself over IPv6 loopback too.
  CHECK(get(base + "/api/galleries", "::1").status == 200);
}

TEST_CASE("a dual-stack listener knows an ipv4 guest by the same address either way", "[web][ipv6]") {
  web::ServerOptions options;
  options.listen = "[::]:0";
  WebFixture f(0, options);
  const std::string v4 = "http://127.0.0.1:" + std::to_string(f.server->port());
  const std::string v6 = "http://[::1]:" + std::to_string(f.server->port());
  CHECK(get(v6 + "/generate_204", "::1").status == 302);
  // Arriving v4-mapped, 127.0.0.2 is still "127.0.0.2": landing moves it, and only it, online.
  CHECK(get(v4 + "/generate_204", "127.0.0.2").status == 302);
  REQUIRE(get(v4 + "/", "127.0.0.2").status == 200);
  CHECK(get(v4 + "/generate_204", "127.0.0.2").status == 204);
  CHECK(get(v4 + "/generate_204", "127.0.0.3").status == 302);
  CHECK(get(v6 + "/generate_204", "::1").status == 302);
  CHECK(get(v4 + "/api/galleries", "127.0.0.1").status == 200);  // loopback is still the box
}

TEST_CASE("a listen address that is not one is refused", "[web][ipv6]") {
  for (const char* bad : {"[::1:80", "::1:80", "[nonsense]:80", "127.0.0.1:99999", "127.0.0.1"}) {
    INFO(bad);
    catalog::ManualClock clock{test_start()};
    web::ServerOptions options;
    options.listen = bad;
    TempDir dir;
    auto c = catalog::Catalog::open(dir / "catalog.db", clock);
    REQUIRE(c.ok());
    auto g = catalog::GalleryStore::open(dir / "catalog.db", clock);
    REQUIRE(g.ok());
    auto l = catalog::AccessLog::open(dir / "catalog.db", {});
    REQUIRE(l.ok());
    auto s = web::Server::start(options, {c->get(), g->get(), l->get(), &clock, dir.path()});
    CHECK_FALSE(s.ok());
  }
}

TEST_CASE("a guest who leaves during the password check leaves the server serving", "[web][hostile]") {
  WebFixture f(1);
  auto created = f.galleries->create("Staff", catalog::Preset::internal, std::string("s3cret"));
  REQUIRE(created.ok());
  REQUIRE(f.server->refresh().ok());
  // Ten guests post a password and hang up at once: each check still runs on the worker,
  // and its resumption must find the request gone rather than answer into freed memory.
  for (int i = 0; i < 10; ++i) {
    const int fd = raw_connect(f.server->port(), "127.0.0.9");
    REQUIRE(fd >= 0);
    const std::string body = "password=wrong";
    const std::string request = "POST /g/" + created->token +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                "Content-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    CHECK(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
    ::close(fd);
  }
  // The right password, from someone who waits, still opens the gallery.
  const auto r = http({f.url("/g/" + created->token), "127.0.0.10", {}, "POST", "password=s3cret"});
  CHECK(r.status == 303);
  CHECK(get(f.url("/healthz"), "127.0.0.10").status == 200);
}

TEST_CASE("a client that has seen the landing page stays online across a restart", "[web][portal]") {
  WebFixture f(0);
  REQUIRE(get(f.url("/"), "127.0.0.2").status == 200);
  REQUIRE(get(f.url("/generate_204"), "127.0.0.2").status == 204);
  // A new server over the same catalog: the phone must not be sent back to the sign-in sheet.
  f.server.reset();
  auto restarted =
      web::Server::start(f.options, {f.catalog.get(), f.galleries.get(), f.log.get(), &f.clock, f.dir / "data"});
  REQUIRE(restarted.ok());
  f.server = std::move(restarted).value();
  CHECK(get(f.url("/generate_204"), "127.0.0.2").status == 204);
  CHECK(get(f.url("/hotspot-detect.html"), "127.0.0.2").body.find("Success") != std::string::npos);
  CHECK(get(f.url("/generate_204"), "127.0.0.3").status == 302);  // others are still captive
  // Kept by salted hash, never by address (in the database or its write-ahead log).
  for (const char* name : {"catalog.db", "catalog.db-wal"}) {
    std::ifstream in(f.dir / "data" / name, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.find("127.0.0.2") == std::string::npos);
  }
}
