// The small parts of card detection: the mount table, volume identity, configuration.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <ctime>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "catalog/config.h"
#include "fixtures.h"
#include "read_file.h"
#include "run_command.h"
#include "sync/card_scan.h"
#include "sync/fat_attributes.h"
#include "sync/mount_table.h"
#include "sync/volume_identity.h"
#include "temp_dir.h"

using namespace vk;
using namespace vk::sync;
namespace fx = vk::fixtures;
namespace fs = std::filesystem;

TEST_CASE("mount table: mountinfo lines are parsed with escapes and optional fields", "[mounts]") {
  const auto mounts = parse_mountinfo(
      "22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw\n"
      "98 22 8:17 / /media/venuekiosk/EOS\\040R6 ro,nosuid,nodev,noexec shared:50 master:3 - vfat /dev/sdb1 "
      "ro,fmask=0022\n"
      "99 22 0:39 / /tmp/x/mnt ro,nosuid,nodev,relatime - fuse.fusefat fusefat ro,user_id=0\n"
      "garbage line\n");
  REQUIRE(mounts.size() == 3);
  CHECK(mounts[1].mount_point == "/media/venuekiosk/EOS R6");
  CHECK(mounts[1].fs_type == "vfat");
  CHECK(mounts[1].source == "/dev/sdb1");
  CHECK(mounts[1].read_only);
  CHECK_FALSE(mounts[0].read_only);
  CHECK(mounts[2].fs_type == "fuse.fusefat");
  CHECK(is_below("/media/venuekiosk/EOS R6", "/media"));
  CHECK(is_below("/media", "/media/"));
  CHECK_FALSE(is_below("/mediax/card", "/media"));
  CHECK_FALSE(is_below("/", "/media"));
}

TEST_CASE("volume identity: label and serial come from a real FAT32 boot sector", "[mounts]") {
  testing::TempDir dir;
  fx::write_file(dir / "src" / "DCIM" / "100CANON" / "IMG_0001.JPG", fx::make_jpeg({}));
  auto card = fx::CardImage::create(dir / "card.img", dir / "src", "EOS_R6");
  std::ifstream in(card.image(), std::ios::binary);
  std::vector<std::uint8_t> sector(512);
  in.read(reinterpret_cast<char*>(sector.data()), 512);
  auto id = parse_boot_sector(sector);
  REQUIRE(id.has_value());
  CHECK(id->label == "EOS_R6");
  REQUIRE(id->uuid.size() == 9);
  CHECK(id->uuid[4] == '-');
  // mtools' own view of the serial must agree.
  const std::string cmd = "minfo -i " + card.image().string() + " :: 2>/dev/null | grep -i 'serial number'";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char line[256] = {};
  const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  ::pclose(pipe);
  REQUIRE(got);
  std::string plain = id->uuid;  // minfo prints "6BC2526B", blkid and udev "6BC2-526B"
  plain.erase(4, 1);
  CHECK(std::string(line).find(plain) != std::string::npos);
  CHECK(id->display("/media/x") == "EOS_R6 (" + id->uuid + ")");

  // Mounted with fusefat, the identity is found through the FUSE daemon's image.
  card.mount(dir / "mnt");
  const MountEntry entry{fs::canonical(dir / "mnt"), "fuse.fusefat", "fusefat", true};
  const auto mounted = identify_volume(entry);
  CHECK(mounted.uuid == id->uuid);
  CHECK(mounted.label == "EOS_R6");
  CHECK(mounted.device == card.image());
  card.unmount();
}

