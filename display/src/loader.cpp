#include "display/loader.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

#include "catalog/file_system.h"
#include "display/compose.h"
#include "image/decode.h"
#include "image/encode.h"
#include "image/probe.h"
#include "image/transform.h"
#include "realtime.h"

namespace vk::display {
namespace {

// Screen copies fit 1920x1080; anything far bigger in the screen/ folder is not ours.
constexpr std::uint64_t kMaxScreenFileBytes = 64ULL * 1024 * 1024;

Result<image::Image> load_upright(const std::filesystem::path& file, image::Size cover) {
  // read() errors come back as values: an istreambuf_iterator over an ifstream lets libstdc++'s
  // exception for a failed read() (EIO from a failing card or disk) escape and end the show.
  auto read = catalog::posix_file_system().read_file(file, kMaxScreenFileBytes);
  if (!read) return read.error();
  const std::vector<std::uint8_t>& bytes = *read;
  auto info = image::probe(bytes);
  if (!info) return info.error().with_subject(file.string());
  auto decoded = image::decode(bytes, *info, cover);
  if (!decoded) return decoded.error().with_subject(file.string());
  // Screen copies are stored upright; a tag here would still be honoured.
  return image::apply_orientation(std::move(*decoded), info->metadata.orientation);
}

}  // namespace

Loader::Loader(LoaderOptions options)
    : options_(std::move(options)),
      scheduler_(options_.seed, options_.screen.width >= options_.screen.height),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      screen_(options_.screen),
      motion_(options_.motion),
      moderation_(options_.moderation) {
  poll_requested_ = true;  // look at the catalog straight away
  busy_ = true;
  handed_out_.reserve(8);
  thread_ = std::thread([this] { run(); });
}

Loader::~Loader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_thread();
  thread_.join();
}

void Loader::wake_thread() {
  // A write to an eventfd never blocks (unlike notifying a condition variable, which takes
  // glibc's internal lock that the waiting side also takes).
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = write(wake_fd_.get(), &one, sizeof one);
}

void Loader::wait_for_wake(int timeout_ms) {
  pollfd p{wake_fd_.get(), POLLIN, 0};
  ::poll(&p, 1, timeout_ms);
  std::uint64_t count = 0;
  [[maybe_unused]] const auto n = read(wake_fd_.get(), &count, sizeof count);
}

std::optional<ReadySlide> Loader::take_ready() {
  std::optional<ReadySlide> out;
  {
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock || !ready_) return std::nullopt;
    out = std::move(ready_);
    ready_.reset();
    need_prepare_ = true;
    busy_ = true;
  }
  wake_thread();
  return out;
}

std::shared_ptr<const Canvas> Loader::peek_ready() {
  std::unique_lock lock(mutex_, std::try_to_lock);
  return lock && ready_ ? ready_->canvas : nullptr;
}

bool Loader::fresh_ready() {
  std::unique_lock lock(mutex_, std::try_to_lock);
  return lock && ready_ && ready_->fresh;
}

const LoaderStatus& Loader::status() {
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (lock) render_status_ = status_;
  return render_status_;
}

void Loader::set_screen(image::Size size) {
  {
    std::lock_guard lock(mutex_);
    screen_ = size;
    screen_changed_ = true;
    busy_ = true;
  }
  wake_thread();
}

void Loader::set_motion(Motion motion) {
  {
    std::lock_guard lock(mutex_);
    if (motion == motion_) return;
    motion_ = motion;
    screen_changed_ = true;
    busy_ = true;
  }
  wake_thread();
}

void Loader::set_moderation(bool on) {
  {
    std::lock_guard lock(mutex_);
    moderation_ = on;
    force_full_ = true;  // photos leave or join the show: the whole list, not just what is new
    poll_requested_ = true;
    busy_ = true;
  }
  wake_thread();
}

