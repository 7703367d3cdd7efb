#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <unordered_set>

#include "server_impl.h"

namespace vk::web {

struct Loop;

// A connection counted against the caps; released when h2o closes the socket.
struct Ticket {
  Loop* loop;
  std::string client;
  int fd;
};

// One event loop with its own context and listening socket; runs on its own thread.
struct Loop {
  Server::Impl* server = nullptr;
  h2o_evloop_t* loop = nullptr;
  h2o_context_t ctx{};
  h2o_accept_ctx_t accept_ctx{};
  h2o_socket_t* listener = nullptr;
  h2o_multithread_queue_t* queue = nullptr;
  h2o_multithread_receiver_t stopper{};
  h2o_multithread_message_t stop_message{};
  std::atomic<bool> stopping{false};
  std::unordered_set<Ticket*> open;  // this loop's connections (loop thread only)
  std::thread thread;
};

namespace {

struct Handler {
  h2o_handler_t super;
  Server::Impl* server;
};

Result<sockaddr_in> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  const auto bad = [&] { return make_error(ErrorCode::invalid_input, "expected ADDR:PORT with an IPv4 address", listen); };
  if (colon == std::string::npos) return bad();
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  const std::string host = listen.substr(0, colon);
  if (inet_pton(AF_INET, host.empty() ? "0.0.0.0" : host.c_str(), &sa.sin_addr) != 1) return bad();
  unsigned port = 0;
  const auto* end = listen.data() + listen.size();
  auto [p, ec] = std::from_chars(listen.data() + colon + 1, end, port);
  if (ec != std::errc() || p != end || port > 65535) return bad();
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  return sa;
}

Result<int> open_listener(const sockaddr_in& sa, const std::string& what) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(ErrorCode::io, std::string("cannot make a socket: ") + std::strerror(errno), what);
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  // Each loop listens on its own socket; the kernel spreads new connections across them.
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0 ||
      ::bind(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0 || ::listen(fd, 4096) != 0) {
    const int err = errno;
    ::close(fd);
    return make_error(ErrorCode::io, std::string("cannot listen: ") + std::strerror(err), what);
  }
  return fd;
}

void on_connection_closed(void* data) {
  auto* ticket = static_cast<Ticket*>(data);
  ticket->loop->server->clients.release_connection(ticket->client);
  ticket->loop->open.erase(ticket);
  delete ticket;
}

void on_accept(h2o_socket_t* listener, const char* err) {
  if (err != nullptr) return;
  auto* loop = static_cast<Loop*>(listener->data);
  h2o_socket_t* sock = h2o_evloop_socket_accept(listener);
  if (sock == nullptr) return;
  sockaddr_storage ss{};
  std::string client = "unknown";
  if (h2o_socket_getpeername(sock, reinterpret_cast<sockaddr*>(&ss)) != 0 && ss.ss_family == AF_INET) {
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, text, sizeof text);
    client = text;
  }
  // libh2o has no connection caps: refuse here, before any memory is spent on the client,
  // so a thousand trickling connections from one source cannot lock everyone else out.
  if (!loop->server->clients.acquire_connection(client)) {
    h2o_socket_close(sock);
    return;
  }
  sock->on_close.cb = on_connection_closed;
  auto* ticket = new Ticket{loop, std::move(client), h2o_socket_get_fd(sock)};
  loop->open.insert(ticket);
  sock->on_close.data = ticket;
  h2o_accept(&loop->accept_ctx, sock);
}

void on_stop_message(h2o_multithread_receiver_t* receiver, h2o_linklist_t* messages) {
  while (!h2o_linklist_is_empty(messages)) h2o_linklist_unlink(messages->next);
  auto* loop = reinterpret_cast<Loop*>(reinterpret_cast<char*>(receiver) - offsetof(Loop, stopper));
  loop->stopping = true;
}

int on_req(h2o_handler_t* self, h2o_req_t* req) {
  return handle_request(*reinterpret_cast<Handler*>(self)->server, req);
}

void run_loop(Loop* loop) {
  while (!loop->stopping) {
    // An error from one wait (EINTR, a transient epoll failure) must not end the server.
    h2o_evloop_run(loop->loop, INT32_MAX);
  }
  h2o_socket_read_stop(loop->listener);
  h2o_socket_close(loop->listener);
  loop->listener = nullptr;
  // libh2o cannot close its connections from outside, and its context must not be disposed
  // while any is open: shut the sockets down so each connection sees the end and closes itself.
  for (Ticket* t : loop->open) ::shutdown(t->fd, SHUT_RDWR);
  for (int i = 0; i < 300 && !loop->open.empty(); ++i) h2o_evloop_run(loop->loop, 10);
}

}  // namespace

Server::Impl::Impl(const ServerOptions& o, const ServerDeps& d)
    : options(o), deps(d), clients(o.max_connections, o.max_connections_per_client, std::chrono::minutes(o.session_minutes),
                                   o.guess_limit),
      files(o.open_files) {}

