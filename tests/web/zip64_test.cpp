// "Download all" past 4 GiB: the ZIP's offsets no longer fit its classic 32-bit fields, so the
// archive must carry Zip64 records, or every unzip reads garbage after the first 4 GiB. Two
// originals are replaced by 2 GiB sparse files and one by a small one, so the last two members
// start past 4 GiB (4 GiB of ZIP without 4 GiB of disk); the ZIP is streamed over real HTTP into
// a sparse file, and Python's zipfile and Info-ZIP's zipinfo read it: every member where the
// central directory says, every CRC right.
#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "run_command.h"
#include "sql_value.h"
#include "web_fixture.h"

using namespace vk;
using namespace vk::testing;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

// Writes what it receives at the right offset but skips all-zero blocks, so a 4.4 GiB download
// of mostly holes stays a sparse file.
struct SparseWriter {
  int fd = -1;
  std::uint64_t position = 0;
  static std::size_t write(char* data, std::size_t size, std::size_t n, void* self) {
    static const std::array<char, CURL_MAX_WRITE_SIZE> zeros{};
    auto* w = static_cast<SparseWriter*>(self);
    const std::size_t bytes = size * n;
    const bool hole = bytes <= zeros.size() && std::memcmp(data, zeros.data(), bytes) == 0;
    if (!hole && ::pwrite(w->fd, data, bytes, static_cast<off_t>(w->position)) != static_cast<ssize_t>(bytes)) return 0;
    w->position += bytes;
    return bytes;
  }
};

}  // namespace

TEST_CASE("download all past 4 GiB is a valid Zip64 archive", "[web][zip]") {
  WebFixture f(4);
  const auto token = f.make_gallery("Staff", catalog::Preset::internal, "s3cret");
  f.set_rules([](auto& rules) { rules.strip_gps = false; });  // the files as they are: holes stay holes
  const std::array<std::uint64_t, 3> sizes{2048 * kMiB + kMiB, 2048 * kMiB + kMiB, kMiB};  // photo 4 stays a JPEG
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const auto id = f.photos[i];
    const auto path = f.original_file(id).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
    REQUIRE(fd >= 0);
    // A marker at both ends of each member: a reader that lands at a wrong offset sees a wrong CRC.
    const std::string mark = "photo " + std::to_string(id);
    CHECK(::pwrite(fd, mark.data(), mark.size(), 0) == static_cast<ssize_t>(mark.size()));
    CHECK(::pwrite(fd, mark.data(), mark.size(), static_cast<off_t>(sizes[i] - mark.size())) ==
          static_cast<ssize_t>(mark.size()));
    ::close(fd);
    total += sizes[i];
  }
  REQUIRE(http({f.url("/g/" + token), "127.0.0.5", {}, "POST", "password=s3cret"}).status == 303);
  REQUIRE(get(f.url("/g/" + token), "127.0.0.5").status == 200);

  const auto zip_path = f.dir / "all.zip";
  SparseWriter writer;
  writer.fd = ::open(zip_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(writer.fd >= 0);
  CURL* curl = curl_easy_init();
  const std::string url = f.url("/g/" + token + "/all.zip");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_INTERFACE, "127.0.0.5");
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 300L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &SparseWriter::write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &writer);
  const CURLcode sent = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  REQUIRE(::ftruncate(writer.fd, static_cast<off_t>(writer.position)) == 0);  // trailing holes count too
  ::close(writer.fd);
  INFO(curl_easy_strerror(sent));
  REQUIRE(sent == CURLE_OK);
  REQUIRE(status == 200);
  CHECK(writer.position > total);

  // Python's zipfile: four members, the last two starting past 4 GiB, every CRC right.
  const auto python = run_command(
      "python3 -c \"import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); infos = z.infolist(); "
      "assert z.testzip() is None; "
      "print(len(infos), sum(i.header_offset > 2**32 for i in infos), infos[0].file_size)\" " +
      zip_path.string() + " 2>&1");
  INFO(python.out);
  CHECK(python.exit_code == 0);
  CHECK(python.out == "4 2 " + std::to_string(sizes[0]) + "\n");
  // Info-ZIP reads the Zip64 end records too.
  const auto listing = run_command("zipinfo -1 " + zip_path.string() + " 2>&1");
  INFO(listing.out);
  CHECK(listing.exit_code == 0);
  for (const auto id : f.photos) CHECK(listing.out.find("photo-" + std::to_string(id) + ".jpg") != std::string::npos);
}
