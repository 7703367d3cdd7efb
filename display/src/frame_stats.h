// Frame timing of the render loop, written as JSON for `make bench` (internal).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vk::display {

// Where one frame's time went, for frames that missed their deadline: milliseconds from the
// frame's slot start (the deadline the loop slept until) to the end of each phase, and what the
// render thread's own counters say happened meanwhile (getrusage RUSAGE_THREAD): page faults,
// voluntary switches (it blocked: a lock, a fault on a held mmap lock, I/O) and involuntary ones
// (something of higher priority, or the kernel, took its CPU).
struct FramePhases {
  int frame = 0;
  double at = 0;       // CLOCK_MONOTONIC seconds of the slot start (to match perf/ftrace traces)
  double cpu = 0;      // the render thread's CPU time in this frame (ms): far below the wall
                       // time with no switch means the vCPU itself did not run (host steal)
  double woke = 0;     // the sleep ended (oversleep: timer or scheduling latency)
  double events = 0;   // window events and signals handled
  double loader = 0;   // the loader's status and slide taken, the slideshow advanced
  double compose = 0;  // a new still composed (the first frame of a fade only)
  double drawn = 0;    // the blend or copy into the driver's frame
  double shown = 0;    // present() returned
  long minor_faults = 0, major_faults = 0, voluntary_switches = 0, involuntary_switches = 0;
};

class FrameStats {
 public:
  // A late frame's phases (bounded: the first 2,000 are kept).
  void add_late(const FramePhases& phases) {
    if (late_detail_.size() < 2000) late_detail_.push_back(phases);
  }
  // The render thread's counters over every drawn frame.
  void add_counters(long minor_faults, long voluntary_switches, long involuntary_switches) {
    minor_faults_ += minor_faults;
    voluntary_switches_ += voluntary_switches;
    involuntary_switches_ += involuntary_switches;
  }
  // One drawn frame: wall time of the work, thread CPU time, whether it was part of a fade,
  // and whether it was shown after its deadline.
  void add(double work_ms, double cpu_ms, bool in_fade, bool late);
  void add_fade() { ++fades_; }
  // Textures filled on the GPU path (made or refilled), and whether in the frame of a fade.
  void add_gpu_uploads(std::uint64_t count, bool in_fade) {
    gpu_uploads_ += count;
    if (in_fade) gpu_uploads_in_fades_ += count;
  }
  [[nodiscard]] std::uint64_t gpu_uploads() const { return gpu_uploads_; }
  [[nodiscard]] std::uint64_t gpu_uploads_in_fades() const { return gpu_uploads_in_fades_; }
  void add_fresh(std::int64_t photo, double first_frame_unix_s) { fresh_.push_back({photo, first_frame_unix_s}); }
  void set_frames(int frames) { frames_ = frames; }
  // The first frame presented with a photo: seconds since the loop started, and Unix time
  // (the bench measures from the process start).
  void set_first_photo(double seconds, double unix_s) {
    if (first_photo_s_ >= 0) return;
    first_photo_s_ = seconds;
    first_photo_unix_ = unix_s;
  }
  void write_json(const std::filesystem::path& file, const std::string& driver) const;

 private:
  struct Fresh {
    std::int64_t photo;
    double unix_s;
  };
  std::vector<float> work_all_, work_fade_;
  double cpu_fade_ms_ = 0, cpu_all_ms_ = 0;  // thread CPU time of fade frames, of every drawn frame
  long drawn_ = 0;
  int late_ = 0, late_fade_ = 0, fades_ = 0, frames_ = 0;
  std::vector<Fresh> fresh_;
  std::vector<FramePhases> late_detail_;
  long minor_faults_ = 0, voluntary_switches_ = 0, involuntary_switches_ = 0;
  std::uint64_t gpu_uploads_ = 0, gpu_uploads_in_fades_ = 0;
  double first_photo_s_ = -1;  // from the start of the loop to the first photo's first frame
  double first_photo_unix_ = 0;
};

}  // namespace vk::display
