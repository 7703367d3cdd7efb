// `venuekiosk import PATH... [--json]`: import cards or folders into the catalog.
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <mutex>

#include "catalog/ingest.h"
#include "commands.h"
#include "progress_line.h"
#include "sync/card_scan.h"
#include "sync/import_job.h"

namespace vk::app {
namespace {

struct ImportArgs {
  std::vector<std::string> paths;
  bool json = false;
  bool quiet = false;
  int workers = -1;
};

// Repaints one terminal line at most ten times a second.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool enabled) : enabled_(enabled) {}
  void update(const sync::ImportProgress& p) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (p.done < p.total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::cerr << "\r\033[K" << format_progress_line(p) << std::flush;
  }
  void finish() {
    if (enabled_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

std::string join_path(const std::string& given, const std::string& relative, bool single_file) {
  if (single_file) return given;
  return (std::filesystem::path(given) / relative).lexically_normal().string();
}

int run_import_command(const ImportArgs& args, const GlobalOptions& global) {
  auto context = open_context(global);
  if (!context) {
    std::cerr << "venuekiosk import: " << context.error().describe() << "\n";
    return kExitFailed;
  }
  AppContext& ctx = **context;
  catalog::Ingester ingester(*ctx.catalog, *ctx.store, ctx.config.ingest);
  ProgressPrinter printer(!args.quiet && ::isatty(STDERR_FILENO) != 0);

  nlohmann::json rejected = nlohmann::json::array();
  nlohmann::json skipped = nlohmann::json::array();
  nlohmann::json runs = nlohmann::json::array();
  int imported = 0;
  int duplicates = 0;
  int filtered = 0;  // left out by the config's import filters (rating, age)
  int total = 0;
  double seconds = 0;
  std::uint64_t bytes = 0;
  std::optional<Error> failure;

  for (const auto& path : args.paths) {
    auto scan = sync::scan_source(path);
    if (!scan) {
      rejected.push_back({{"file", path}, {"reason", scan.error().message}});
      continue;
    }
    std::error_code ec;  // scan_source() has just read it; a failure now only means "not a file"
    const bool single_file = std::filesystem::is_regular_file(path, ec);
    sync::ImportJobOptions options;
    options.workers = args.workers >= 0 ? args.workers : ctx.config.import_workers;
    options.on_progress = [&](const sync::ImportProgress& p) { printer.update(p); };
    const auto summary = sync::run_import(*scan, *ctx.catalog, ingester, options);
    printer.finish();
    imported += summary.imported;
    duplicates += summary.duplicates;
    filtered += summary.filtered;
    total += summary.total;
    seconds += summary.elapsed_seconds;
    bytes += summary.bytes_read;
    if (summary.run != 0) runs.push_back(summary.run);
    for (const auto& r : summary.rejected) {
      rejected.push_back({{"file", join_path(path, r.file, single_file)}, {"reason", r.reason}});
    }
    for (const auto& v : summary.skipped_videos) {
      skipped.push_back({{"file", join_path(path, v, false)}, {"reason", "video (only photos are imported)"}});
    }
    if (summary.stopped_by) {
      failure = summary.stopped_by;
      break;
    }
  }

  if (args.json) {
    nlohmann::json out = {{"imported", imported}, {"duplicates", duplicates},   {"filtered", filtered},
                          {"rejected", rejected}, {"skipped", skipped},         {"total", total},
                          {"runs", runs},         {"elapsed_seconds", seconds}, {"bytes_read", bytes}};
    if (failure) out["error"] = failure->describe();
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "Imported " << imported << (imported == 1 ? " photo" : " photos");
    if (duplicates > 0) std::cout << ", " << duplicates << " already in the catalog";
    if (filtered > 0) std::cout << ", " << filtered << " left out by the import filters";
    std::cout << " (" << total << " files looked at, " << static_cast<int>(seconds * 10) / 10.0 << " s).\n";
    if (!skipped.empty()) std::cout << "Skipped " << skipped.size() << " video file(s): only photos are imported.\n";
    if (!rejected.empty()) {
      std::cout << "Could not import " << rejected.size() << " file(s):\n";
      for (const auto& r : rejected) {
        std::cout << "  " << r["file"].get<std::string>() << ": " << r["reason"].get<std::string>() << "\n";
      }
    }
    if (failure) std::cerr << "The import stopped early: " << failure->describe() << "\n";
  }
  if (failure) return kExitFailed;
  return rejected.empty() ? kExitOk : kExitSomeRejected;
}

}  // namespace

Command add_import_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* sub = app.add_subcommand("import", "Import photos from mounted camera cards or folders");
  sub->add_option("PATH", args->paths, "Card mount points, folders or files")->required();
  sub->add_flag("--json", args->json, "Print one JSON object with the result on stdout");
  sub->add_flag("--quiet", args->quiet, "No progress line");
  sub->add_option("--workers", args->workers, "Photos processed at once (default: config, else one per core)")
      ->check(CLI::Range(0, 64));
  return {sub, [args, &global] { return run_import_command(*args, global); }};
}

}  // namespace vk::app
