// The organizer's commands and the daemon, driven as a person would: `venuekiosk gallery ...`,
// `venuekiosk report`, and `venuekiosk serve` answering a guest over loopback.
// GCC 12 reports a false -Warray-bounds inside std::string concatenation at -O2 (GCC bug 105329).
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overread"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "http_client.h"
#include "run_command.h"
#include "temp_dir.h"

using namespace vk::testing;

namespace {

std::string vk_cmd(const TempDir& dir, const std::string& args) {
  return venuekiosk() + " --data-dir " + (dir / "data").string() + " " + args + " 2>&1";
}

}  // namespace

TEST_CASE("gallery create set list and delete from the command line", "[web][cli]") {
  TempDir dir;
  auto created = run_command(vk_cmd(dir, "gallery create Wedding --preset attendee --json"));
  REQUIRE(created.exit_code == 0);
  const auto j = nlohmann::json::parse(created.out);
  CHECK(j["id"] == 1);
  CHECK(j["token"].get<std::string>().size() == 22);
  CHECK(j["url"].get<std::string>().ends_with("/g/" + j["token"].get<std::string>()));

  auto set = run_command(vk_cmd(dir, "gallery set 1 --views unlimited --expires never --download on --window 18:00-23:30 --json"));
  REQUIRE(set.exit_code == 0);
  const auto s = nlohmann::json::parse(set.out);
  CHECK(s["view_limit"] == "unlimited");
  CHECK(s["expires"] == "never");
  CHECK(s["download"] == true);
  CHECK(s["window"] == "18:00-23:30");

  CHECK(run_command(vk_cmd(dir, "gallery set 1 --window 25:00-26:00")).exit_code == 2);
  CHECK(run_command(vk_cmd(dir, "gallery set 1 --gps keep")).exit_code == 2);  // not internal
  CHECK(run_command(vk_cmd(dir, "gallery disable 1 --json")).out.find("\"disabled\":true") != std::string::npos);
  CHECK(run_command(vk_cmd(dir, "gallery enable 1 --json")).out.find("\"disabled\":false") != std::string::npos);
  const auto list = nlohmann::json::parse(run_command(vk_cmd(dir, "gallery list --json")).out);
  CHECK(list["galleries"].size() == 1);
  const auto report = run_command(vk_cmd(dir, "report --json"));
  CHECK(report.exit_code == 0);
  CHECK(nlohmann::json::parse(report.out)["opens"] == 0);
  CHECK(run_command(vk_cmd(dir, "gallery delete 1")).exit_code == 0);
  CHECK(run_command(vk_cmd(dir, "gallery show 1")).exit_code == 2);
}

TEST_CASE("serve answers guests until SIGTERM", "[web][cli]") {
  TempDir dir;
  const auto created = run_command(vk_cmd(dir, "gallery create Party --json"));
  REQUIRE(created.exit_code == 0);
  const std::string token = nlohmann::json::parse(created.out)["token"];
  // A fixed port from a range no other test uses; the child is ours to stop.
  const std::string listen = "127.0.0.1:" + std::to_string(18000 + (::getpid() % 1000));
  const pid_t child = ::fork();
  if (child == 0) {
    const std::string data = (dir / "data").string();
    ::execl(venuekiosk().c_str(), "venuekiosk", "--data-dir", data.c_str(), "serve", "--listen", listen.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  HttpResponse health;
  for (int i = 0; i < 100 && health.status != 200; ++i) {
    ::usleep(100'000);
    health = get("http://" + listen + "/healthz");
  }
  CHECK(health.status == 200);
  CHECK(get("http://" + listen + "/g/" + token, "127.0.0.2").status == 200);
  ::kill(child, SIGTERM);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const auto report = nlohmann::json::parse(run_command(vk_cmd(dir, "report --json")).out);
  CHECK(report["opens"] == 1);  // the access log was flushed on the way out
}
