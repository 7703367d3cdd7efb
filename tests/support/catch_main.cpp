// The one main() of every Catch2 test executable (Debian 12 ships Catch2 2.13).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
  // image/ reads RAW files in its reader program, which it finds beside the running binary or
  // through VK_RAW_READER: a test binary is not beside it, so point at the build tree's.
  ::setenv("VK_RAW_READER", VK_RAW_READER_PATH, 0);
  return Catch::Session().run(argc, argv);
}
