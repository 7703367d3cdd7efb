#include "catalog/photo_store.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "catalog/sha256.h"
#include "fault_fs.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::catalog;

TEST_CASE("store: content-addressed layout", "[store]") {
  const std::string sha = sha256_hex(std::vector<std::uint8_t>{'a', 'b', 'c'});
  CHECK(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(is_sha256_hex(sha));
  CHECK_FALSE(is_sha256_hex("../etc/passwd"));
  CHECK(PhotoStore::relative_path(FileRole::original, sha, "jpg") == "originals/ba/" + sha + ".jpg");
  CHECK(PhotoStore::relative_path(FileRole::raw, sha, "cr2") == "originals/ba/" + sha + ".cr2");
  CHECK(PhotoStore::relative_path(FileRole::screen, sha, "jpg") == "screen/ba/" + sha + ".jpg");
  CHECK(PhotoStore::relative_path(FileRole::thumb, sha, "jpg") == "thumb/ba/" + sha + ".jpg");
}

TEST_CASE("store: put writes complete files and leaves no temp file", "[store]") {
  testing::TempDir dir;
  PhotoStore store(dir.path(), posix_file_system());
  REQUIRE(store.open().ok());
  const std::vector<std::uint8_t> bytes(100000, 42);
  const std::string rel = PhotoStore::relative_path(FileRole::original, sha256_hex(bytes), "jpg");
  REQUIRE(store.put(rel, bytes).ok());
  CHECK(std::filesystem::file_size(store.absolute(rel)) == bytes.size());
  CHECK(std::filesystem::is_empty(dir / "tmp"));
  REQUIRE(store.put(rel, bytes).ok());  // already there: kept
}

TEST_CASE("store: disk full fails cleanly - nothing at the final path", "[store]") {
  testing::TempDir dir;
  testing::FaultyFileSystem fs;
  PhotoStore store(dir.path(), fs);
  REQUIRE(store.open().ok());
  fs.writes_before_disk_full = 0;
  const std::vector<std::uint8_t> bytes(1000, 1);
  const std::string rel = PhotoStore::relative_path(FileRole::thumb, sha256_hex(bytes), "jpg");
  const auto st = store.put(rel, bytes);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == ErrorCode::no_space);
  CHECK(st.error().message.find("disk is full") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(store.absolute(rel)));
}

TEST_CASE("store: a real ENOSPC from a full file system leaves no temp file", "[store]") {
  // /dev/full fails every write with ENOSPC: point a write at it through the real POSIX layer.
  testing::TempDir dir;
  const auto st = posix_file_system().write_durably("/dev/full", dir / "never.jpg", std::vector<std::uint8_t>(10, 1));
  REQUIRE_FALSE(st.ok());
  CHECK_FALSE(std::filesystem::exists(dir / "never.jpg"));
}

TEST_CASE("store: open() removes temp files of dead processes - keeps live ones", "[store]") {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "tmp");
  const std::string mine = std::to_string(::getpid()) + "-0.part";
  std::ofstream(dir / "tmp" / "999999999-3.part") << "half a photo";
  std::ofstream(dir / "tmp" / "garbage") << "?";
  std::ofstream(dir / "tmp" / mine) << "being written";
  PhotoStore store(dir.path(), posix_file_system());
  REQUIRE(store.open().ok());
  CHECK_FALSE(std::filesystem::exists(dir / "tmp" / "999999999-3.part"));
  CHECK_FALSE(std::filesystem::exists(dir / "tmp" / "garbage"));
  CHECK(std::filesystem::exists(dir / "tmp" / mine));
}
