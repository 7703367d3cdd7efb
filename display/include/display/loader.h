// The loader: the screen's background thread. It owns the catalog connection and the
// scheduler, polls the catalog for new photos, decodes the next slide's `screen` copy and
// composes it into a ready canvas in the window's format. The render thread only takes what is
// ready and never waits on disk or SQLite.
//
// Memory stays flat whatever the catalog's size: one prepared slide here (plus the one being
// built), the current and the previous slide on the render side, and the catalog's list of
// visible photos (ids and paths, about 100 bytes each).
//
// Threads: the constructor starts the thread, the destructor stops it. Every other member is
// for the render thread, which runs at real-time priority while this thread does not: the
// per-frame calls (take_ready(), fresh_ready(), status(), save_preview()) never wait for the
// loader. They only try the mutex; when the loader holds it they answer "nothing new" and the
// screen keeps what it has for a frame. (A real-time thread blocking on a lock held by a
// normal thread that the import has preempted is a priority inversion: a late frame.) The render
// thread wakes this one through an eventfd, never a condition variable, and never frees a
// canvas: slides stay owned here until the screen lets go of them, then are freed here.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "catalog/photo_feed.h"
#include "display/canvas.h"
#include "display/motion.h"
#include "display/scheduler.h"
#include "image/pixels.h"
#include "vk/unique_fd.h"

namespace vk::display {

struct LoaderOptions {
  std::filesystem::path data_dir;
  bool moderation = false;
  image::Size screen{1920, 1080};
  Motion motion = Motion::off;  // pan: slides are composed larger than the screen (motion.h)
  // Real time: look for new photos this often. Lockstep (tests, snapshots): only when asked.
  double poll_seconds = 0.25;
  bool lockstep = false;
  int full_refresh_every = 20;  // polls; a full list catches photos hidden or unapproved later
  std::uint32_t seed = 1;
  std::function<void()> wake;          // called (from the loader thread) when a slide is ready
  std::filesystem::path preview_file;  // live preview JPEG, empty: none
};

struct ReadySlide {
  std::shared_ptr<const Canvas> canvas;
  std::vector<catalog::PhotoId> photos;
  bool fresh = false;
  std::string caption;
};

struct LoaderStatus {
  bool catalog_ok = false;   // the last poll worked
  bool has_photos = false;   // something to show (false: the welcome screen)
  catalog::FeedStatus feed;  // counts, running import, uploads
  std::uint64_t broken = 0;  // photos skipped because they could not be decoded
  std::uint64_t polls = 0;
};

class Loader {
 public:
  explicit Loader(LoaderOptions options);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // The prepared next slide, if one is ready and the loader is not holding the lock; the loader
  // then prepares the one after. Never waits.
  std::optional<ReadySlide> take_ready();
  // The prepared next slide's canvas without taking it (the GPU uploads it ahead of its fade);
  // null when none is ready or the loader holds the lock. Never waits.
  std::shared_ptr<const Canvas> peek_ready();
  // True when the prepared slide is a fresh photo (it should interrupt the current dwell).
  // Never waits (false while the loader holds the lock).
  bool fresh_ready();
  // The latest status; the previous one while the loader holds the lock. Never waits.
  const LoaderStatus& status();
  // The window changed size: slides are composed for `size` from now on.
  void set_screen(image::Size size);
  // Lockstep: poll the catalog now; wait_idle() returns once the poll and the preparation
  // it caused are done.
  void request_poll();
  void wait_idle();
  // Encodes and writes the live preview on the loader thread (the frame is already small).
  // Never waits: dropped when the loader holds the lock or has not written the last one yet
  // (the next one comes 5 s later). Takes `small`'s pixels and gives back, in `small`, the
  // buffer of a preview already written, so the render thread can shrink into it next time
  // without allocating (empty the first times round).
  void save_preview(image::Image& small);
  void set_moderation(bool on);
  // Motion turned on or off (SIGHUP): slides are composed at slide_canvas_size() from now on,
  // the prepared one again.
  void set_motion(Motion motion);

 private:
  void run();
  void poll();
  void prepare();
  std::optional<ReadySlide> build(const SlidePlan& plan, image::Size canvas);
  void write_preview(const image::Image& small);
  void wake_thread();
  void wait_for_wake(int timeout_ms);
  void free_released_slides();

  LoaderOptions options_;
  // Loader thread only:
  Scheduler scheduler_;
  std::unique_ptr<catalog::PhotoFeed> feed_;
  std::uint64_t poll_count_ = 0;
  std::optional<SlidePlan> ready_plan_;  // the plan behind ready_, to put back if replaced
  // Every canvas handed out, kept until the screen holds no reference to it: the last
  // reference is then this one, so the 8 MB are freed on this thread (see the class comment).
  std::vector<std::shared_ptr<const Canvas>> handed_out_;
  UniqueFd wake_fd_;  // eventfd: the render thread's wake-up

  // Render thread only: the status it last managed to read.
  LoaderStatus render_status_;

  std::mutex mutex_;                 // guards everything below
  std::condition_variable idle_cv_;  // loader -> render: busy_ went false (lockstep wait_idle)
  bool stop_ = false;
  bool poll_requested_ = false;
  bool busy_ = false;
  bool need_prepare_ = true;
  std::optional<ReadySlide> ready_;
  std::optional<image::Image> preview_;  // waiting to be written
  image::Image preview_spare_;           // written already; its buffer goes back to the render thread
  image::Size screen_;
  Motion motion_;
  bool screen_changed_ = false;  // the screen size or the motion changed: compose again
  bool moderation_;
  bool force_full_ = false;
  LoaderStatus status_;
  std::thread thread_;
};

}  // namespace vk::display
