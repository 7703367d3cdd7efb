// The HTML guests and the organizer see: server-rendered, escaped, no inline script or style
// (the CSP forbids both), English or Chinese. Pure functions from data to text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/galleries.h"
#include "catalog/reports.h"
#include "request.h"
#include "snapshot.h"

namespace vk::web {

std::string escape_html(std::string_view text);

enum class Phone { iphone, android, other };
Phone phone_kind(std::string_view user_agent);

// Why a guest is turned away; each has its own page and status.
enum class Refusal {
  unknown_token,
  disabled,
  expired,
  view_limit,
  not_yet_open,
  closed_now,
  wrong_password,
  other_device,
  too_many_guesses,
  downloads_off,
  location_kept,  // an original whose GPS we cannot strip (not JPEG): never sent
  busy
};  // the password checkers' queue is full
int refusal_status(Refusal refusal);
std::string_view refusal_slug(Refusal refusal);  // for the access log: "expired", "view-limit", ...

struct PageContext {
  Language language = Language::en;
  std::string event_title;
  Phone phone = Phone::other;
};

std::string landing_page(const PageContext& ctx, const std::string& gallery_link);
std::string refusal_page(const PageContext& ctx, Refusal refusal);
std::string password_page(const PageContext& ctx, std::string_view token, bool wrong);
std::string captive_page(const std::string& landing_url);  // the body of a "captive" probe answer

inline constexpr std::size_t kPhotosPerPage = 80;  // keeps the page well under 30 KB
std::string gallery_page(const PageContext& ctx, std::string_view token, const Snapshot& snapshot,
                         const GalleryView& gallery, std::size_t page);

std::string admin_page(const PageContext& ctx, const catalog::Report& report,
                       const std::vector<catalog::Gallery>& galleries);

}  // namespace vk::web
