#include "catalog/access_log.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "sqlite.h"

namespace vk::catalog {

std::string_view access_kind_name(AccessKind kind) {
  switch (kind) {
    case AccessKind::open: return "open";
    case AccessKind::view: return "view";
    case AccessKind::download: return "download";
    case AccessKind::refused: return "refused";
  }
  return "view";
}

UserAgentInfo classify_user_agent(std::string_view ua) {
  const auto has = [&](std::string_view s) { return ua.find(s) != std::string_view::npos; };
  UserAgentInfo info;
  if (has("iPad") || (has("Android") && !has("Mobile")) || has("Tablet")) {
    info.device = "tablet";
  } else if (has("iPhone") || has("iPod") || has("Android") || has("Mobile")) {
    info.device = "phone";
  } else if (has("Windows") || has("Macintosh") || has("X11") || has("CrOS")) {
    info.device = "desktop";
  } else {
    info.device = "other";
  }
  // Order matters: Chrome's UA also names Safari, Edge's names Chrome, and so on.
  if (has("CaptiveNetworkSupport") || has("wispr")) {
    info.browser = "captive sheet";
  } else if (has("SamsungBrowser")) {
    info.browser = "Samsung Internet";
  } else if (has("Edg/") || has("EdgA/") || has("EdgiOS/")) {
    info.browser = "Edge";
  } else if (has("Firefox/") || has("FxiOS/")) {
    info.browser = "Firefox";
  } else if (has("CriOS/") || has("Chrome/") || has("Chromium/")) {
    info.browser = "Chrome";
  } else if (has("Safari/") || has("AppleWebKit/")) {
    info.browser = "Safari";
  } else if (has("curl/")) {
    info.browser = "curl";
  } else {
    info.browser = "other";
  }
  return info;
}

struct AccessLog::Impl {
  sql::DbPtr db;
  Options options;
  std::mutex mutex;
  std::condition_variable wake, flushed;
  std::deque<AccessEvent> queue;
  std::uint64_t recorded = 0, committed = 0, dropped = 0;
  bool stopping = false;
  bool flush_requested = false;
  Status last_error;
  std::thread writer;

  void run() {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait_for(lock, options.flush_every, [&] { return stopping || flush_requested || queue.size() >= 512; });
      flush_requested = false;
      if (queue.empty()) {
        if (stopping) return;
        continue;
      }
      std::vector<AccessEvent> batch(std::make_move_iterator(queue.begin()), std::make_move_iterator(queue.end()));
      queue.clear();
      lock.unlock();
      Status st = write(batch);
      lock.lock();
      if (!st) last_error = st;
      committed += batch.size();
      flushed.notify_all();
    }
  }

  Status write(const std::vector<AccessEvent>& batch) {
    sql::Transaction tx(db.get());
    VK_RETURN_IF_ERROR(tx.begun());
    for (const auto& e : batch) {
      sql::Statement s(db.get(),
                       "INSERT INTO access_events (at, gallery_id, token_id, photo_id, kind, device, browser, client, detail) "
                       "VALUES (?,?,?,?,?,?,?,?,?)");
      s.bind(1, static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(e.at.time_since_epoch()).count()));
      s.bind(2, e.gallery).bind(3, e.token);
      if (e.photo) {
        s.bind(4, *e.photo);
      } else {
        s.bind_null(4);
      }
      s.bind(5, access_kind_name(e.kind)).bind(6, e.device).bind(7, e.browser).bind(8, e.client).bind(9, e.detail);
      VK_RETURN_IF_ERROR(s.run());
    }
    return tx.commit();
  }
};

AccessLog::AccessLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::filesystem::path& database, Options options) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(database.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  sql::DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return make_error(ErrorCode::database, std::string("cannot open the catalog: ") + sqlite3_errstr(rc), database.string());
  }
  sqlite3_busy_timeout(db.get(), 10'000);
  // The log is a statistic: NORMAL keeps the WAL consistent after a power cut and may lose the
  // last batch, which is acceptable, and it keeps the writer off fsync.
  VK_RETURN_IF_ERROR(sql::exec(db.get(), "PRAGMA synchronous=NORMAL"));
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db);
  impl->options = options;
  Impl* p = impl.get();
  impl->writer = std::thread([p] { p->run(); });
  return std::unique_ptr<AccessLog>(new AccessLog(std::move(impl)));
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  impl_->writer.join();
}

void AccessLog::record(AccessEvent event) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->queue.size() >= impl_->options.max_queue) {
    ++impl_->dropped;
    return;
  }
  impl_->queue.push_back(std::move(event));
  ++impl_->recorded;
  if (impl_->queue.size() >= 512) impl_->wake.notify_one();
}

Status AccessLog::flush() {
  std::unique_lock lock(impl_->mutex);
  const std::uint64_t target = impl_->recorded;
  impl_->flush_requested = true;
  impl_->wake.notify_one();
  impl_->flushed.wait(lock, [&] { return impl_->committed >= target; });
  return impl_->last_error;
}

std::uint64_t AccessLog::dropped() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->dropped;
}

}  // namespace vk::catalog
