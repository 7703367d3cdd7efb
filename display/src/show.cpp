#include "display/show.h"

#include <SDL.h>
#include <SDL_image.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

#include "display/blend.h"
#include "display/loader.h"
#include "display/motion.h"
#include "display/panels.h"
#include "display/qr_content.h"
#include "display/text.h"
#include "frame_stats.h"
#include "preview.h"
#include "realtime.h"
#include "sdl_handles.h"

namespace vk::display {
namespace {

using steady = std::chrono::steady_clock;

// A fresh photo interrupts the rotation: a short fade, and a fresh slide stays at least this
// long before the next fresh one replaces it (a card of 240 photos must not flicker).
constexpr double kFreshFadeSeconds = 0.5;
constexpr double kFreshMinDwellSeconds = 3.0;
constexpr int kCornerEverySlides = 3;  // qr_corner = "rotate"
// At start-up the first photo replaces the welcome screen with a cut, not a fade from a
// screen shown for a split second.
constexpr double kStartupCutSeconds = 2.0;
// Work that may stall the render thread (designing the welcome screen) is only done this long
// before the end of a dwell, so the next fade's first frames are on time.
constexpr double kQuietMarginSeconds = 0.3;
constexpr std::uint32_t kWelcomeBackground = xrgb(14, 26, 48);  // the top of make_welcome's gradient
constexpr int kPreviewStep = 4;  // the live preview is a quarter of the screen's size (480x270)
// A fade from fade_from_, a picture with its overlays drawn in, draws none over it.
constexpr OverlayLayout kNoOverlays;

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// An absolute sleep on CLOCK_MONOTONIC (steady_clock's clock in libstdc++): no drift from the
// time between reading the clock and going to sleep, which a relative sleep adds when the
// thread is preempted in between. Restarted after a signal.
void sleep_until(steady::time_point deadline) {
  const auto since_epoch = deadline.time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(secs.count());
  ts.tv_nsec = static_cast<long>(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - secs).count());
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

double unix_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Status save_png(const FrameView& view, const std::filesystem::path& file) {
  sdl::SurfacePtr surface(SDL_CreateRGBSurfaceWithFormatFrom(view.pixels, view.width, view.height, 32, view.stride * 4,
                                                             SDL_PIXELFORMAT_RGB888));
  if (!surface || IMG_SavePNG(surface.get(), file.c_str()) != 0) {
    return make_error(ErrorCode::io, std::string("cannot write the frame: ") + SDL_GetError(), file.string());
  }
  return {};
}

std::string clock_text() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char text[8];
  std::strftime(text, sizeof text, "%H:%M", &tm);
  return text;
}

Result<std::unique_ptr<ScreenDriver>> open_driver(const ShowOptions& o) {
  if (o.driver == "memory") return make_memory_driver(o.memory_size);
  if (o.driver == "renderer") return make_renderer_driver(o.driver_options);
  if (o.driver == "dumb") return make_dumb_buffer_driver(o.driver_options);
  return make_surface_driver(o.driver_options);
}

// The picture: what is shown, what fades in, and the designed parts drawn over it.
class Show {
 public:
  Show(const ShowOptions& o, ScreenDriver& driver, TextRenderer& text)
      : o_(o), config_(o.config), driver_(driver), text_(text), overlays_(text, driver.size()) {}

  Result<int> run();
  [[nodiscard]] const FrameStats& stats() const { return stats_; }

