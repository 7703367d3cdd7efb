// The one main() of every Catch2 test executable (Debian 12 ships Catch2 2.13).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
