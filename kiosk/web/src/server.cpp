#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <new>
#include <unordered_set>

#include "access_hook.h"
#include "http.h"
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
//
// Every h2o object of a loop is made and destroyed on that loop's thread (see run_loop): a
// socket takes its buffers from the recycle bin of the thread that created it (libh2o keeps
// one per thread), so a socket made on the main thread would have two loops allocating from
// the main thread's bin at once, and one destroyed after its loop's thread ended would free
// into a bin that no longer exists. Both corrupt the heap.
struct Loop {
  Server::Impl* server = nullptr;
  int listen_fd = -1;  // bound and listening; the loop thread wraps it in `listener`
  h2o_evloop_t* loop = nullptr;
  h2o_context_t ctx{};
  h2o_accept_ctx_t accept_ctx{};
  h2o_socket_t* listener = nullptr;
  h2o_multithread_queue_t* queue = nullptr;
  h2o_multithread_receiver_t stopper{};
  h2o_multithread_message_t stop_message{};
  h2o_multithread_receiver_t tasks{};  // resumptions posted by the workers
  std::atomic<bool> stopping{false};
  std::unordered_set<Ticket*> open;          // this loop's connections (loop thread only)
  std::atomic<int> connections{0};           // open or on their way here; read by every loop's accept
  h2o_multithread_receiver_t handoffs{};     // connections another loop accepted for this one
  std::uint64_t snapshot_version = 0;        // loop thread only: see current_snapshot()
  std::atomic<std::uint64_t> thumbnails{0};  // written by this loop only; see count_thumbnail()
  std::shared_ptr<const Snapshot> snapshot;  // loop thread only
  std::thread thread;
};

namespace {

struct Handler {
  h2o_handler_t super;
  Server::Impl* server;
};

// A listening address: "127.0.0.1:8080", ":80" (every IPv4 address), "[::]:80" (IPv6 and,
// through v4-mapped addresses, IPv4 too) or "[::1]:8080".
struct ListenAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  [[nodiscard]] const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  [[nodiscard]] std::uint16_t port() const {
    return ntohs(storage.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port
                                               : reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  }
  void set_port(std::uint16_t port) {
    if (storage.ss_family == AF_INET6) {
      reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
    } else {
      reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
    }
  }
};

Result<ListenAddress> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  const auto bad = [&] {
    return make_error(ErrorCode::invalid_input, "expected ADDR:PORT (an IPv4 address, or an IPv6 one in brackets)",
                      listen);
  };
  if (colon == std::string::npos) return bad();
  unsigned port = 0;
  const auto* end = listen.data() + listen.size();
  auto [p, ec] = std::from_chars(listen.data() + colon + 1, end, port);
  if (ec != std::errc() || p != end || port > 65535) return bad();
  std::string host = listen.substr(0, colon);
  ListenAddress out;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
    in6->sin6_family = AF_INET6;
    host = host.substr(1, host.size() - 2);
    if (inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) != 1) return bad();
    out.length = sizeof(sockaddr_in6);
  } else {
    auto* in = reinterpret_cast<sockaddr_in*>(&out.storage);
    in->sin_family = AF_INET;
    if (inet_pton(AF_INET, host.empty() ? "0.0.0.0" : host.c_str(), &in->sin_addr) != 1) return bad();
    out.length = sizeof(sockaddr_in);
  }
  out.set_port(static_cast<std::uint16_t>(port));
  return out;
}

