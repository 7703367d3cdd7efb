#include <pthread.h>
#include <sched.h>

#include <cstring>

#include "realtime.h"

namespace vk::display {

std::string make_this_thread_realtime() {
  sched_param param{};
  param.sched_priority = 10;  // above normal threads, below the kernel's own real-time work
  const int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param);
  return rc == 0 ? std::string() : std::string(std::strerror(rc));
}

}  // namespace vk::display
