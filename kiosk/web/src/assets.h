// The gallery's CSS and JavaScript, embedded in the binary at build time from
// kiosk/web/assets/ (nothing is fetched from the internet at run time).
#pragma once

#include <string_view>

namespace vk::web {

struct Asset {
  std::string_view name;
  std::string_view content_type;
  std::string_view body;
  std::string_view etag;  // with quotes; changes with the content
};

const Asset* find_asset(std::string_view name);

}  // namespace vk::web
