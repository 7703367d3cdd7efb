// Real-time priority for the render thread (internal). With an import decoding on both cores a
// normal-priority render thread misses most frames; SCHED_FIFO misses none.
#pragma once

#include <string>

namespace vk::display {

// Puts the calling thread in SCHED_FIFO at a low real-time priority. Returns an empty string,
// or why not (no CAP_SYS_NICE, RLIMIT_RTPRIO...): the show goes on either way.
std::string make_this_thread_realtime();

// Puts the calling thread back in SCHED_OTHER. The loader thread starts real-time (it inherits
// the render thread's class, or systemd's CPUSchedulingPolicy=fifo) and calls this after its
// first slide: decoding at real-time priority would compete with the frames and starve imports.
void make_this_thread_normal();

}  // namespace vk::display