Result<int> open_listener(const ListenAddress& address, const std::string& what) {
  const int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(ErrorCode::io, std::string("cannot make a socket: ") + std::strerror(errno), what);
  const int on = 1, off = 0;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  // "[::]" serves IPv4 guests too (as v4-mapped addresses, which peer_address() prints as IPv4),
  // whatever the system's net.ipv6.bindv6only says.
  if (address.storage.ss_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  // Each loop listens on its own socket; the kernel spreads new connections across them.
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0 ||
      ::bind(fd, address.get(), address.length) != 0 || ::listen(fd, 4096) != 0) {
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
  ticket->loop->connections.fetch_sub(1, std::memory_order_relaxed);
  delete ticket;
}

// An accepted connection on its way to the loop that will serve it.
struct Handoff {
  h2o_multithread_message_t message;  // first: h2o links messages through it
  Loop* loop;
  int fd;
};

// Serves an accepted connection on `loop` (its thread only): caps, then h2o. The connection
// was counted in loop->connections by the accepting loop.
void adopt(Loop* loop, int fd) {
  h2o_socket_t* sock = h2o_evloop_socket_create(loop->loop, fd, H2O_SOCKET_FLAG_IS_ACCEPTED_CONNECTION);
  sockaddr_storage ss{};
  std::string client = "unknown";
  if (h2o_socket_getpeername(sock, reinterpret_cast<sockaddr*>(&ss)) != 0)
    client = format_peer(reinterpret_cast<sockaddr*>(&ss));
  // libh2o has no connection caps: refuse here, before any memory is spent on the client,
  // so a thousand trickling connections from one source cannot lock everyone else out.
  if (!loop->server->clients.acquire_connection(client)) {
    h2o_socket_close(sock);
    loop->connections.fetch_sub(1, std::memory_order_relaxed);
    return;
  }
  sock->on_close.cb = on_connection_closed;
  auto* ticket = new Ticket{loop, std::move(client), h2o_socket_get_fd(sock)};
  loop->open.insert(ticket);
  sock->on_close.data = ticket;
  h2o_accept(&loop->accept_ctx, sock);
}

// SO_REUSEPORT spreads connections by a hash of their addresses, so 200 connections land
// 110/90 as often as not, and the fuller loop's guests wait longer (the loops get equal CPU).
// Each accept therefore goes to the loop with the fewest connections, this one on a tie.
Loop* least_busy(Loop* self) {
  Loop* best = self;
  int fewest = self->connections.load(std::memory_order_relaxed);
  for (auto& other : self->server->loops) {
    if (other->stopping) continue;
    const int n = other->connections.load(std::memory_order_relaxed);
    if (n < fewest) {
      fewest = n;
      best = other.get();
    }
  }
  return best;
}

void on_accept(h2o_socket_t* listener, const char* err) {
  if (err != nullptr) return;
  auto* loop = static_cast<Loop*>(listener->data);
  // What h2o_evloop_socket_accept() does, but keeping the descriptor free to go to another loop.
  const int fd = ::accept4(h2o_socket_get_fd(listener), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return;
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  Loop* target = least_busy(loop);
  target->connections.fetch_add(1, std::memory_order_relaxed);
  if (target == loop) {
    adopt(loop, fd);
    return;
  }
  auto* handoff = new Handoff{{}, target, fd};
  h2o_multithread_send_message(&target->handoffs, &handoff->message);
}

void on_handoff_message(h2o_multithread_receiver_t*, h2o_linklist_t* messages) {
  while (!h2o_linklist_is_empty(messages)) {
    auto* handoff = reinterpret_cast<Handoff*>(messages->next);
    h2o_linklist_unlink(&handoff->message.link);
    if (handoff->loop->stopping) {  // too late: its connections are being shut down
      ::close(handoff->fd);
      handoff->loop->connections.fetch_sub(1, std::memory_order_relaxed);
    } else {
      adopt(handoff->loop, handoff->fd);
    }
    delete handoff;
  }
}

void on_stop_message(h2o_multithread_receiver_t* receiver, h2o_linklist_t* messages) {
  while (!h2o_linklist_is_empty(messages)) h2o_linklist_unlink(messages->next);
  auto* loop = reinterpret_cast<Loop*>(reinterpret_cast<char*>(receiver) - offsetof(Loop, stopper));
  loop->stopping = true;
}

// A resumption travelling from a worker to a loop thread.
struct LoopTask {
  h2o_multithread_message_t message;  // first: h2o links tasks through it
  std::function<void()> run;
};

void on_task_message(h2o_multithread_receiver_t*, h2o_linklist_t* messages) {
  while (!h2o_linklist_is_empty(messages)) {
    auto* task = reinterpret_cast<LoopTask*>(messages->next);
    h2o_linklist_unlink(&task->message.link);
    task->run();
    delete task;
  }
}

// Whether the request a job belongs to is still there; read and written on its loop thread only.
struct JobState {
  bool request_alive = true;
};

// Lives in the request's pool: h2o disposing the request (the guest left) marks the job orphaned.
struct RequestWatch {
  std::shared_ptr<JobState> state;
  ~RequestWatch() { state->request_alive = false; }
};

int on_req(h2o_handler_t* self, h2o_req_t* req) {
  return handle_request(*reinterpret_cast<Handler*>(self)->server, req);
}

// Makes the loop's h2o objects; on the loop's own thread (see Loop).
void open_loop(Loop* loop) {
  Server::Impl& server = *loop->server;
  loop->loop = h2o_evloop_create();
  h2o_context_init(&loop->ctx, loop->loop, &server.config);
  loop->accept_ctx.ctx = &loop->ctx;
  loop->accept_ctx.hosts = server.config.hosts;
  loop->listener = h2o_evloop_socket_create(loop->loop, loop->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
  loop->listen_fd = -1;  // the listener owns it now
  loop->listener->data = loop;
  h2o_socket_read_start(loop->listener, on_accept);
  loop->queue = h2o_multithread_create_queue(loop->loop);
  h2o_multithread_register_receiver(loop->queue, &loop->stopper, on_stop_message);
  h2o_multithread_register_receiver(loop->queue, &loop->tasks, on_task_message);
  h2o_multithread_register_receiver(loop->queue, &loop->handoffs, on_handoff_message);
}

// Destroys what open_loop() made, once no other thread can post to this loop's queue.
void close_loop(Loop* loop) {
  // Connections handed over as this loop stopped: never adopted, closed here.
  while (!h2o_linklist_is_empty(&loop->handoffs._messages)) {
    auto* handoff = reinterpret_cast<Handoff*>(loop->handoffs._messages.next);
    h2o_linklist_unlink(&handoff->message.link);
    ::close(handoff->fd);
    delete handoff;
  }
  // A connection that would not close in 3 s keeps everything alive: leaking is better than
  // disposing what h2o still uses.
  if (!loop->open.empty()) return;
  // Resumptions that arrived after the last run: their requests are gone, so each only frees
  // its job.
  on_task_message(&loop->tasks, &loop->tasks._messages);
  on_stop_message(&loop->stopper, &loop->stopper._messages);
  h2o_multithread_unregister_receiver(loop->queue, &loop->stopper);
  h2o_multithread_unregister_receiver(loop->queue, &loop->tasks);
  h2o_multithread_unregister_receiver(loop->queue, &loop->handoffs);
  h2o_multithread_destroy_queue(loop->queue);
  loop->queue = nullptr;
  h2o_context_dispose(&loop->ctx);
  h2o_evloop_destroy(loop->loop);
  loop->loop = nullptr;
}

void run_loop(Loop* loop) {
  open_loop(loop);
  // No loop accepts (and so hands a connection to another) before every queue exists.
  loop->server->loops_open->arrive_and_wait();
  while (!loop->stopping) {
    // An error from one wait (EINTR, a transient epoll failure) must not end the server.
    h2o_evloop_run(loop->loop, INT32_MAX);
  }
  h2o_socket_read_stop(loop->listener);
  h2o_socket_close(loop->listener);
  loop->listener = nullptr;
  // This loop accepts no more, so it hands no connection to another loop from here on.
  loop->server->loops_accepting->count_down();
  // libh2o cannot close its connections from outside, and its context must not be disposed
  // while any is open: shut the sockets down so each connection sees the end and closes itself.
  for (Ticket* t : loop->open) ::shutdown(t->fd, SHUT_RDWR);
  for (int i = 0; i < 300 && !loop->open.empty(); ++i) h2o_evloop_run(loop->loop, 10);
  // Another loop may still hand this one a connection until it too has stopped accepting.
  loop->server->loops_accepting->wait();
  close_loop(loop);
}

}  // namespace

bool run_off_loop(Server::Impl& server, Workers& pool, h2o_req_t* req, std::function<void()> work,
                  std::function<void(h2o_req_t*)> resume, std::function<void(h2o_req_t*)> abandon) {
  Loop* loop = nullptr;
  for (auto& l : server.loops) {
    if (&l->ctx == req->conn->ctx) loop = l.get();
  }
  if (loop == nullptr) return false;
  auto state = std::make_shared<JobState>();
  void* memory = h2o_mem_alloc_shared(&req->pool, sizeof(RequestWatch),
                                      [](void* p) { static_cast<RequestWatch*>(p)->~RequestWatch(); });
  new (memory) RequestWatch{state};
  // Goes to the loop when the job is gone from the pool: run (resume) or dropped unrun by
  // Workers::stop() (abandon), so no request waits for a job that will never come back.
  struct Delivery {
    Loop* loop = nullptr;
    h2o_req_t* req = nullptr;
    std::shared_ptr<JobState> state;
    std::function<void(h2o_req_t*)> resume, abandon;
    bool ran = false;
    bool refused = false;  // post() refused the job: the caller answers, nothing is sent
    Delivery() = default;
    Delivery(const Delivery&) = delete;
    Delivery& operator=(const Delivery&) = delete;
    ~Delivery() {
      if (refused) return;
      auto then = ran ? std::move(resume) : std::move(abandon);
      auto* task = new LoopTask{{}, [req = req, state = std::move(state), then = std::move(then)] {
                                  if (state->request_alive) then(req);
                                }};
      h2o_multithread_send_message(&loop->tasks, &task->message);
    }
  };
  if (!abandon) {
    abandon = [](h2o_req_t* r) {
      send_text(r, 503, "text/plain; charset=utf-8", "The photo box is restarting. Try again in a minute.\n");
    };
  }
  auto delivery = std::make_shared<Delivery>();  // built in place: a moved-from copy would post too
  delivery->loop = loop;
  delivery->req = req;
  delivery->state = std::move(state);
  delivery->resume = std::move(resume);
  delivery->abandon = std::move(abandon);
  const bool queued = pool.post([delivery, work = std::move(work)] {
    work();
    delivery->ran = true;
  });
  if (queued) return true;
  // A pool that is stopping refuses because the server is: the request gets abandon's answer
  // ("restarting"), like the jobs the pool dropped, not a full queue's "try again in a few
  // seconds". The answer goes through the loop's queue, after this handler has returned.
  if (pool.stopping()) return true;
  delivery->refused = true;
  return false;
}

Server::Impl::Impl(const ServerOptions& o, const ServerDeps& d)
    : options(o),
      deps(d),
      clients(o.max_connections, o.max_connections_per_client, std::chrono::minutes(o.session_minutes), o.guess_limit),
      files(o.open_files),
      workers(o.password_workers, 256),
      catalog_writes(1, 1024),
      file_reads(1, 256) {}

Server::Impl::~Impl() {
  // Each loop's thread destroyed its own h2o objects (run_loop); only the listening sockets of
  // a start that failed before the loops ran are left.
  for (auto& loop : loops) {
    if (loop->listen_fd >= 0) ::close(loop->listen_fd);
  }
  if (config_ready) h2o_config_dispose(&config);
}

Status Server::Impl::reload() {
  std::lock_guard lock(refresh_mutex);  // one reload at a time
  auto previous = snapshot.load();
  VK_ASSIGN_OR_RETURN(auto next, load_snapshot(*deps.galleries, previous));
  if (next == previous) return {};  // nothing changed: the loops keep theirs
  snapshot.store(std::move(next));
  snapshot_version.fetch_add(1, std::memory_order_release);
  return {};
}

std::string Server::Impl::client_hash(const std::string& address) const {
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(address.data()),
                     address.size(), reinterpret_cast<const unsigned char*>(client_salt.data()),
                     std::min<std::size_t>(client_salt.size(), 64));
  std::array<char, 33> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return hex.data();
}

namespace {

Loop* loop_of(Server::Impl& server, h2o_req_t* req) {
  for (auto& l : server.loops) {
    if (&l->ctx == req->conn->ctx) return l.get();
  }
  return nullptr;
}

}  // namespace

const Snapshot& current_snapshot(Server::Impl& server, h2o_req_t* req) {
  Loop* loop = loop_of(server, req);
  if (loop == nullptr) {  // not a loop's request (never, by construction): no cache to use
    thread_local std::shared_ptr<const Snapshot> held;
    held = server.snapshot.load();
    return *held;
  }
  // The version is read first: the snapshot loaded after it is at least that new.
  const std::uint64_t version = server.snapshot_version.load(std::memory_order_acquire);
  if (loop->snapshot == nullptr || loop->snapshot_version != version) {
    loop->snapshot = server.snapshot.load();
    loop->snapshot_version = version;
  }
  return *loop->snapshot;
}

void count_thumbnail(Server::Impl& server, h2o_req_t* req) {
  Loop* loop = loop_of(server, req);
  if (loop == nullptr) return;
  // One writer: a plain load and store, no locked read-modify-write.
  loop->thumbnails.store(loop->thumbnails.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

std::uint64_t thumbnails_served(const Server::Impl& server) {
  std::uint64_t total = 0;
  for (const auto& loop : server.loops) total += loop->thumbnails.load(std::memory_order_relaxed);
  return total;
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  stop();
}

Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options, const ServerDeps& deps) {
  if (deps.galleries == nullptr || deps.access_log == nullptr || deps.clock == nullptr || deps.catalog == nullptr) {
    return make_error(ErrorCode::internal, "the web server needs the catalog, galleries, access log and clock");
  }
  if (sodium_init() < 0) return make_error(ErrorCode::internal, "libsodium could not start");
  VK_ASSIGN_OR_RETURN(ListenAddress address, parse_listen(options.listen));
  auto impl = std::make_unique<Impl>(options, deps);
  VK_ASSIGN_OR_RETURN(impl->client_salt, deps.galleries->secret("client-salt"));
  VK_ASSIGN_OR_RETURN(auto landed, deps.galleries->landed_clients());
  impl->landed_before_start.insert(std::make_move_iterator(landed.begin()), std::make_move_iterator(landed.end()));
  VK_RETURN_IF_ERROR(impl->reload());

  h2o_config_init(&impl->config);
  impl->config_ready = true;
  impl->config.max_request_entity_size = options.max_body_bytes;
  impl->config.http1.upgrade_to_http2 = 0;
  // No "server: h2o/2.2.5" header: it tells a guest's phone nothing it needs, names the version
  // to anyone probing, and costs a second sprintf in h2o's header writer on every response.
  impl->config.server_name = h2o_iovec_init(H2O_STRLIT(""));
  h2o_hostconf_t* host = h2o_config_register_host(&impl->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
  h2o_pathconf_t* path = h2o_config_register_path(host, "/", 0);
  auto* handler = reinterpret_cast<Handler*>(h2o_create_handler(path, sizeof(Handler)));
  handler->super.on_req = on_req;
  handler->server = impl.get();
  register_access_logger(path, *deps.access_log,
                         [p = impl.get()](const std::string& peer) { return p->client_hash(peer); });
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
    if (impl->port != 0) address.set_port(impl->port);
    // Bound and listening here, so an address in use is an error of start(), and guests who
    // connect before the loop runs wait in the kernel's backlog.
    VK_ASSIGN_OR_RETURN(loop->listen_fd, open_listener(address, options.listen));
    if (impl->port == 0) {
      ListenAddress bound;
      bound.length = sizeof bound.storage;
      ::getsockname(loop->listen_fd, reinterpret_cast<sockaddr*>(&bound.storage), &bound.length);
      impl->port = bound.port();
    }
    impl->loops.push_back(std::move(loop));
  }
  impl->loops_open.emplace(threads + 1);
  impl->loops_accepting.emplace(threads);
  for (auto& loop : impl->loops) {
    Loop* l = loop.get();
    l->thread = std::thread([l] { run_loop(l); });
  }
  impl->loops_open->arrive_and_wait();  // stop() may post to the loops from here on
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
  // Before the loops: a finishing job posts its resumption to a loop's queue. The catalog
  // writer runs what it was given (a landed phone must stay landed across the restart).
  impl_->workers.stop();
  impl_->file_reads.stop();
  impl_->catalog_writes.drain();
  // Every loop is told before any is joined: each waits at its end for all to stop accepting.
  for (auto& loop : impl_->loops) {
    if (loop->thread.joinable()) h2o_multithread_send_message(&loop->stopper, &loop->stop_message);
  }
  for (auto& loop : impl_->loops) {
    if (loop->thread.joinable()) loop->thread.join();
  }
  impl_.reset();
}

std::uint16_t Server::port() const {
  return impl_ ? impl_->port : 0;
}

Status Server::refresh() {
  return impl_ ? impl_->reload() : Status();
}

Status Server::flush_tracking() {
  if (!impl_) return {};
  for (int i = 0; i < 500 && impl_->tracking_in_flight.load() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (impl_->tracking_in_flight.load() > 0)
    return make_error(ErrorCode::internal, "requests still hold access events after 5 s");
  return impl_->deps.access_log->flush();
}

}  // namespace vk::web
