#include "background_priority.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

namespace vk::sync::detail {

namespace {
constexpr int kBackgroundNice = 10;
}

void run_in_background() {
  const sched_param param{};                         // SCHED_BATCH has no static priority
  (void)sched_setscheduler(0, SCHED_BATCH, &param);  // pid 0: this thread
  // On Linux setpriority(PRIO_PROCESS, tid) sets one thread's nice value, not the process's.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kBackgroundNice);
}

}  // namespace vk::sync::detail
