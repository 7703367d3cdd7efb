// Frame timing of the render loop, written as JSON for `make bench` (internal).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vk::display {

class FrameStats {
 public:
  // One drawn frame: wall time of the work, thread CPU time, whether it was part of a fade,
  // and whether it was shown after its deadline.
  void add(double work_ms, double cpu_ms, bool in_fade, bool late);
  void add_fade() { ++fades_; }
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
  double cpu_fade_ms_ = 0;
  int late_ = 0, late_fade_ = 0, fades_ = 0, frames_ = 0;
  std::vector<Fresh> fresh_;
  double first_photo_s_ = -1;  // from the start of the loop to the first photo's first frame
  double first_photo_unix_ = 0;
};

}  // namespace vk::display
