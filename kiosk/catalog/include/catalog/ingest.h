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

namespace vk::catalog {

namespace detail {
class PendingFiles;
}

struct IngestOptions {
  image::DeriveOptions derive;
  // Larger files are refused before being read (the biggest RAW files today are ~200 MB).
  std::uint64_t max_file_bytes = 400ULL * 1024 * 1024;
};

struct IngestItem {
  std::filesystem::path file;                          // the photo (JPEG, PNG, ... or a RAW alone)
  std::optional<std::filesystem::path> raw_companion;  // a RAW with the same stem as a JPEG
  std::string source_volume;
  std::string source_path;                             // shown to people: path on the card
  bool protected_on_card = false;
  std::optional<ImportRunId> run;
};

struct IngestOutcome {
  enum class Kind { imported, duplicate, rejected };
  Kind kind = Kind::imported;
  std::string reason;            // for rejected: what is wrong with the file, in plain words
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
  Result<std::optional<StoredFileRecord>> store_raw_companion(const std::filesystem::path& raw, std::uint64_t& bytes_read,
                                                              detail::PendingFiles& pending);

  Catalog& catalog_;
  PhotoStore& store_;
  IngestOptions options_;
};

// True for errors that say something about the file rather than about the box.
bool is_bad_input(const Error& error);

}  // namespace vk::catalog
