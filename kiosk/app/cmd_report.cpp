// `venuekiosk report [--json]`: what guests did: opens, unique visitors, peak hour,
// most-viewed photos, downloads, device mix, per gallery.
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog/reports.h"
#include "commands.h"

namespace vk::app {
namespace {

nlohmann::json pairs(const std::vector<std::pair<std::string, std::int64_t>>& list) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : list) out[k] = v;
  return out;
}

int run_report(bool json, const GlobalOptions& global) {
  auto context = open_context(global);
  if (!context) {
    std::cerr << "venuekiosk report: " << context.error().describe() << "\n";
    return kExitFailed;
  }
  auto report = catalog::build_report((*context)->config.data_dir / "catalog.db");
  if (!report) {
    std::cerr << "venuekiosk report: " << report.error().describe() << "\n";
    return kExitFailed;
  }
  const auto& r = *report;
  if (json) {
    nlohmann::json j = {{"opens", r.opens}, {"unique_visitors", r.unique_visitors}, {"views", r.views},
                        {"downloads", r.downloads}, {"refused", r.refused}, {"peak_hour_opens", r.peak_hour_opens},
                        {"devices", pairs(r.devices)}, {"browsers", pairs(r.browsers)}};
    j["peak_hour"] = r.peak_hour ? nlohmann::json(*r.peak_hour) : nlohmann::json(nullptr);
    j["top_photos"] = nlohmann::json::array();
    for (const auto& [id, n] : r.top_photos) j["top_photos"].push_back({{"photo", id}, {"views", n}});
    j["galleries"] = nlohmann::json::array();
    for (const auto& g : r.galleries) {
      j["galleries"].push_back({{"id", g.id}, {"name", g.name}, {"opens", g.opens}, {"unique_visitors", g.unique_visitors},
                                {"views", g.views}, {"downloads", g.downloads}, {"refused", g.refused}});
    }
    std::cout << j.dump() << "\n";
    return kExitOk;
  }
  std::cout << "opens " << r.opens << ", unique visitors " << r.unique_visitors << ", photo views " << r.views
            << ", downloads " << r.downloads << ", refused " << r.refused << "\n";
  if (r.peak_hour) std::cout << "peak hour " << *r.peak_hour << " (" << r.peak_hour_opens << " opens)\n";
  std::cout << "devices:";
  for (const auto& [d, n] : r.devices) std::cout << " " << d << " " << n;
  std::cout << "\nbrowsers:";
  for (const auto& [b, n] : r.browsers) std::cout << " " << b << " " << n;
  std::cout << "\nmost viewed:";
  for (const auto& [id, n] : r.top_photos) std::cout << " photo " << id << " (" << n << ")";
  std::cout << "\n";
  for (const auto& g : r.galleries) {
    std::cout << "gallery " << g.id << " " << g.name << ": " << g.opens << " opens, " << g.unique_visitors << " visitors, "
              << g.views << " views, " << g.downloads << " downloads, " << g.refused << " refused\n";
  }
  return kExitOk;
}

}  // namespace

Command add_report_command(CLI::App& app, const GlobalOptions& global) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("report", "What guests opened, viewed and downloaded");
  sub->add_flag("--json", *json, "Print one JSON object");
  return {sub, [json, &global] { return run_report(*json, global); }};
}

}  // namespace vk::app
