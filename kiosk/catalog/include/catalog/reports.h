// The organizer's report, computed from the access log: opens, unique visitors, peak hour,
// most-viewed photos, downloads, device and browser mix, per gallery. Read-only; opens its
// own connection, so it runs beside a serving daemon.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/galleries.h"
#include "vk/result.h"

namespace vk::catalog {

struct GalleryReport {
  GalleryId id = 0;
  std::string name;
  std::int64_t opens = 0, unique_visitors = 0, views = 0, downloads = 0, refused = 0;
};

struct Report {
  std::int64_t opens = 0;
  std::int64_t unique_visitors = 0;
  std::int64_t views = 0;
  std::int64_t downloads = 0;
  std::int64_t refused = 0;
  std::optional<std::string> peak_hour;  // "2026-11-30T21:00Z" (UTC hour with the most opens)
  std::int64_t peak_hour_opens = 0;
  std::vector<std::pair<PhotoId, std::int64_t>> top_photos;   // most viewed first
  std::vector<std::pair<std::string, std::int64_t>> devices;  // most first
  std::vector<std::pair<std::string, std::int64_t>> browsers;
  std::vector<GalleryReport> galleries;
};

Result<Report> build_report(const std::filesystem::path& database, int top = 10);

}  // namespace vk::catalog
