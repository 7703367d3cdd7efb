// Real-time priority for the render thread (internal). With an import decoding on both cores a
// normal-priority render thread misses most frames; SCHED_FIFO misses none.
#pragma once

#include <string>

namespace vk::display {

// Puts the calling thread in SCHED_FIFO at a low real-time priority. Returns an empty string,
// or why not (no CAP_SYS_NICE, RLIMIT_RTPRIO...): the show goes on either way.
std::string make_this_thread_realtime();

// Puts the calling thread back in SCHED_OTHER. The loader thread calls it first thing: under
// systemd's CPUSchedulingPolicy=fifo every thread starts real-time, and a decode running at
// real-time priority would compete with the render thread and starve the import.
void make_this_thread_normal();

}  // namespace vk::display
