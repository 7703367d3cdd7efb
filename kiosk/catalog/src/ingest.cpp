#include "catalog/ingest.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "catalog/sha256.h"
#include "image/probe.h"
#include "image/strip.h"

namespace vk::catalog {
namespace {

IngestOutcome rejected(std::string reason, std::uint64_t bytes_read) {
  return {IngestOutcome::Kind::rejected, std::move(reason), 0, bytes_read};
}

std::string format_label(const image::ImageInfo& info) {
  return std::string(info.format == image::Format::raw ? image::raw_kind_name(info.raw_kind)
                                                       : image::format_name(info.format));
}

// Why the photo is passed over by the rating or age filter, if it is.
std::optional<std::string> filtered_out(const image::PhotoMetadata& meta, const IngestOptions& options) {
  // A photo the photographer never rated counts as 0 stars: "rated" imports only the selects.
  if (options.min_rating && meta.rating.value_or(0) < *options.min_rating) {
    return "rated " + std::to_string(meta.rating.value_or(0)) + " in the camera, below " +
           std::to_string(*options.min_rating);
  }
  // Both are ISO 8601 local times of the same shape, so text order is time order.
  if (options.ignore_captured_before && meta.captured_at && *meta.captured_at < *options.ignore_captured_before) {
    return "taken before " + *options.ignore_captured_before;
  }
  return std::nullopt;
}

}  // namespace

namespace detail {

// Files this ingest created; removed again unless the catalog row that names them committed,
// so a failed ingest (disk full, catalog error) leaves no orphan behind.
class PendingFiles {
 public:
  explicit PendingFiles(PhotoStore& store) : store_(store) {}
  PendingFiles(const PendingFiles&) = delete;
  PendingFiles& operator=(const PendingFiles&) = delete;
  ~PendingFiles() {
    if (committed_) return;
    for (const auto& f : created_) store_.discard(f);
  }
  Status put(const std::string& relative, std::span<const std::uint8_t> bytes) {
    VK_ASSIGN_OR_RETURN(const bool created, store_.put(relative, bytes));
    if (created) created_.push_back(relative);
    return {};
  }
  void committed() { committed_ = true; }