 private:
  void rebuild_designed_parts();
  void design_welcome();
  void advance(double t, Loader& loader, const LoaderStatus& status);
  // Fills `st` in place: assigning into the same strings every frame reuses their storage, where
  // building a new state copied the title and caption onto the heap each frame.
  void update_overlay_state(const LoaderStatus& status, OverlayState& st) const;
  void start_fade(std::shared_ptr<const Canvas> to, std::vector<std::int64_t> ids, bool fresh, std::string caption,
                  double t, bool cut = false);
  void compose_still(const OverlayState& overlay);
  void note_presented(double t);
  // screen.motion on this driver; true when it changed. Says once in the log when pan-zoom
  // runs as pan.
  bool choose_motion_now();
  [[nodiscard]] bool moving() const { return motion_ != Motion::off; }
  // The driver's compositor when it can hold slides of `slide`'s size as layers, else null.
  [[nodiscard]] LayerCompositor* compositor_for(image::Size slide) const;
  // The previous slide and the overlays' layouts are kept and drawn every frame (motion, or the
  // GPU), instead of being composed once into pictures (still_, fade_from_).
  [[nodiscard]] bool keeps_slides() const { return moving() || gpu_ != nullptr; }
  // The new picture's weight in the fade at `t`, 0..256, eased by a smoothstep (the fade starts
  // and ends gently).
  [[nodiscard]] double fade_weight(double t) const {
    const double progress = std::clamp((t - fade_start_) / fade_length_, 0.0, 1.0);
    return std::round(progress * progress * (3 - 2 * progress) * 256);
  }
  // The screen-sized part of `slide` shown at `t`: centred without motion, gliding with it.
  [[nodiscard]] ConstView window_of(const Canvas& slide, double appeared, int path, double t) const;
  // With motion on, every drawn frame: the window(s) of the slide(s), then the overlays.
  void draw_moving(const FrameView& view, double t, int weight);
  // On the GPU, every drawn frame: the same as layers, which the GPU scales and blends.
  Status draw_layers(double t, int weight);
  // Says a failure to draw or show a frame in the log (see draw_error_ for how often).
  void note_draw_error(const Status& status);
  // The part of a slide the GPU shows at `t`: zooming, gliding between pixels, or centred.
  [[nodiscard]] Window layer_window(const Canvas& slide, double appeared, int path, double t) const;

  const ShowOptions& o_;
  catalog::Config config_;
  ScreenDriver& driver_;
  TextRenderer& text_;
  Overlays overlays_;
  image::Size screen_;
  std::shared_ptr<const Canvas> welcome_;
  // The designed welcome screen is drawn only when it is needed (no photos, or none ready in
  // time): at start-up with photos it would only delay the first one. Until then welcome_ is
  // a plain canvas in the welcome's colour.
  bool welcome_designed_ = false;

  std::shared_ptr<const Canvas> current_, previous_;
  std::vector<std::int64_t> showing_, fading_in_;
  std::string caption_;
  bool current_fresh_ = false;
  bool fading_ = false;
  double fade_start_ = 0, fade_length_ = 1, slide_start_ = 0;
  int slides_ = 0;
  FrameStats stats_;
  bool fade_counted_ = false;
  bool photo_shown_ = false;   // a photo has been on screen since the start
  bool presented_new_ = true;  // the current slide has been presented at least once
  int fades_done_ = 0;

  // Overlays are drawn once per picture, not per frame: `still_` is the current slide with its
  // overlays (what a steady frame shows), `fade_from_` the picture a fade leaves. A fade frame
  // is then only the blend of the two; the overlays fade with their slide (a caption fades
  // out with its photo), which equals drawing them over the blend, since drawing a sprite is
  // affine in the pixels below it.
  Canvas still_, fade_from_;
  std::shared_ptr<const Canvas> still_source_;
  std::optional<OverlayState> still_overlay_;

  // Motion (screen.motion = pan): slides are larger than the screen and every frame shows a
  // moving window of them, so no picture is kept; the overlays are drawn each frame from a
  // layout made once per overlay state. `from_layout_` is the layout of the picture a fade leaves.
  Motion motion_ = Motion::off;
  bool motion_noted_ = false;
  double current_appeared_ = 0, previous_appeared_ = 0;  // when the slide's fade-in started
  int current_path_ = 0, previous_path_ = 0;
  OverlayLayout layout_, from_layout_;
  std::optional<OverlayState> layout_overlay_;  // the state layout_ was made for
  OverlayState frame_overlay_;                  // this frame's, refilled in place
  image::Image preview_buffer_;                 // the live preview, shrunk into and handed back
  std::vector<int> preview_columns_;            // preview_from_layers' column map
  ConstView drawn_window_;                      // the window the last drawn frame showed

