// Schema migrations, applied in order by PRAGMA user_version. Never edit a shipped step:
// add a new one, so a box upgraded mid-season keeps its photos.
#pragma once

#include <sqlite3.h>

#include "vk/result.h"

namespace vk::catalog::schema {

int latest_version();
Status migrate(sqlite3* db);

}  // namespace vk::catalog::schema
