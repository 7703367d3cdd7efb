// Ingest of one photo: read the file once, hash it, skip it if the catalog has it, probe,
// derive screen + thumb from one scaled decode, store the original(s) and derivatives
// durably, then commit one catalog transaction (photo, files, upload jobs).
//
// An Ingester is shared by the import workers: ingest() may run on several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "catalog/photo_store.h"
#include "image/derive.h"
#include "vk/result.h"
#include "vk/unique_fd.h"

namespace vk::catalog {

namespace detail {
class PendingFiles;

// A shared flock on <data>/ingest.lock, held while an Ingester exists, so that the orphan sweep
// at daemon start (which takes it exclusively) never removes a file another process is about
// to commit. The kernel drops it when the process dies, even by kill -9.
class IngestLock {
 public:
  explicit IngestLock(const std::filesystem::path& data_dir);

 private:
  UniqueFd fd_;
};
}  // namespace detail

// Path of the lock above, for the sweep.
std::filesystem::path ingest_lock_path(const std::filesystem::path& data_dir);

struct IngestOptions {
  image::DeriveOptions derive;
  // Larger files are refused before being read (the biggest RAW files today are ~200 MB).
  std::uint64_t max_file_bytes = 400ULL * 1024 * 1024;
  // Filters read from the photo itself (card-level filters, such as the protect flag, are the
  // importer's): photos rated below min_rating in the camera, or taken before
  // ignore_captured_before ("YYYY-MM-DDTHH:MM:SS", camera local time), are passed over as
  // `filtered`. A photo without a rating counts as 0 stars; one without a capture time is
  // never filtered by age.
  std::optional<int> min_rating;
  std::optional<std::string> ignore_captured_before;
  // Moderation: false makes new photos wait for the organizer's approval (photos.approved = 0).
  bool approve_automatically = true;
};

struct IngestItem {
  std::filesystem::path file;                          // the photo (JPEG, PNG, ... or a RAW alone)
  std::optional<std::filesystem::path> raw_companion;  // a RAW with the same stem as a JPEG
  std::string source_volume;
  std::string source_path;  // shown to people: path on the card
  bool protected_on_card = false;
  std::optional<ImportRunId> run;
};

struct IngestOutcome {
  enum class Kind { imported, duplicate, rejected, filtered };
  Kind kind = Kind::imported;
  std::string reason;            // for rejected: what is wrong with the file; for filtered: which filter
  PhotoId photo = 0;             // for imported and duplicate
  std::uint64_t bytes_read = 0;  // of the source file(s)
};

class Ingester {
 public:
  Ingester(Catalog& catalog, PhotoStore& store, IngestOptions options);

  // Outcomes describe the file (imported / duplicate / rejected with a reason). An Error means
  // the box could not do its part (source unreadable, disk full, catalog failure): the caller
  // decides whether to stop, wait or go on.
  Result<IngestOutcome> ingest(const IngestItem& item);

 private:
  // Stores a RAW companion durably; nullopt when it is not a readable RAW (the photo goes on without it).
  Result<std::optional<StoredFileRecord>> store_raw_companion(const std::filesystem::path& raw,
                                                              std::uint64_t& bytes_read, detail::PendingFiles& pending);

  Catalog& catalog_;
  PhotoStore& store_;
  IngestOptions options_;
  detail::IngestLock lock_;
};

// True for errors that say something about the file rather than about the box.
bool is_bad_input(const Error& error);

}  // namespace vk::catalog