void Loader::request_poll() {
  {
    std::lock_guard lock(mutex_);
    poll_requested_ = true;
    busy_ = true;
  }
  wake_thread();
}

void Loader::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [this] { return !busy_ || stop_; });
}

void Loader::save_preview(image::Image& small) {
  {
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock || preview_) return;
    preview_ = std::move(small);
    small = std::move(preview_spare_);
    preview_spare_ = {};
  }
  wake_thread();
}

void Loader::free_released_slides() {
  // use_count() == 1: only this list holds the canvas, and nothing can copy it again.
  std::erase_if(handed_out_, [](const std::shared_ptr<const Canvas>& c) { return c.use_count() == 1; });
}

void Loader::run() {
  // Started by a real-time render thread (or under systemd's fifo policy) this thread is
  // real-time too: it keeps that for the first slide only, so the first photo is on screen
  // sooner under load, then decodes at normal priority and never competes with the frames.
  bool normal_priority = false;
  using clock = std::chrono::steady_clock;
  auto next_poll = clock::now();
  while (true) {
    free_released_slides();
    bool do_poll = false, do_prepare = false, resized = false;
    std::optional<image::Image> preview;
    {
      std::unique_lock lock(mutex_);
      if (stop_) return;
      const bool work = poll_requested_ || screen_changed_ || preview_ || (need_prepare_ && !ready_);
      const bool poll_due = !options_.lockstep && clock::now() >= next_poll;
      if (!work && !poll_due) {
        busy_ = false;
        lock.unlock();
        idle_cv_.notify_all();
        const auto until_poll = std::chrono::duration_cast<std::chrono::milliseconds>(next_poll - clock::now()).count();
        wait_for_wake(options_.lockstep ? -1 : static_cast<int>(std::clamp<long long>(until_poll + 1, 1, 1000)));
        continue;
      }
      busy_ = true;
      if (poll_due) poll_requested_ = true;
      do_poll = poll_requested_;
      poll_requested_ = false;
      resized = screen_changed_;
      screen_changed_ = false;
      preview.swap(preview_);
      do_prepare = need_prepare_ && !ready_;
    }
    if (preview) {
      write_preview(*preview);
      std::lock_guard lock(mutex_);
      preview_spare_ = std::move(*preview);
    }
    if (do_poll) {
      poll();
      next_poll = clock::now() +
                  std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(options_.poll_seconds));
      std::lock_guard lock(mutex_);
      if (!ready_ && scheduler_.size() > 0) do_prepare = true;  // photos arrived while none was ready
    }
    std::optional<ReadySlide> dropped;  // freed outside the lock
    if (resized) {
      // The prepared slide was composed for the old size (or motion): compose it again.
      std::lock_guard lock(mutex_);
      if (ready_plan_) scheduler_.put_back(*ready_plan_);
      ready_plan_.reset();
      dropped.swap(ready_);
      scheduler_.set_landscape(screen_.width >= screen_.height);
      need_prepare_ = true;
      do_prepare = true;
    }
    bool replace = false;
    {
      // A fresh photo takes the place of a prepared rotation slide.
      std::lock_guard lock(mutex_);
      replace = ready_ && !ready_->fresh && scheduler_.has_fresh();
      if (replace) {
        if (ready_plan_) scheduler_.put_back(*ready_plan_);
        dropped.swap(ready_);
        ready_.reset();
        ready_plan_.reset();
      }
    }
    dropped.reset();
    free_released_slides();
    if (do_prepare || replace) prepare();
    if (!normal_priority && (do_prepare || replace || (do_poll && scheduler_.size() == 0))) {
      make_this_thread_normal();
      normal_priority = true;
    }
  }
}

