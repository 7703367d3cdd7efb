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

void make_this_thread_normal() {
  sched_param param{};
  param.sched_priority = 0;
  pthread_setschedparam(pthread_self(), SCHED_OTHER, &param);  // lowering its own priority is always allowed
}

}  // namespace vk::display
