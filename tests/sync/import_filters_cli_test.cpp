// `venuekiosk import --json` counts the files the import filters leave out apart from the
// imported, duplicate and rejected ones (the real binary, a real folder, the config's filters).
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "run_command.h"
#include "temp_dir.h"

using namespace vk;
namespace fx = vk::fixtures;

TEST_CASE("import --json: files left out by the rating filter are counted as filtered", "[card][cli]") {
  testing::TempDir dir;
  // Ratings 5, 1 and none: with min_rating = 3 only the first comes in.
  int i = 0;
  for (const int rating : {5, 1, -1}) {
    fx::JpegSpec spec;
    spec.pattern = fx::Pattern::noise;
    spec.seed = static_cast<std::uint32_t>(++i);
    if (rating >= 0) spec.exif.rating = rating;
    fx::write_file(dir / "card" / "DCIM" / "100CANON" / ("IMG_000" + std::to_string(i) + ".JPG"), fx::make_jpeg(spec));
  }
  std::ofstream(dir / "vk.toml") << "[import]\nfilter = \"rated\"\nmin_rating = 3\n";
  const auto result = testing::run_command(testing::venuekiosk() + " --config " + (dir / "vk.toml").string() +
                                           " --data-dir " + (dir / "data").string() + " import --json --quiet " +
                                           (dir / "card").string());
  INFO(result.out);
  REQUIRE(result.exit_code == 0);
  const auto out = nlohmann::json::parse(result.out);
  CHECK(out["imported"] == 1);
  CHECK(out["filtered"] == 2);
  CHECK(out["duplicates"] == 0);
  CHECK(out["rejected"].empty());
  CHECK(out["total"] == 3);
}
