// `venuekiosk show`: the big screen's render loop.
//
// The loop runs on the calling thread (the render thread). Every frame it takes what the
// loader prepared, advances the slideshow (dwell, crossfade, fresh photos first), and when the
// picture changes composes it into the driver's frame: a copy, or our own blend of two canvases
// during a fade, then the overlays; on a driver with a GPU compositor it hands the same over as
// layers and the GPU draws them. It never touches the disk or the catalog itself.
//
// Snapshot mode (tests, `--snapshot`): a simulated clock (frame N at N/fps seconds) and a
// catalog poll every `poll_every_frames` frames in lockstep with the loader, so the same catalog
// gives the same frames on any machine.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/config.h"
#include "display/canvas.h"
#include "display/driver.h"
#include "vk/result.h"

namespace vk::display {

// What is on the screen at a frame (for tests and stats).
struct FrameInfo {
  int frame = 0;
  double seconds = 0;                   // the (simulated or real) clock
  std::vector<std::int64_t> showing;    // photo ids fully on screen (empty: welcome)
  std::vector<std::int64_t> fading_in;  // photo ids appearing in a crossfade
  bool welcome = false;
};

struct ShowOptions {
  catalog::Config config;
  std::string driver = "surface";  // surface | renderer | dumb | memory
  DriverOptions driver_options;
  image::Size memory_size{1920, 1080};  // memory driver only

  int frames = 0;     // stop after this many frames; 0: run until asked to stop
  int max_fades = 0;  // stop once this many crossfades are complete; 0: no limit (benchmarks)
  double fps = 60.0;
  bool simulated_clock = false;                       // frame N at N/fps s, loader in lockstep
  int poll_every_frames = 15;                         // simulated clock: catalog poll period
  std::optional<std::filesystem::path> snapshot_dir;  // PNG frames
  int snapshot_every = 1;                             // write every Nth frame (the last frame always)
  std::filesystem::path stats_file;                   // JSON frame statistics, empty: none
  std::filesystem::path preview_file;                 // live preview JPEG, empty: none
  double preview_seconds = 5.0;
  bool realtime = false;  // SCHED_FIFO for the render thread (the loader stays normal)
  std::uint32_t seed = 1;

  std::function<void()> heartbeat;                                   // about once a second
  std::function<std::optional<catalog::Config>()> reload;            // a new config after SIGHUP
  std::function<bool()> should_stop;                                 // SIGTERM
  std::function<void(const FrameInfo&, const FrameView&)> on_frame;  // each drawn frame (tests)
};

struct ShowSummary {
  int frames = 0;
  std::string driver;  // describe() of the driver
  // On the GPU path: textures filled (slides and overlay sprites, made or refilled), and how
  // many of those were in the frames of a fade, where an upload costs the frame its time.
  std::uint64_t gpu_uploads = 0;
  std::uint64_t gpu_uploads_in_fades = 0;
};

Result<ShowSummary> run_show(const ShowOptions& options);
// The same on a driver the caller opened (options.driver is not used): tests give it one that
// fails on cue.
Result<ShowSummary> run_show(const ShowOptions& options, ScreenDriver& driver);

}  // namespace vk::display
