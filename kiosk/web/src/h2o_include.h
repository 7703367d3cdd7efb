// The one place h2o's header is included. libh2o-evloop is built with epoll and its structs
// differ without H2O_USE_EPOLL (pkg-config does not say so); CMake defines it for this module,
// and this check keeps a file from ever including h2o without it.
#pragma once

#ifndef H2O_USE_EPOLL
#error "kiosk/web must be compiled with -DH2O_USE_EPOLL=1 (see kiosk/web/CMakeLists.txt)"
#endif

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <h2o.h>
#pragma GCC diagnostic pop