 private:
  PhotoStore& store_;
  std::vector<std::string> created_;
  bool committed_ = false;
};

}  // namespace detail

using detail::PendingFiles;

bool is_bad_input(const Error& error) {
  switch (error.code) {
    case ErrorCode::invalid_input:
    case ErrorCode::truncated:
    case ErrorCode::too_large:
    case ErrorCode::unsupported: return true;
    default: return false;
  }
}

// A file at fault is refused with the reason; anything else (disk full, a card pulled, a RAW
// reader that cannot start) is the box's error: the import stops and the file waits for a retry.
Result<IngestOutcome> refused_or_error(Error error, std::uint64_t bytes_read) {
  if (is_bad_input(error)) return rejected(std::move(error.message), bytes_read);
  return error;
}

std::filesystem::path ingest_lock_path(const std::filesystem::path& data_dir) {
  return data_dir / "ingest.lock";
}

detail::IngestLock::IngestLock(const std::filesystem::path& data_dir)
    : fd_(::open(ingest_lock_path(data_dir).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
  // Without the lock file (read-only data dir) ingest fails later with a clear error anyway.
  if (fd_.valid()) (void)::flock(fd_.get(), LOCK_SH);
}

Ingester::Ingester(Catalog& catalog, PhotoStore& store, IngestOptions options)
    : catalog_(catalog), store_(store), options_(std::move(options)), lock_(store.data_dir()) {}

Result<IngestOutcome> Ingester::ingest(const IngestItem& item) {
  auto read = store_.fs().read_file(item.file, options_.max_file_bytes);
  if (!read) return refused_or_error(std::move(read).error(), 0);
  const std::vector<std::uint8_t> bytes = std::move(read).value();
  const std::string sha = sha256_hex(bytes);

  VK_ASSIGN_OR_RETURN(const auto existing, catalog_.find_photo(sha));
  if (existing) {
    IngestOutcome dup{IngestOutcome::Kind::duplicate, {}, *existing, bytes.size()};
    if (item.raw_companion) {
      PendingFiles pending(store_);
      VK_ASSIGN_OR_RETURN(auto raw_file, store_raw_companion(*item.raw_companion, dup.bytes_read, pending));
      if (raw_file) VK_RETURN_IF_ERROR(catalog_.attach_file(*existing, *raw_file));
      pending.committed();
    }
    return dup;
  }

  auto info = image::probe(bytes, options_.derive.limits);
  if (!info) return refused_or_error(std::move(info).error(), bytes.size());
  if (auto why = filtered_out(info->metadata, options_)) {
    return IngestOutcome{IngestOutcome::Kind::filtered, *why, 0, bytes.size()};
  }
  auto derived = image::derive(bytes, *info, options_.derive);
  if (!derived) return refused_or_error(std::move(derived).error(), bytes.size());

  const std::string ext(image::storage_extension(info->format, info->raw_kind));
  PhotoRecord photo;
  photo.sha256 = sha;
  photo.format = format_label(*info);
  photo.width = info->displayed().width;
  photo.height = info->displayed().height;
  photo.captured_at = info->metadata.captured_at;
  photo.camera_make = info->metadata.camera_make;
  photo.camera_model = info->metadata.camera_model;
  photo.photographer = info->metadata.photographer;
  photo.rating = info->metadata.rating;
  photo.had_gps = info->metadata.has_gps;
  if (!photo.had_gps) {
    // The Exif reader sees a JPEG's GPS IFD; the cleaner also finds a position in XMP, in PNG
    // text chunks and in a TIFF RAW's GPS IFD, so the organizer's report counts those too.
    auto clean = image::without_gps(bytes);
    photo.had_gps = clean.ok() && clean->removed;
  }
  photo.protected_on_card = item.protected_on_card;
  photo.source_volume = item.source_volume;
  photo.source_path = item.source_path;
  photo.import_run = item.run;
  photo.approved = options_.approve_automatically;

  // Files first, each durable before the row that names it exists.
  const StoredFileRecord original{FileRole::original, PhotoStore::relative_path(FileRole::original, sha, ext),
                                  bytes.size(),       photo.width,
                                  photo.height,       sha};
  const auto& screen = derived->screen;
  const auto& thumb = derived->thumb;
  const StoredFileRecord screen_file{FileRole::screen,   PhotoStore::relative_path(FileRole::screen, sha, "jpg"),
                                     screen.jpeg.size(), screen.size.width,
                                     screen.size.height, sha256_hex(screen.jpeg)};
  const StoredFileRecord thumb_file{FileRole::thumb,   PhotoStore::relative_path(FileRole::thumb, sha, "jpg"),
                                    thumb.jpeg.size(), thumb.size.width,
                                    thumb.size.height, sha256_hex(thumb.jpeg)};
  PendingFiles pending(store_);
  VK_RETURN_IF_ERROR(pending.put(original.relative_path, bytes));
  VK_RETURN_IF_ERROR(pending.put(screen_file.relative_path, screen.jpeg));
  VK_RETURN_IF_ERROR(pending.put(thumb_file.relative_path, thumb.jpeg));
  photo.files = {original, screen_file, thumb_file};

  std::uint64_t raw_bytes = 0;
  if (item.raw_companion) {
    VK_ASSIGN_OR_RETURN(auto raw_file, store_raw_companion(*item.raw_companion, raw_bytes, pending));
    if (raw_file) photo.files.push_back(*raw_file);
  }

  VK_ASSIGN_OR_RETURN(const AddResult added, catalog_.add_photo(photo));
  pending.committed();  // also when already_present: the other row names the same content
  VK_ASSIGN_OR_RETURN(const auto id, catalog_.find_photo(sha));
  const auto kind = added == AddResult::added ? IngestOutcome::Kind::imported : IngestOutcome::Kind::duplicate;
  return IngestOutcome{kind, {}, id.value_or(0), bytes.size() + raw_bytes};
}

Result<std::optional<StoredFileRecord>> Ingester::store_raw_companion(const std::filesystem::path& raw_path,
                                                                      std::uint64_t& bytes_read,
                                                                      PendingFiles& pending) {
  auto raw = store_.fs().read_file(raw_path, options_.max_file_bytes);
  // A companion that cannot be read as RAW is left out; the JPEG alone still makes the photo.
  if (!raw) {
    if (is_bad_input(raw.error())) return std::optional<StoredFileRecord>{};
    return std::move(raw).error();
  }
  bytes_read += raw->size();
  auto info = image::probe(*raw, options_.derive.limits);
  if (!info || info->format != image::Format::raw) return std::optional<StoredFileRecord>{};
  const std::string raw_sha = sha256_hex(*raw);
  StoredFileRecord file{
      FileRole::raw,
      PhotoStore::relative_path(FileRole::raw, raw_sha, image::storage_extension(info->format, info->raw_kind)),
      raw->size(),
      0,
      0,
      raw_sha};
  VK_RETURN_IF_ERROR(pending.put(file.relative_path, *raw));
  return std::optional<StoredFileRecord>{std::move(file)};
}

}  // namespace vk::catalog
