// PhotoFeed: the read-only view of the catalog that the big screen needs.
//
// `show` never writes the catalog, so it opens its own read-only connection (WAL lets it read
// while `serve` or `import` writes) with a short busy timeout: a locked or vanished catalog is an
// Error the caller answers by keeping what it already has, never a wait. One PhotoFeed belongs to
// one thread (the screen's loader thread); open another for another thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "vk/result.h"

namespace vk::catalog {

// One photo as the screen sees it: its screen copy and what the slideshow weighs.
struct FeedPhoto {
  PhotoId id = 0;
  std::string screen_path;    // relative to the data dir ("screen/ab/<sha>.jpg")
  int width = 0, height = 0;  // of the screen copy (upright)
  bool featured = false;
  std::string caption;       // "Jane Doe · Canon EOS R6", "Canon EOS R6", may be empty
  std::string photographer;  // "Jane Doe", may be empty
  friend bool operator==(const FeedPhoto&, const FeedPhoto&) = default;
};

// A card import in progress ("Importing 34/240").
struct FeedImport {
  int done = 0, total = 0;
  std::string current_file;
};

struct FeedStatus {
  std::int64_t visible = 0;          // photos the screen may show
  std::int64_t uploads_pending = 0;  // photos with an upload not yet done (the sync indicator);
                                     // a RAW+JPEG pair counts once
  std::int64_t uploads_failed = 0;   // photos with an upload the uploader gave up on
  std::optional<FeedImport> import;  // the running import, if any
};

// The screen's caption of a photo: "photographer · camera", either alone when the other is
// unknown, the make said once when the model repeats it ("Canon" "Canon EOS R6").
std::string caption_for(const std::string& photographer, const std::string& make, const std::string& model);

class PhotoFeed {
 public:
  // Opens `database` read-only. Fails (not_found) when there is no catalog yet.
  static Result<std::unique_ptr<PhotoFeed>> open(const std::filesystem::path& database);
  ~PhotoFeed();
  PhotoFeed(const PhotoFeed&) = delete;
  PhotoFeed& operator=(const PhotoFeed&) = delete;

  // Visible photos (not hidden; approved too when `moderation` is on) that have a screen copy,
  // newest first (by id: ids grow with each commit). `limit` < 0: all of them.
  Result<std::vector<FeedPhoto>> visible(bool moderation, int limit = -1);
  // Visible photos with an id above `after`, oldest first: what was committed since the last look.
  Result<std::vector<FeedPhoto>> visible_since(PhotoId after, bool moderation);
  Result<FeedStatus> status(bool moderation);

 private:
  struct Impl;
  explicit PhotoFeed(std::unique_ptr<Impl> impl);
  [[nodiscard]] const char* select() const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vk::catalog