Server::Impl::~Impl() {
  for (auto& loop : loops) {
    if (loop->queue != nullptr) {
      h2o_multithread_unregister_receiver(loop->queue, &loop->stopper);
      h2o_multithread_destroy_queue(loop->queue);
    }
    // A connection that would not close in 3 s keeps its context alive: leaking is better
    // than disposing what h2o still uses.
    if (!loop->open.empty()) continue;
    if (loop->ctx.loop != nullptr) h2o_context_dispose(&loop->ctx);
    if (loop->loop != nullptr) h2o_evloop_destroy(loop->loop);
  }
  if (config_ready) h2o_config_dispose(&config);
}

Status Server::Impl::reload() {
  std::lock_guard lock(refresh_mutex);  // one reload at a time
  VK_ASSIGN_OR_RETURN(auto next, load_snapshot(*deps.galleries, snapshot.load()));
  snapshot.store(std::move(next));
  return {};
}

std::string Server::Impl::client_hash(const std::string& address) const {
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(address.data()), address.size(),
                     reinterpret_cast<const unsigned char*>(client_salt.data()), std::min<std::size_t>(client_salt.size(), 64));
  std::array<char, 33> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return hex.data();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options, const ServerDeps& deps) {
  if (deps.galleries == nullptr || deps.access_log == nullptr || deps.clock == nullptr || deps.catalog == nullptr) {
    return make_error(ErrorCode::internal, "the web server needs the catalog, galleries, access log and clock");
  }
  if (sodium_init() < 0) return make_error(ErrorCode::internal, "libsodium could not start");
  VK_ASSIGN_OR_RETURN(sockaddr_in address, parse_listen(options.listen));
  auto impl = std::make_unique<Impl>(options, deps);
  VK_ASSIGN_OR_RETURN(impl->client_salt, deps.galleries->secret("client-salt"));
  VK_RETURN_IF_ERROR(impl->reload());

  h2o_config_init(&impl->config);
  impl->config_ready = true;
  impl->config.max_request_entity_size = options.max_body_bytes;
  impl->config.http1.upgrade_to_http2 = 0;
  h2o_hostconf_t* host = h2o_config_register_host(&impl->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
  h2o_pathconf_t* path = h2o_config_register_path(host, "/", 0);
  auto* handler = reinterpret_cast<Handler*>(h2o_create_handler(path, sizeof(Handler)));
  handler->super.on_req = on_req;
  handler->server = impl.get();
  // gzip for HTML/CSS/JS/JSON (h2o decides by content type; images are left alone).
  h2o_compress_args_t compress{};
  compress.min_size = 256;
  compress.gzip.quality = 1;
  compress.brotli.quality = -1;
  h2o_compress_register(path, &compress);

  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->server = impl.get();
    if (impl->port != 0) address.sin_port = htons(impl->port);
    VK_ASSIGN_OR_RETURN(const int fd, open_listener(address, options.listen));
    if (impl->port == 0) {
      sockaddr_in bound{};
      socklen_t len = sizeof bound;
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
      impl->port = ntohs(bound.sin_port);
    }
    loop->loop = h2o_evloop_create();
    h2o_context_init(&loop->ctx, loop->loop, &impl->config);
    loop->accept_ctx.ctx = &loop->ctx;
    loop->accept_ctx.hosts = impl->config.hosts;
    loop->listener = h2o_evloop_socket_create(loop->loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    loop->listener->data = loop.get();
    h2o_socket_read_start(loop->listener, on_accept);
    loop->queue = h2o_multithread_create_queue(loop->loop);
    h2o_multithread_register_receiver(loop->queue, &loop->stopper, on_stop_message);
    impl->loops.push_back(std::move(loop));
  }
  for (auto& loop : impl->loops) {
    Loop* l = loop.get();
    l->thread = std::thread([l] { run_loop(l); });
  }
  Impl* p = impl.get();
  impl->refresher = std::thread([p] {
    std::unique_lock lock(p->refresh_mutex);
    while (!p->stopping) {
      p->refresh_wake.wait_for(lock, std::chrono::seconds(1));
      if (p->stopping) break;
      lock.unlock();
      (void)p->reload();  // a failed refresh keeps the previous snapshot
      lock.lock();
    }
  });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->refresh_mutex);
    impl_->stopping = true;
  }
  impl_->refresh_wake.notify_all();
  if (impl_->refresher.joinable()) impl_->refresher.join();
  for (auto& loop : impl_->loops) {
    if (loop->thread.joinable()) {
      h2o_multithread_send_message(&loop->stopper, &loop->stop_message);
      loop->thread.join();
    }
  }
  impl_.reset();
}

std::uint16_t Server::port() const { return impl_ ? impl_->port : 0; }

Status Server::refresh() { return impl_ ? impl_->reload() : Status(); }

}  // namespace vk::web