TEST_CASE("volume identity: processes exiting while /proc is searched for a FUSE daemon do not end the search",
          "[mounts]") {
  // The search reads every process's command line; one that exits between open and read makes
  // read() fail with ESRCH. Short-lived processes come and go the whole time here.
  std::atomic<bool> churning{true};
  std::atomic<int> spawned{0};
  std::thread churn([&] {
    while (churning) {
      std::array<pid_t, 8> children{};
      for (auto& child : children) {
        child = ::fork();
        if (child == 0) {
          const timespec pause{0, 200'000L * (::getpid() % 8)};  // 0-1.4 ms, so some are listed
          ::nanosleep(&pause, nullptr);
          ::_exit(0);
        }
      }
      for (const pid_t child : children) {
        if (child > 0) ::waitpid(child, nullptr, 0);
      }
      spawned += static_cast<int>(children.size());
    }
  });
  int searches = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (std::chrono::steady_clock::now() < until) {
    // No daemon serves this mount point: each call searches /proc 20 times and finds nothing.
    CHECK_FALSE(mount_source_file({"/nowhere/mnt", "fuse.fusefat", "fusefat", true}).has_value());
    ++searches;
  }
  churning = false;
  churn.join();
  INFO(searches << " searches while " << spawned << " processes came and went");
  CHECK(spawned > 100);
}

TEST_CASE("volume identity: not a FAT boot sector gives no identity - an unknown mount its folder name", "[mounts]") {
  std::vector<std::uint8_t> zeros(512, 0);
  CHECK_FALSE(parse_boot_sector(zeros).has_value());
  const auto id = identify_volume({"/media/nowhere/CARD", "vfat", "not-a-device", true});
  CHECK(id.uuid.empty());
  CHECK(id.key("/media/nowhere/CARD") == "CARD");
}

TEST_CASE("config: card options parse and wrong values are refused with the key", "[config]") {
  auto c = catalog::parse_config(
      "[cards]\nwatch_roots = [\"/srv/cards\"]\nvolumes = [\"EOS_R6\"]\n"
      "[import]\nfilter = \"protected\"\nfree_space_reserve_mb = 200\nignore_older_than = \"2026-11-29T08:30\"\n");
  REQUIRE(c.ok());
  CHECK(c->cards.watch_roots == std::vector<fs::path>{"/srv/cards"});
  CHECK(c->cards.volumes == std::vector<std::string>{"EOS_R6"});
  CHECK(c->cards.filter == catalog::CardOptions::Filter::protected_only);
  CHECK(c->cards.free_space_reserve_bytes == 200ULL * 1024 * 1024);
  CHECK(c->ingest.ignore_captured_before == std::string("2026-11-29T08:30:00"));
  CHECK_FALSE(c->ingest.min_rating.has_value());
  CHECK(c->ingest.approve_automatically);

  const catalog::Config defaults;
  CHECK(defaults.cards.watch_roots == std::vector<fs::path>{"/media", "/run/media", "/mnt"});
  CHECK(defaults.cards.free_space_reserve_bytes == 1024ULL * 1024 * 1024);

  auto bad_filter = catalog::parse_config("[import]\nfilter = \"best\"\n");
  REQUIRE_FALSE(bad_filter.ok());
  CHECK(bad_filter.error().message.find("import.filter") != std::string::npos);
  auto bad_roots = catalog::parse_config("[cards]\nwatch_roots = \"/media\"\n");
  REQUIRE_FALSE(bad_roots.ok());
  CHECK(bad_roots.error().message.find("cards.watch_roots") != std::string::npos);
  auto bad_time = catalog::parse_config("[import]\nignore_older_than = \"yesterday\"\n");
  REQUIRE_FALSE(bad_time.ok());
  CHECK(bad_time.error().message.find("import.ignore_older_than") != std::string::npos);
}

namespace {

// A FAT image made by mtools (an independent writer): `mformat_args` pick the FAT type; three
// files, one of them with a long name in a sub-folder, two marked read-only with mattrib +r.
std::set<std::string> fat_image_with_protected_files(const fs::path& dir, const std::string& mformat_args) {
  const std::string img = (dir / "card.img").string();
  fx::write_file(dir / "one.jpg", fx::make_jpeg({}));
  auto sh = [&](const std::string& cmd) { REQUIRE(testing::run_command(cmd + " >/dev/null 2>&1").exit_code == 0); };
  sh("mformat -i " + img + " -C " + mformat_args + " ::");
  sh("mmd -i " + img + " ::/DCIM ::/DCIM/100CANON ::/DCIM/101_Trip");
  for (const char* target : {"::/DCIM/100CANON/IMG_0001.JPG", "::/DCIM/100CANON/IMG_0002.JPG",
                             "'::/DCIM/101_Trip/Sunset at the pier, long name.jpg'"}) {
    sh("mcopy -i " + img + " " + (dir / "one.jpg").string() + " " + target);
  }
  sh("mattrib -i " + img + " +r ::/DCIM/100CANON/IMG_0002.JPG '::/DCIM/101_Trip/Sunset at the pier, long name.jpg'");
  auto found = read_only_files(img);
  INFO((found ? std::string() : found.error().describe()));
  REQUIRE(found.ok());
  return *found;
}

}  // namespace

TEST_CASE("fat attributes: read-only files are read from FAT12, FAT16 and FAT32 directories", "[mounts]") {
  const std::set<std::string> expected = {"dcim/100canon/img_0002.jpg",
                                          "dcim/101_trip/sunset at the pier, long name.jpg"};
  for (const std::string args : {"-T 2880 -h 2 -s 18", "-T 65536 -h 4 -s 16", "-F -T 131072 -h 4 -s 32"}) {
    INFO(args);
    testing::TempDir dir;
    CHECK(fat_image_with_protected_files(dir.path(), args) == expected);
  }
  CHECK(fat_path_key("DCIM/101_Trip/Sunset.JPG") == "dcim/101_trip/sunset.jpg");
}

TEST_CASE("fat attributes: what is not a FAT volume is refused - a damaged one does not hang", "[mounts]") {
  testing::TempDir dir;
  fx::write_file(dir / "zeros.img", std::vector<std::uint8_t>(4096, 0));
  CHECK(read_only_files(dir / "zeros.img").error().code == ErrorCode::invalid_input);
  CHECK_FALSE(read_only_files(dir / "missing.img").ok());
  // A FAT full of one value: every chain ends in a cluster that points at itself. Each cluster
  // is read once at most, so this ends.
  const std::string img = (dir / "loop.img").string();
  REQUIRE(
      testing::run_command("mformat -i " + img + " -C -T 2880 -h 2 -s 18 :: && mmd -i " + img + " ::/DCIM").exit_code ==
      0);
  std::vector<std::uint8_t> bytes = testing::read_all(img);
  for (std::size_t at = 512 + 3; at < 512 + 9 * 512; ++at) bytes[at] = 0x33;  // FAT12 entries 0x333 from cluster 2 on
  fx::write_file(dir / "loop.img", bytes);
  CHECK(read_only_files(img).ok());
  CHECK_FALSE(vfat_read_only(dir / "zeros.img").has_value());  // not on vfat
}

TEST_CASE("card scan: DCIM is walked before the card's other folders", "[mounts]") {
  testing::TempDir dir;
  fx::write_file(dir / "card" / "ALBUM" / "cover.jpg", fx::make_jpeg({}));
  fx::write_file(dir / "card" / "DCIM" / "100CANON" / "IMG_0001.JPG", fx::make_jpeg({}));
  auto scan = scan_source(dir / "card");
  REQUIRE(scan.ok());
  REQUIRE(scan->items.size() == 2);
  CHECK(scan->items[0].relative == "DCIM/100CANON/IMG_0001.JPG");
  CHECK(scan->items[1].relative == "ALBUM/cover.jpg");
}