void Loader::poll() {
  bool moderation = false;
  bool force_full = false;
  {
    std::lock_guard lock(mutex_);
    moderation = moderation_;
    force_full = force_full_;
    force_full_ = false;
  }
  LoaderStatus st;
  {
    std::lock_guard lock(mutex_);
    st = status_;
  }
  ++poll_count_;
  st.polls = poll_count_;
  if (!feed_) {
    auto opened = catalog::PhotoFeed::open(options_.data_dir / "catalog.db");
    if (opened) feed_ = std::move(*opened);
  }
  bool ok = feed_ != nullptr;
  if (ok) {
    // The full list now and then (hidden photos leave), otherwise only what is new.
    const bool full = force_full || scheduler_.size() == 0 ||
                      poll_count_ % static_cast<std::uint64_t>(options_.full_refresh_every) == 1;
    if (full) {
      auto all = feed_->visible(moderation);
      ok = all.ok();
      if (ok) scheduler_.set_photos(*all);
    } else {
      auto fresh = feed_->visible_since(scheduler_.max_id(), moderation);
      ok = fresh.ok();
      if (ok) scheduler_.add_new(*fresh);
    }
    if (ok) {
      auto counts = feed_->status(moderation);
      ok = counts.ok();
      if (ok) st.feed = *counts;
    }
    // A locked or vanished catalog: keep showing what we have, reopen next time.
    if (!ok) feed_.reset();
  }
  st.catalog_ok = ok;
  std::lock_guard lock(mutex_);
  st.has_photos = scheduler_.size() > 0 || ready_.has_value();
  st.broken = status_.broken;
  status_ = st;
}

void Loader::prepare() {
  image::Size screen;
  {
    std::lock_guard lock(mutex_);
    screen = slide_canvas_size(screen_, motion_);
  }
  // A few tries: broken photos are skipped, but a catalog of only broken files must not spin.
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto plan = scheduler_.next();
    if (!plan) break;
    auto slide = build(*plan, screen);  // the canvas size: the screen, or larger to pan
    if (!slide) continue;
    handed_out_.push_back(slide->canvas);
    {
      std::lock_guard lock(mutex_);
      ready_ = std::move(slide);
      ready_plan_ = plan;
      need_prepare_ = false;
      status_.has_photos = true;
    }
    if (options_.wake) options_.wake();
    return;
  }
  std::lock_guard lock(mutex_);
  status_.has_photos = scheduler_.size() > 0;
  // Nothing to prepare: wait for the next poll rather than retrying in a loop.
  need_prepare_ = false;
}

std::optional<ReadySlide> Loader::build(const SlidePlan& plan, image::Size canvas) {
  const bool pair = plan.photos.size() == 2;
  const image::Size box = pair ? image::Size{canvas.width / 2, canvas.height} : canvas;
  std::vector<image::Image> images;
  for (const auto& photo : plan.photos) {
    auto img = load_upright(options_.data_dir / photo.screen_path, box);
    if (!img) {
      // Never garbage on screen: the photo is dropped from the show for good.
      scheduler_.mark_broken(photo.id);
      std::lock_guard lock(mutex_);
      ++status_.broken;
      continue;
    }
    images.push_back(std::move(*img));
  }
  if (images.empty()) return std::nullopt;
  ReadySlide slide;
  slide.fresh = plan.fresh;
  slide.canvas = std::make_shared<const Canvas>(images.size() == 2 ? compose_pair(images[0], images[1], canvas)
                                                                   : compose_single(images[0], canvas));
  for (const auto& p : plan.photos) slide.photos.push_back(p.id);
  slide.caption = plan.photos.front().caption;
  return slide;
}

void Loader::write_preview(const image::Image& small) {
  if (options_.preview_file.empty()) return;
  auto jpeg = image::encode_jpeg(small, 80);
  if (!jpeg) return;
  // temp + rename: the organizer console never reads half a file.
  const auto tmp = options_.preview_file.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out.write(reinterpret_cast<const char*>(jpeg->data()), static_cast<std::streamsize>(jpeg->size()));
    if (!out) return;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, options_.preview_file, ec);
}

}  // namespace vk::display
