// Import work runs behind everything a person is waiting for. Internal to sync/.
#pragma once

namespace vk::sync::detail {

// Moves the calling thread to background scheduling: SCHED_BATCH (the kernel does not let it
// preempt a thread that just woke) at nice 10. A card import decodes and hashes on every core;
// at the same priority as the web server's loops and the screen's loader, a guest's request
// waited behind a decode until the next scheduler tick. Throughput is the same when nothing
// else wants the CPU. Best effort: a system that refuses leaves the thread as it was.
void run_in_background();

}  // namespace vk::sync::detail
