#include "frame_stats.h"

#include <algorithm>
#include <fstream>

namespace vk::display {
namespace {

double percentile(std::vector<float> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmHWM:") {
      status >> value;
      return value;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

}  // namespace

void FrameStats::add(double work_ms, double cpu_ms, bool in_fade, bool late) {
  // Bounded: a show that runs for days with stats on keeps at most ~1 M samples.
  if (work_all_.size() < 1'000'000) work_all_.push_back(static_cast<float>(work_ms));
  cpu_all_ms_ += cpu_ms;
  ++drawn_;
  if (in_fade) {
    if (work_fade_.size() < 1'000'000) work_fade_.push_back(static_cast<float>(work_ms));
    cpu_fade_ms_ += cpu_ms;
    if (late) ++late_fade_;
  }
  if (late) ++late_;
}

void FrameStats::write_json(const std::filesystem::path& file, const std::string& driver) const {
  std::ofstream out(file, std::ios::trunc);
  out << "{\"driver\": \"" << driver << "\", \"frames\": " << frames_ << ", \"drawn\": " << work_all_.size()
      << ", \"fades\": " << fades_ << ", \"fade_frames\": " << work_fade_.size()
      << ", \"fade_ms_p50\": " << percentile(work_fade_, 0.5) << ", \"fade_ms_p99\": " << percentile(work_fade_, 0.99)
      << ", \"fade_ms_max\": " << percentile(work_fade_, 1.0) << ", \"drawn_ms_p50\": " << percentile(work_all_, 0.5)
      << ", \"drawn_ms_p99\": " << percentile(work_all_, 0.99)
      << ", \"drawn_cpu_ms_per_frame\": " << (drawn_ == 0 ? 0.0 : cpu_all_ms_ / static_cast<double>(drawn_))
      << ", \"late_frames\": " << late_ << ", \"late_fade_frames\": " << late_fade_ << ", \"fade_cpu_ms_per_frame\": "
      << (work_fade_.empty() ? 0.0 : cpu_fade_ms_ / static_cast<double>(work_fade_.size()))
      << ", \"first_photo_s\": " << first_photo_s_ << ", \"first_photo_unix\": " << std::fixed << first_photo_unix_;
  out.unsetf(std::ios::fixed);
  out << ", \"peak_rss_mb\": " << static_cast<double>(peak_rss_kb()) / 1024.0 << ", \"gpu_uploads\": " << gpu_uploads_
      << ", \"gpu_uploads_in_fades\": " << gpu_uploads_in_fades_ << ", \"fresh\": [";
  for (std::size_t i = 0; i < fresh_.size(); ++i) {
    out << (i ? ", " : "") << "{\"photo\": " << fresh_[i].photo << ", \"first_frame_unix\": " << std::fixed
        << fresh_[i].unix_s << "}";
    out.unsetf(std::ios::fixed);
  }
  out << "], \"render_minor_faults\": " << minor_faults_ << ", \"render_voluntary_switches\": " << voluntary_switches_
      << ", \"render_involuntary_switches\": " << involuntary_switches_ << ", \"late_detail\": [";
  for (std::size_t i = 0; i < late_detail_.size(); ++i) {
    const FramePhases& f = late_detail_[i];
    out << (i ? ",\n  " : "\n  ") << "{\"frame\": " << f.frame << ", \"at\": " << std::fixed << f.at;
    out.unsetf(std::ios::fixed);
    out << ", \"cpu\": " << f.cpu << ", \"woke\": " << f.woke << ", \"events\": " << f.events
        << ", \"loader\": " << f.loader << ", \"compose\": " << f.compose << ", \"drawn\": " << f.drawn
        << ", \"shown\": " << f.shown << ", \"minflt\": " << f.minor_faults << ", \"majflt\": " << f.major_faults
        << ", \"nvcsw\": " << f.voluntary_switches << ", \"nivcsw\": " << f.involuntary_switches << "}";
  }
  out << "]}\n";
}

}  // namespace vk::display
