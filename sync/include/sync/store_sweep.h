// Start-up cleaning of the photo store after a crash or power cut.
//
// Ingest renames a file into the store before the catalog row that names it commits; a process
// killed in between leaves a complete but unnamed file ("orphan"). The sweep removes every file
// under originals/, screen/ and thumb/ that no catalog row names. It runs only when no other
// process is ingesting (it takes <data>/ingest.lock exclusively, see catalog/ingest.h) and
// must run before this process creates its own Ingester. It also closes the import runs such a
// process left "running", so the console does not show them as going on.
#pragma once

#include "catalog/catalog.h"
#include "catalog/photo_store.h"
#include "vk/result.h"

namespace vk::sync {

struct SweepResult {
  int removed = 0;
  int runs_closed = 0;   // import runs left "running" by a dead process, now "cancelled"
  bool skipped = false;  // another process was ingesting: nothing was touched
};

Result<SweepResult> sweep_orphans(catalog::PhotoStore& store, catalog::Catalog& catalog);

}  // namespace vk::sync
