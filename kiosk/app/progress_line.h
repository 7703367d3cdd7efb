// The live progress line an import shows on a terminal: done/total, MB/s, ETA, current file.
#pragma once

#include <string>

#include "sync/import_job.h"

namespace vk::app {

std::string format_progress_line(const sync::ImportProgress& progress, int width = 100);

}  // namespace vk::app
