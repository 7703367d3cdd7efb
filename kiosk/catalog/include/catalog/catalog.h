// The catalog: the one source of truth every venuekiosk process shares (SQLite, WAL mode).
//
// `serve` and `import` write it, `show` reads it; each process opens its own Catalog. A
// Catalog is safe to call from several threads (calls are serialised on one connection).
// Rows only ever name files that are complete and durable in the PhotoStore: ingest writes
// the files first and commits the row last.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/clock.h"
#include "catalog/photo_store.h"
#include "vk/result.h"

namespace vk::catalog {

using PhotoId = std::int64_t;
using ImportRunId = std::int64_t;

struct StoredFileRecord {
  FileRole role = FileRole::original;
  std::string relative_path;  // below the data dir
  std::uint64_t bytes = 0;
  int width = 0, height = 0;  // pixels (0 when unknown, e.g. a RAW original)
  std::string sha256;         // of this file's bytes
};

struct PhotoRecord {
  PhotoId id = 0;
  std::string sha256;                      // of the primary original: the photo's identity
  std::string format;                      // "JPEG", "DNG", ...
  int width = 0, height = 0;               // upright size of the original
  std::optional<std::string> captured_at;  // camera local time, ISO 8601
  std::string imported_at;                 // UTC, ISO 8601
  std::optional<std::string> camera_make, camera_model;
  std::optional<std::string> photographer;  // EXIF Artist, else the Copyright owner (schema 7)
  std::optional<int> rating;
  bool protected_on_card = false;
  bool had_gps = false;       // the original carries GPS (derived files never do)
  std::string source_volume;  // card label/uuid, or the folder imported
  std::string source_path;    // path on the card, relative to its root
  std::optional<ImportRunId> import_run;
  bool hidden = false;
  bool featured = false;
  bool approved = true;  // false while waiting for the organizer (moderation mode)
  std::vector<StoredFileRecord> files;
};

struct ImportRunRecord {
  ImportRunId id = 0;
  std::string source;  // what was imported (mount point or folder)
  std::string volume;  // card identity
  std::string started_at, finished_at;
  std::string state;  // running | disk_full | done | failed | cancelled; disk_full: a
                      // card import waiting for space, it goes on by itself (`message`)
  int total = 0, imported = 0, duplicates = 0, rejected = 0, skipped = 0;
  // Live progress, updated while the run goes on.
  int done = 0;
  std::int64_t bytes_done = 0, bytes_total = 0;
  std::string current_file;
  std::string message;  // plain words: why it stopped, e.g. "the disk is full"
  std::string updated_at;
  std::string reader;  // the card reader it came through (VolumeIdentity::reader); may be empty
};

struct Rejection {
  std::string file;
  std::string reason;
};

enum class AddResult { added, already_present };

class Catalog {
 public:
  // Opens (creating if needed) `<data_dir>/catalog.db` and migrates its schema to the
  // current version. Fails with a plain message when the file is not a catalog or is newer
  // than this program.
  static Result<std::unique_ptr<Catalog>> open(const std::filesystem::path& database, const Clock& clock);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  static int schema_version();

  // --- photos ---
  Result<std::optional<PhotoId>> find_photo(const std::string& sha256);
  // True when any stored file (original or RAW companion) has this content hash.
  Result<bool> has_file(const std::string& sha256);
  // Adds the photo, its files and its upload jobs in one transaction. A photo with the same
  // SHA-256 already present (imported concurrently) is reported, not an error.
  Result<AddResult> add_photo(const PhotoRecord& photo);
  // Attaches a further file (a RAW companion found later) to an existing photo.
  Status attach_file(PhotoId photo, const StoredFileRecord& file);
  Result<std::optional<PhotoRecord>> photo(PhotoId id);
  Result<std::vector<PhotoRecord>> photos(int limit = -1);
  Result<std::int64_t> photo_count();

  // --- import runs ---
  Result<ImportRunId> begin_import_run(const std::string& source, const std::string& volume, int total,
                                       const std::string& reader = {});
  Status record_rejection(ImportRunId run, const Rejection& rejection);
  // Publishes live progress (done, bytes, current file and the counts so far).
  Status update_import_progress(const ImportRunRecord& progress);
  // Sets the final state, counts and message.
  Status finish_import_run(const ImportRunRecord& counts);
  Result<std::optional<ImportRunRecord>> import_run(ImportRunId id);
  // Most recent first; running ones always included.
  Result<std::vector<ImportRunRecord>> recent_import_runs(int limit = 20);
  // Ends every run still marked running as "cancelled" with `message` (after a crash or power
  // cut). Only for a process that knows no other one is importing (it holds the ingest lock).
  Result<int> close_interrupted_runs(const std::string& message);

  // --- card files (resume of card imports) ---
  // Remembers that the importer is finished with this file of this card (whatever the outcome),
  // so a later run of the same card skips it without reading it.
  Status mark_card_file(const std::string& volume, const std::string& source_path, std::uint64_t bytes,
                        ImportRunId run);
  // (source_path, bytes) of every file of `volume` marked so far.
  Result<std::vector<std::pair<std::string, std::uint64_t>>> card_files(const std::string& volume);

  // --- maintenance ---
  Result<std::string> integrity_check();
  // relative_path of every stored file the catalog names (to sweep orphans left by a crash).
  Result<std::vector<std::string>> stored_file_paths();

 private:
  struct Impl;
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vk::catalog
