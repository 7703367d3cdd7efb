// Real-time priority for the render thread (internal). With an import decoding on both cores a
// normal-priority render thread misses most frames; SCHED_FIFO misses none.
#pragma once

#include <string>

namespace vk::display {

// Puts the calling thread in SCHED_FIFO at a low real-time priority. Returns an empty string,
// or why not (no CAP_SYS_NICE, RLIMIT_RTPRIO...): the show goes on either way.
std::string make_this_thread_realtime();

}  // namespace vk::display
