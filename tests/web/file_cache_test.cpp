// The mapped-file cache the image routes answer from: real files in a temporary directory,
// mapped and evicted for real, and two threads asking at once as the two loops do.
#include "file_cache.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"

using namespace vk;
using namespace vk::web;
using vk::testing::TempDir;

namespace {

std::string text_of(const MappedFile& file) {
  return {reinterpret_cast<const char*>(file.bytes().data()), file.bytes().size()};
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Files "1" .. "count", each holding "file N".
void make_files(const TempDir& dir, int count) {
  for (int n = 1; n <= count; ++n) write(dir / std::to_string(n), "file " + std::to_string(n));
}

}  // namespace

TEST_CASE("the file cache maps a file once and gives a recently used file a second chance", "[web][file-cache]") {
  TempDir dir;
  make_files(dir, 5);
  FileCache cache(3);
  const auto get = [&](int n) {
    auto file = cache.get(static_cast<std::uint64_t>(n), dir.path(), std::to_string(n));
    REQUIRE(file.ok());
    CHECK(text_of(**file) == "file " + std::to_string(n));
    return *file;
  };
  const auto one = get(1), two = get(2), three = get(3);
  CHECK(get(1) == one);  // a hit: the same mapping, not a new one

  // Full, and every entry used since it came in: the hand clears them all and takes the first.
  const auto four = get(4);
  CHECK(get(2) == two);  // a hit, so 2 is used again; 3 is not
  get(5);                // the hand passes 2 (a second chance) and takes 3
  CHECK(get(2) == two);
  CHECK(get(4) == four);
  CHECK(get(3) != three);  // gone: mapped afresh
  CHECK(get(1) != one);
}

TEST_CASE("the file cache maps a file again when the catalog names another one for the key", "[web][file-cache]") {
  TempDir dir;
  make_files(dir, 2);
  FileCache cache(4);
  auto first = cache.get(7, dir.path(), "1");
  REQUIRE(first.ok());
  auto replaced = cache.get(7, dir.path(), "2");
  REQUIRE(replaced.ok());
  CHECK(text_of(**replaced) == "file 2");
  CHECK(text_of(**first) == "file 1");  // a reply still sending the old file keeps its mapping
}

TEST_CASE("the file cache answers a missing file as not found and caches nothing for it", "[web][file-cache]") {
  TempDir dir;
  FileCache cache(4);
  auto missing = cache.get(1, dir.path(), "absent.jpg");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::not_found);
  write(dir / "absent.jpg", "arrived");
  auto later = cache.get(1, dir.path(), "absent.jpg");
  REQUIRE(later.ok());
  CHECK(text_of(**later) == "arrived");
}

TEST_CASE("two threads hitting and evicting at once always get the file they asked for", "[web][file-cache]") {
  TempDir dir;
  constexpr int kFiles = 64;
  make_files(dir, kFiles);
  FileCache cache(16);  // smaller than the working set: hits and evictions interleave
  std::vector<int> wrong(2, 0), failed(2, 0);
  std::vector<std::thread> loops;
  for (int t = 0; t < 2; ++t) {
    loops.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        const int n = 1 + (i * (t == 0 ? 7 : 13) + (i / 5)) % kFiles;
        auto file = cache.get(static_cast<std::uint64_t>(n), dir.path(), std::to_string(n));
        if (!file.ok()) {
          ++failed[static_cast<std::size_t>(t)];
        } else if (text_of(**file) != "file " + std::to_string(n)) {
          ++wrong[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& loop : loops) loop.join();
  CHECK(failed == std::vector<int>{0, 0});
  CHECK(wrong == std::vector<int>{0, 0});
}
