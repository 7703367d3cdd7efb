#include "progress_line.h"

#include <cstdio>

namespace vk::app {

std::string format_progress_line(const sync::ImportProgress& p, int width) {
  const double mb = static_cast<double>(p.bytes_done) / 1e6;
  const double rate = p.elapsed_seconds > 0 ? mb / p.elapsed_seconds : 0;
  std::string eta = "--:--";
  if (p.bytes_done > 0 && p.bytes_total > p.bytes_done && p.elapsed_seconds > 0) {
    const double remaining = static_cast<double>(p.bytes_total - p.bytes_done) / (static_cast<double>(p.bytes_done) / p.elapsed_seconds);
    const int s = static_cast<int>(remaining + 0.5);
    char text[16];
    std::snprintf(text, sizeof text, "%d:%02d", s / 60, s % 60);
    eta = text;
  } else if (p.bytes_total > 0 && p.bytes_done >= p.bytes_total) {
    eta = "0:00";
  }
  char line[160];
  std::snprintf(line, sizeof line, "Importing %d/%d  %.1f MB/s  ETA %s  ", p.done, p.total, rate, eta.c_str());
  std::string out = line;
  const int room = width - static_cast<int>(out.size());
  if (room > 8) {
    std::string name = p.current;
    if (static_cast<int>(name.size()) > room) name = "..." + name.substr(name.size() - static_cast<std::size_t>(room - 3));
    out += name;
  }
  return out;
}

}  // namespace vk::app
