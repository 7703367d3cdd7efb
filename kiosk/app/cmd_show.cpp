// `venuekiosk show`: the big screen. Wires the display module to the configuration, the
// signals (SIGTERM/SIGINT stop, SIGHUP reloads the configuration) and systemd (READY, the
// watchdog heartbeat from the render loop).
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <iostream>

#include "commands.h"
#include "display/show.h"

namespace vk::app {
namespace {

struct ShowArgs {
  std::string video_driver;
  std::string output = "surface";
  bool windowed = false;
  std::string size = "1920x1080";
  std::optional<std::filesystem::path> snapshot;
  int frames = 0;
  int fades = 0;
  int snapshot_every = 1;
  int poll_every_frames = 15;
  std::filesystem::path stats;
  std::optional<std::filesystem::path> preview;
  bool no_preview = false;
  bool realtime = false;
  double fps = 60;
};

// The signals the show answers, read without blocking from the render loop.
class SignalInbox {
 public:
  SignalInbox() {
    sigemptyset(&set_);
    for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set_, s);
    // Blocked before any thread starts, so every thread inherits the mask and only poll() sees them.
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void poll() {
    timespec zero{};
    int s = 0;
    while ((s = sigtimedwait(&set_, nullptr, &zero)) > 0) {
      if (s == SIGHUP)
        reload_ = true;
      else
        stop_ = true;
    }
  }
  bool stop() {
    poll();
    return stop_;
  }
  bool take_reload() {
    poll();
    const bool r = reload_;
    reload_ = false;
    return r;
  }

 private:
  sigset_t set_;
  bool stop_ = false, reload_ = false;
};

std::optional<image::Size> parse_size(const std::string& text) {
  int w = 0, h = 0;
  if (std::sscanf(text.c_str(), "%dx%d", &w, &h) != 2 || w < 64 || h < 64 || w > 16384 || h > 16384)
    return std::nullopt;
  return image::Size{w, h};
}

int run_show_command(const ShowArgs& args, const GlobalOptions& global) {
  SignalInbox signals;
  auto config = resolve_config(global);
  if (!config) {
    std::cerr << "venuekiosk show: " << config.error().describe() << "\n";
    return kExitFailed;
  }
  const auto size = parse_size(args.size);
  if (!size) {
    std::cerr << "venuekiosk show: --size must look like 1920x1080\n";
    return kExitUsage;
  }

  display::ShowOptions o;
  o.config = *config;
  o.driver = args.output;
  o.driver_options.video_driver = args.video_driver;
  o.driver_options.windowed = args.windowed;
  o.driver_options.window_size = *size;
  o.driver_options.drm_device = config->screen.drm_device;
  o.memory_size = *size;
  o.frames = args.frames;
  o.max_fades = args.fades;
  o.fps = args.fps;
  o.snapshot_dir = args.snapshot;
  o.simulated_clock = args.snapshot.has_value();
  o.snapshot_every = args.snapshot_every;
  o.poll_every_frames = args.poll_every_frames;
  o.stats_file = args.stats;
  o.realtime = args.realtime;
  if (!args.no_preview) o.preview_file = args.preview.value_or(config->data_dir / "preview.jpg");

  bool ready_sent = false;
  o.heartbeat = [&ready_sent] {
    if (!ready_sent) {
      sd_notify(0, "READY=1\nSTATUS=showing");
      ready_sent = true;
    }
    sd_notify(0, "WATCHDOG=1");
  };
  o.should_stop = [&signals] { return signals.stop(); };
  o.reload = [&signals, &global, &args]() -> std::optional<catalog::Config> {
    if (!signals.take_reload()) return std::nullopt;
    auto fresh = resolve_config(global);
    if (!fresh) {
      std::cerr << "venuekiosk show: keeping the old configuration: " << fresh.error().describe() << "\n";
      return std::nullopt;
    }
    (void)args;
    std::cerr << "venuekiosk show: configuration reloaded\n";
    return *fresh;
  };

  auto summary = display::run_show(o);
  sd_notify(0, "STOPPING=1");
  if (!summary) {
    std::cerr << "venuekiosk show: " << summary.error().describe() << "\n";
    return kExitFailed;
  }
  if (args.snapshot) {
    std::cerr << "venuekiosk show: " << summary->frames << " frames (" << summary->driver << ") in "
              << args.snapshot->string() << "\n";
  }
  return kExitOk;
}

}  // namespace

Command add_show_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* sub = app.add_subcommand("show", "Run the big screen: a fullscreen slideshow with the QR code");
  sub->add_option("--video-driver", args->video_driver,
                  "SDL video driver: kmsdrm, x11, wayland, offscreen, dummy (default: SDL's choice)");
  sub->add_option("--output", args->output,
                  "surface: SDL window surface, no GL (desktop without a GPU); renderer: SDL renderer (GPU, KMSDRM + "
                  "GLES); dumb: KMS dumb buffers on /dev/dri/cardN, no SDL, no GL (console without a GPU)")
      ->check(CLI::IsMember({"surface", "renderer", "dumb", "memory"}));
  sub->add_flag("--windowed", args->windowed, "A window instead of fullscreen (development)");
  sub->add_option("--size", args->size, "Window size for --windowed, offscreen and dummy, e.g. 1280x720");
  sub->add_option("--snapshot", args->snapshot,
                  "Write frames as PNG into this folder; the clock is simulated (frame N at N/60 s)");
  sub->add_option("--frames", args->frames, "Stop after this many frames (0: run until stopped)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--fades", args->fades, "Stop once this many crossfades are complete (benchmarks; 0: no limit)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--snapshot-every", args->snapshot_every, "With --snapshot: write every Nth frame (and the last)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--poll-every-frames", args->poll_every_frames, "With --snapshot: look for new photos every N frames")
      ->check(CLI::PositiveNumber);
  sub->add_option("--stats", args->stats, "Write frame-time statistics as JSON to this file when stopping");
  sub->add_option("--preview", args->preview, "Live preview JPEG, rewritten every 5 s (default: DATA/preview.jpg)");
  sub->add_flag("--no-preview", args->no_preview, "No live preview file");
  sub->add_flag("--realtime", args->realtime, "Real-time priority for the render thread (SCHED_FIFO)");
  sub->add_option("--fps", args->fps, "Frame clock")->check(CLI::Range(10.0, 240.0));
  return {sub, [args, &global] { return run_show_command(*args, global); }};
}

}  // namespace vk::app