  // The GPU (a driver with a compositor, slides that fit its textures): it draws every frame
  // from layers, whatever the motion - it blends and scales, the CPU only says what to draw.
  // A frame's layers are refilled in place (capacity kept, so a frame allocates nothing); the
  // frame is read back only for tests and snapshots (the preview is drawn from the layers on
  // the CPU, see preview_from_layers); fade_from_'s picture is
  // shared with the GPU when a fade began on the CPU (before a resize).
  LayerCompositor* gpu_ = nullptr;
  std::vector<SlideLayer> slide_layers_;
  std::vector<SpriteLayer> sprite_layers_;
  Canvas read_back_;
  std::shared_ptr<const Canvas> fade_from_layer_;
  // The last error drawing or showing a frame: said when it is new, and again at most once a
  // minute while it lasts, so a failure on every frame does not flood the journal.
  std::string draw_error_;
  steady::time_point draw_error_said_{};
};

bool same_overlay(const OverlayState& a, const OverlayState& b) {
  const bool same_import = a.import.has_value() == b.import.has_value() &&
                           (!a.import || (a.import->done == b.import->done && a.import->total == b.import->total));
  return a.title == b.title && a.photo_count == b.photo_count && same_import &&
         a.uploads_pending == b.uploads_pending && a.uploads_failed == b.uploads_failed && a.clock == b.clock &&
         a.caption == b.caption && a.welcome == b.welcome && a.qr_corner == b.qr_corner && a.show_qr == b.show_qr;
}

void Show::rebuild_designed_parts() {
  screen_ = driver_.size();
  overlays_.set_screen(screen_);
  overlays_.set_qr_panel(make_qr_panel(qr_entries(config_), config_.screen.qr_caption, screen_, text_));
  welcome_ =
      welcome_designed_
          ? std::make_shared<const Canvas>(make_welcome(screen_, config_.event_title, overlays_.qr_panel(), text_))
          : std::make_shared<const Canvas>(screen_.width, screen_.height, kWelcomeBackground);
  // A slide composed for this screen is screen-sized, or larger to pan (motion on or just off).
  const bool fits =
      current_ && (current_->size() == screen_ || current_->size() == slide_canvas_size(screen_, Motion::pan));
  if (!fits) {
    // Old canvases are the wrong size; the welcome screen until the loader catches up.
    current_ = welcome_;
    showing_.clear();
    previous_.reset();
    fading_ = false;
  }
  still_source_.reset();  // new designed parts or size: compose the picture again
  layout_overlay_.reset();
}

void Show::design_welcome() {
  welcome_designed_ = true;
  const bool on_welcome = current_ == welcome_;
  welcome_ = std::make_shared<const Canvas>(make_welcome(screen_, config_.event_title, overlays_.qr_panel(), text_));
  if (on_welcome) current_ = welcome_;
}

LayerCompositor* Show::compositor_for(image::Size slide) const {
  LayerCompositor* gpu = driver_.compositor();
  if (gpu == nullptr) return nullptr;
  const image::Size most = gpu->max_layer_size();
  return slide.width <= most.width && slide.height <= most.height ? gpu : nullptr;
}

bool Show::choose_motion_now() {
  const bool zoom_fits = compositor_for(slide_canvas_size(screen_, Motion::pan_zoom)) != nullptr;
  const MotionChoice choice = choose_motion(config_.screen.motion, o_.driver, zoom_fits);
  if (!choice.note.empty() && !motion_noted_) {
    std::cerr << "venuekiosk show: " << choice.note << "\n";
    motion_noted_ = true;
  }
  const bool changed = choice.motion != motion_;
  motion_ = choice.motion;
  gpu_ = compositor_for(slide_canvas_size(screen_, motion_));
  return changed;
}

ConstView Show::window_of(const Canvas& slide, double appeared, int path, double t) const {
  if (slide.size() == screen_) return slide.cview();
  if (!moving()) {
    const Offset o = centred_offset(slide.size(), screen_);
    return slide.window(o.x, o.y, screen_);
  }
  // The window crosses the whole margin over the slide's time on screen: fade in, dwell, fade out.
  const double span = std::max(0.1, config_.screen.dwell_seconds + 2 * config_.screen.fade_seconds);
  const Offset o = pan_offset(slide.size(), screen_, path, (t - appeared) / span);
  return slide.window(o.x, o.y, screen_);
}

void Show::draw_moving(const FrameView& view, double t, int weight) {
  const ConstView to = window_of(*current_, current_appeared_, current_path_, t);
  if (fading_ && (previous_ || fade_from_.size() == screen_)) {
    // A fade that started with motion off leaves its picture in fade_from_ (overlays included).
    const ConstView from =
        previous_ ? window_of(*previous_, previous_appeared_, previous_path_, t) : fade_from_.cview();
    crossfade(from, to, weight, view);
    draw_layout_fade(previous_ ? from_layout_ : kNoOverlays, layout_, weight, view);
  } else {
    copy_to_screen(to, view);
    draw_layout(layout_, view);
  }
  drawn_window_ = to;
}

void Show::note_draw_error(const Status& status) {
  if (status) return;
  const auto now = steady::now();
  std::string said = status.error().describe();
  if (said == draw_error_ && now - draw_error_said_ < std::chrono::minutes(1)) return;
  draw_error_ = std::move(said);
  draw_error_said_ = now;
  std::cerr << "venuekiosk show: " << draw_error_ << "\n";
}

Window Show::layer_window(const Canvas& slide, double appeared, int path, double t) const {
  if (motion_ == Motion::off || slide.size() == screen_) {
    // The centred window, as window_of() shows it without motion (the whole slide when it is
    // screen-sized: the offset is then 0).
    const Offset o = centred_offset(slide.size(), screen_);
    const ConstView centred = slide.window(o.x, o.y, screen_);
    return {static_cast<double>(o.x), static_cast<double>(o.y), static_cast<double>(centred.width),
            static_cast<double>(centred.height)};
  }
  const double span = std::max(0.1, config_.screen.dwell_seconds + 2 * config_.screen.fade_seconds);
  const double progress = (t - appeared) / span;
  return motion_ == Motion::pan_zoom ? zoom_window(slide.size(), screen_, path, progress)
                                     : pan_window(slide.size(), screen_, path, progress);
}

Status Show::draw_layers(double t, int weight) {
  slide_layers_.clear();
  sprite_layers_.clear();
  const auto add_sprite = [this](const OverlayLayout::Item& item, int opacity) {
    sprite_layers_.push_back({item.sprite, item.x, item.y, opacity});
  };
  if (fading_ && !previous_ && fade_from_.size() == screen_ && !fade_from_layer_) {
    // The fade began on the CPU: its first picture (overlays included) as a layer, once.
    fade_from_layer_ = std::make_shared<const Canvas>(fade_from_);
  }
  const std::shared_ptr<const Canvas>& from = previous_ ? previous_ : fade_from_layer_;
  if (fading_ && from) {
    const Window from_window =
        previous_ ? layer_window(*previous_, previous_appeared_, previous_path_, t)
                  : Window{0, 0, static_cast<double>(screen_.width), static_cast<double>(screen_.height)};
    slide_layers_.push_back({from, from_window, 256});
    slide_layers_.push_back({current_, layer_window(*current_, current_appeared_, current_path_, t), weight});
    for_each_fading_item(previous_ ? from_layout_ : kNoOverlays, layout_, weight, add_sprite);
  } else {
    slide_layers_.push_back({current_, layer_window(*current_, current_appeared_, current_path_, t), 256});
    for (const auto& item : layout_.items) add_sprite(item, 256);
  }
  return gpu_->draw_layers(slide_layers_, sprite_layers_);
}

void Show::compose_still(const OverlayState& overlay) {
  if (still_.size() != screen_) still_ = Canvas(screen_.width, screen_.height);
  copy_view(window_of(*current_, current_appeared_, current_path_, 0), still_.view());
  overlays_.draw(overlay, still_.view());
  still_source_ = current_;
  still_overlay_ = overlay;
}

void Show::note_presented(double t) {
  if (presented_new_) return;
  presented_new_ = true;
  if (current_ == welcome_) return;
  if (!photo_shown_) stats_.set_first_photo(t, unix_seconds());
  photo_shown_ = true;
  if (current_fresh_) {
    for (auto id : fading_in_.empty() ? showing_ : fading_in_) stats_.add_fresh(id, unix_seconds());
  }
}

void Show::start_fade(std::shared_ptr<const Canvas> to, std::vector<std::int64_t> ids, bool fresh, std::string caption,
                      double t, bool cut) {
  previous_ = current_;
  previous_appeared_ = current_appeared_;
  previous_path_ = current_path_;
  current_appeared_ = t;
  current_path_ = slides_;
  if (keeps_slides()) {
    // The old slide stays under the fade (moving, or drawn by the GPU): its canvas and overlays
    // stay until it ends.
    std::swap(from_layout_, layout_);
    layout_overlay_.reset();
  } else if (still_source_ == previous_ && still_.size() == screen_) {
    // The picture on screen now (the last steady frame) is where the fade starts.
    std::swap(fade_from_, still_);
    previous_.reset();  // its picture lives on in fade_from_: one canvas less during the fade
  } else {
    fade_from_ = Canvas();  // composed from previous_ at the first fade frame
  }
  still_source_.reset();
  fade_from_layer_.reset();
  presented_new_ = false;
  current_ = std::move(to);
  fading_in_ = std::move(ids);
  caption_ = std::move(caption);
  current_fresh_ = fresh;
  fade_length_ = fresh ? std::min(config_.screen.fade_seconds, kFreshFadeSeconds) : config_.screen.fade_seconds;
  if (cut) fade_length_ = 0;
  fade_start_ = t;
  fading_ = fade_length_ > 0;
  fade_counted_ = false;
  ++slides_;
  if (!fading_) {
    showing_ = fading_in_;
    fading_in_.clear();
    previous_.reset();
    slide_start_ = t;
  }
}

void Show::advance(double t, Loader& loader, const LoaderStatus& status) {
  if (fading_) {
    if (t - fade_start_ < fade_length_) return;
    fading_ = false;
    previous_.reset();
    fade_from_layer_.reset();
    // fade_from_ keeps its pixels: the next fade swaps it in as the new picture's canvas, so
    // no fade allocates (and page-faults) 8 MB on the render thread.
    showing_ = fading_in_;
    fading_in_.clear();
    slide_start_ = t;
    ++fades_done_;
  }
  const bool on_welcome = current_ == welcome_;
  const double shown_for = t - slide_start_;
  const bool dwell_over = shown_for >= config_.screen.dwell_seconds;
  const bool fresh_waiting = loader.fresh_ready() && !(current_fresh_ && shown_for < kFreshMinDwellSeconds);
  if (on_welcome || dwell_over || fresh_waiting) {
    if (auto ready = loader.take_ready()) {
      const bool cut = on_welcome && !photo_shown_ && t < kStartupCutSeconds;
      start_fade(ready->canvas, ready->photos, ready->fresh, ready->caption, t, cut);
      return;
    }
  }
  // Every photo hidden or the catalog emptied: back to the welcome screen, never black.
  if (!on_welcome && !status.has_photos && status.catalog_ok && dwell_over) {
    start_fade(welcome_, {}, false, {}, t);
  }
}

void Show::update_overlay_state(const LoaderStatus& status, OverlayState& st) const {
  st.title = config_.event_title;
  st.photo_count = status.feed.visible;
  st.import = status.feed.import;
  st.uploads_pending = status.feed.uploads_pending;
  st.uploads_failed = status.feed.uploads_failed;
  st.welcome = current_ == welcome_ && !fading_;
  st.show_qr = config_.screen.qr_mode != "off";
  if (config_.screen.qr_corner == "rotate") {
    static constexpr Corner kOrder[] = {Corner::bottom_right, Corner::bottom_left, Corner::top_left, Corner::top_right};
    st.qr_corner = kOrder[(slides_ / kCornerEverySlides) % 4];
  } else {
    st.qr_corner = parse_corner(config_.screen.qr_corner);
  }
  if (config_.screen.show_clock && !o_.simulated_clock) {
    st.clock = clock_text();
  } else {
    st.clock.clear();
  }
  if (config_.screen.show_caption) {
    st.caption = caption_;
  } else {
    st.caption.clear();
  }
}

Result<int> Show::run() {
  // The loader first: its first slide is decoded while the designed parts are drawn.
  screen_ = driver_.size();
  // Before the loader starts: it inherits real-time priority for its first slide (see loader.cpp).
  if (o_.realtime) {
    if (auto why = make_this_thread_realtime(); !why.empty()) {
      std::cerr << "venuekiosk show: no real-time priority (" << why << "); frames may be late under load\n";
    }
  }
  LoaderOptions lo;
  lo.data_dir = config_.data_dir;
  lo.moderation = config_.screen.moderation;
  lo.screen = screen_;
  choose_motion_now();
  lo.motion = motion_;
  lo.lockstep = o_.simulated_clock;
  lo.seed = o_.seed;
  lo.preview_file = o_.preview_file;
  // No wake-up from the loader: the loop runs at a fixed cadence and looks every frame, and
  // pushing an SDL event would take the event queue's lock that the render thread takes too.
  Loader loader(lo);
  rebuild_designed_parts();
  if (o_.snapshot_dir) {
    std::error_code ec;
    std::filesystem::create_directories(*o_.snapshot_dir, ec);
    if (ec)
      return make_error(ErrorCode::io, "cannot make the snapshot folder: " + ec.message(), o_.snapshot_dir->string());
  }

  const double frame_seconds = 1.0 / o_.fps;
  const auto start = steady::now();
  auto deadline = start;
  double last_heartbeat = -1, last_preview = -1e9;
  std::optional<OverlayState> drawn_overlay;
  std::shared_ptr<const Canvas> drawn_source;  // the slide the last drawn frame showed
  bool force_draw = true;
  int frame = 0;
  for (; o_.frames == 0 || frame < o_.frames; ++frame) {
    if (o_.max_fades > 0 && fades_done_ >= o_.max_fades) break;
    const auto tick = steady::now();
    // Where a late frame's time went (the bench's evidence; cheap: a clock read per phase and
    // two getrusage calls a frame).
    const auto slot = deadline;
    const auto since_slot = [slot] { return std::chrono::duration<double, std::milli>(steady::now() - slot).count(); };
    FramePhases phases;
    phases.frame = frame;
    phases.at = std::chrono::duration<double>(slot.time_since_epoch()).count();
    phases.woke = std::chrono::duration<double, std::milli>(tick - slot).count();
    rusage usage0{};
    getrusage(RUSAGE_THREAD, &usage0);
    const double t = o_.simulated_clock ? frame * frame_seconds : std::chrono::duration<double>(tick - start).count();
    if (o_.simulated_clock && frame % std::max(1, o_.poll_every_frames) == 0) {
      loader.request_poll();
      loader.wait_idle();
    }
    const DriverEvents events = driver_.poll_events(0);
    if (!events.note.empty()) std::cerr << "venuekiosk show: " << events.note << "\n";
    if (events.quit || (o_.should_stop && o_.should_stop())) break;
    phases.events = since_slot();
    if (events.resized && driver_.size() != screen_) {
      rebuild_designed_parts();
      loader.set_screen(screen_);
      // A larger screen's slides may not fit the GPU's textures: zoom then runs as pan.
      if (choose_motion_now()) loader.set_motion(motion_);
      force_draw = true;
    }
    if (o_.reload) {
      if (auto fresh_config = o_.reload()) {
        const bool moderation_changed = fresh_config->screen.moderation != config_.screen.moderation;
        config_ = *fresh_config;
        const bool on_welcome = current_ == welcome_;
        rebuild_designed_parts();
        if (on_welcome) current_ = welcome_;
        if (moderation_changed) loader.set_moderation(config_.screen.moderation);
        if (choose_motion_now()) {
          loader.set_motion(motion_);
          if (!keeps_slides() && fading_ && previous_) {
            // Motion turned off mid-fade: the fade goes on from the old slide, now still.
            fade_from_ = Canvas(screen_.width, screen_.height);
            copy_view(window_of(*previous_, previous_appeared_, previous_path_, t), fade_from_.view());
            draw_layout(from_layout_, fade_from_.view());
          }
          if (!keeps_slides()) from_layout_ = {};  // kept only while slides are kept
        }
        force_draw = true;
      }
    }
    const LoaderStatus& status = loader.status();
    if (!welcome_designed_) {
      // Designing the welcome screen takes ~40 ms under load (an 8 MB canvas, gradients, text):
      // at once when it is needed, otherwise in the quiet part of a dwell, where no frame is
      // drawn, so it never delays a fade (it made the first fade's frames late).
      const bool needed = (status.polls > 0 && !status.has_photos) || (current_ == welcome_ && t >= kStartupCutSeconds);
      // With motion on no part of a dwell is quiet: designed only when needed.
      const bool quiet = !moving() && !fading_ && current_ != welcome_ && presented_new_ &&
                         t - slide_start_ < config_.screen.dwell_seconds - kQuietMarginSeconds;
      if (needed || (t >= kStartupCutSeconds && quiet)) design_welcome();
    }
    advance(t, loader, status);
    if (gpu_ != nullptr && !fading_) {
      // The next slide becomes a texture during the dwell, not on the first frame of its fade.
      if (auto next = loader.peek_ready()) {
        const std::uint64_t before = gpu_->uploads();
        note_draw_error(gpu_->prepare(next));
        stats_.add_gpu_uploads(gpu_->uploads() - before, false);
      }
    }
    update_overlay_state(status, frame_overlay_);
    const OverlayState& overlay = frame_overlay_;
    phases.loader = since_slot();
    const bool every_frame = o_.snapshot_dir.has_value() || static_cast<bool>(o_.on_frame);
    // With motion on a steady slide is drawn again each time its window moves a pixel; on the
    // GPU it moves by fractions of a pixel, every frame.
    const bool window_moved =
        gpu_ != nullptr
            ? moving() && current_->size() != screen_
            : moving() && window_of(*current_, current_appeared_, current_path_, t).pixels != drawn_window_.pixels;
    const bool draw = force_draw || fading_ || every_frame || !drawn_overlay ||
                      !same_overlay(*drawn_overlay, overlay) || current_ != drawn_source || window_moved;
    if (draw) {
      const double cpu0 = thread_cpu_ms();
      const bool stale = still_source_ != current_ || !still_overlay_ || !same_overlay(*still_overlay_, overlay) ||
                         still_.size() != screen_;
      double weight = 256;
      bool present = true;
      bool skipped = false;  // no buffer to draw into: the next frame draws again
      if (keeps_slides()) {
        if (!layout_overlay_ || !same_overlay(*layout_overlay_, overlay)) {
          layout_ = overlays_.layout(overlay);  // once per overlay state, as a still picture
          layout_overlay_ = overlay;
        }
        if (fading_) {
          weight = fade_weight(t);
          if (!fade_counted_) {
            stats_.add_fade();
            fade_counted_ = true;
          }
        }
      } else if (fading_) {
        if (fade_from_.size() != screen_ && previous_) {
          // No steady frame of the old slide to start from (a fade straight after a resize).
          fade_from_ = Canvas(screen_.width, screen_.height);
          copy_view(window_of(*previous_, previous_appeared_, previous_path_, t), fade_from_.view());
          overlays_.draw(drawn_overlay.value_or(overlay), fade_from_.view());
        }
        weight = fade_weight(t);
        if (stale) {
          compose_still(overlay);
          // The first frame of a fade is the old picture, already on screen: this frame only
          // prepares the new one (in live mode; tests and snapshots want every frame drawn).
          present = weight > 0 || every_frame;
        }
        if (!fade_counted_) {
          stats_.add_fade();
          fade_counted_ = true;
        }
      } else if (stale) {
        compose_still(overlay);
      }
      phases.compose = since_slot();
      if (present) {
        const bool preview_due = !o_.preview_file.empty() && t - last_preview >= o_.preview_seconds;
        FrameView view;  // the frame's pixels; on the GPU only when read back (tests, snapshots)
        if (gpu_ != nullptr) {
          const std::uint64_t before = gpu_->uploads();
          Status drawn = draw_layers(t, static_cast<int>(weight));
          stats_.add_gpu_uploads(gpu_->uploads() - before, fading_);
          if (drawn && every_frame) {
            drawn = gpu_->read_frame(read_back_);
            if (drawn) view = read_back_.view();
          } else if (drawn && preview_due) {
            preview_from_layers(slide_layers_, sprite_layers_, screen_, kPreviewStep, preview_buffer_,
                                preview_columns_);
            loader.save_preview(preview_buffer_);
            last_preview = t;
          }
          note_draw_error(drawn);
        } else if (auto begun = driver_.begin_frame(); !begun) {
          // No buffer to draw into this time (a flip that never completed, a screen gone):
          // the frame is skipped, and the next one asks again.
          note_draw_error(Status(begun.error()));
          skipped = true;
        } else {
          view = *begun;
          if (moving()) {
            draw_moving(view, t, static_cast<int>(weight));
          } else if (fading_ && fade_from_.size() == screen_) {
            crossfade(fade_from_, still_, static_cast<int>(weight), view);
          } else {
            copy_to_screen(still_.cview(), view);
          }
        }
        phases.drawn = since_slot();
        // A zoomed frame has no pixels here unless it was read back for these.
        if (o_.on_frame && view.pixels != nullptr) {  // built only for tests: its id lists are copies
          FrameInfo info{frame, t, showing_, fading_ ? fading_in_ : std::vector<std::int64_t>{}, current_ == welcome_};
          if (fading_) info.showing.clear();
          o_.on_frame(info, view);
        }
        const bool last = o_.frames > 0 && frame + 1 == o_.frames;
        if (o_.snapshot_dir && view.pixels != nullptr && (frame % std::max(1, o_.snapshot_every) == 0 || last)) {
          char name[32];
          std::snprintf(name, sizeof name, "frame-%05d.png", frame);
          VK_RETURN_IF_ERROR(save_png(view, *o_.snapshot_dir / name));
        }
        if (preview_due && view.pixels != nullptr) {
          shrink_into(view, kPreviewStep, preview_buffer_);
          loader.save_preview(preview_buffer_);
          last_preview = t;
        }
        if (!skipped) {
          note_draw_error(driver_.present());
          note_presented(t);  // a skipped frame showed nothing new: the next one counts
        }
        phases.shown = since_slot();
      }
      const auto done = steady::now();
      const double work_ms = std::chrono::duration<double, std::milli>(done - tick).count();
      const bool late = !o_.simulated_clock && done - deadline > std::chrono::duration_cast<steady::duration>(
                                                                     std::chrono::duration<double>(frame_seconds));
      stats_.add(work_ms, thread_cpu_ms() - cpu0, fading_, late);
      rusage usage1{};
      getrusage(RUSAGE_THREAD, &usage1);
      phases.cpu = thread_cpu_ms() - cpu0;
      phases.minor_faults = usage1.ru_minflt - usage0.ru_minflt;
      phases.major_faults = usage1.ru_majflt - usage0.ru_majflt;
      phases.voluntary_switches = usage1.ru_nvcsw - usage0.ru_nvcsw;
      phases.involuntary_switches = usage1.ru_nivcsw - usage0.ru_nivcsw;
      stats_.add_counters(phases.minor_faults, phases.voluntary_switches, phases.involuntary_switches);
      if (late) stats_.add_late(phases);
      drawn_overlay = overlay;
      drawn_source = current_;
      force_draw = skipped;
    }
    if (o_.heartbeat && t - last_heartbeat >= 1.0) {
      o_.heartbeat();
      last_heartbeat = t;
    }
    if (!o_.simulated_clock) {
      deadline += std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(frame_seconds));
      const auto now = steady::now();
      // Far behind (a stall, a suspended VM): start a new cadence instead of racing to catch up.
      if (now - deadline > std::chrono::milliseconds(250)) deadline = now;
      sleep_until(deadline);
    }
  }
  stats_.set_frames(frame);
  if (!o_.stats_file.empty()) stats_.write_json(o_.stats_file, driver_.describe());
  return frame;
}

}  // namespace

Result<ShowSummary> run_show(const ShowOptions& options) {
  VK_ASSIGN_OR_RETURN(auto driver, open_driver(options));
  return run_show(options, *driver);
}

Result<ShowSummary> run_show(const ShowOptions& options, ScreenDriver& driver) {
  VK_ASSIGN_OR_RETURN(auto text, TextRenderer::create());
  Show show(options, driver, *text);
  VK_ASSIGN_OR_RETURN(const int frames, show.run());
  return ShowSummary{frames, driver.describe(), show.stats().gpu_uploads(), show.stats().gpu_uploads_in_fades()};
}

}  // namespace vk::display
