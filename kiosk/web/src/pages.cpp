#include "pages.h"

#include <algorithm>

namespace vk::web {
namespace {

struct Text {
  const char* en;
  const char* zh;
};
const char* t(const PageContext& ctx, const Text& text) {
  return ctx.language == Language::zh ? text.zh : text.en;
}

constexpr Text kSaveIphone{"To save a photo: open this page in Safari, then touch and hold the photo.",
                           "保存照片：在 Safari 中打开本页，然后长按照片。"};
constexpr Text kSaveAndroid{"To save a photo: open it and tap the download button.",
                            "保存照片：打开照片，点击下载按钮。"};
constexpr Text kSaveOther{"To save a photo: open it and use the download button, or touch and hold it.",
                          "保存照片：打开照片后点击下载按钮，或长按照片。"};
// A gallery with downloads off has no download button: the hint must not send anyone looking
// for one.
constexpr Text kViewOnly{"Photos can be viewed here; the organizer has turned downloads off for this gallery.",
                         "此相册仅供浏览，主办方已关闭下载。"};
constexpr Text kOpenPhotos{"Open the photos", "查看照片"};
constexpr Text kCodeLabel{"Your gallery code", "您的相册代码"};
constexpr Text kGo{"Open", "打开"};
constexpr Text kDownloadAll{"Download all (ZIP)", "全部下载 (ZIP)"};
constexpr Text kDownload{"Download", "下载"};
constexpr Text kNoPhotos{"No photos yet. New photos appear here as they are taken: reload this page in a while.",
                         "还没有照片。新照片会陆续出现，请稍后刷新本页。"};
constexpr Text kNext{"More photos", "更多照片"};
constexpr Text kPrev{"Previous photos", "上一页"};
constexpr Text kPassword{"This gallery has a password.", "此相册需要密码。"};
constexpr Text kWrongPassword{"That password is not right. Please try again.", "密码不正确，请重试。"};
constexpr Text kEnter{"Enter", "进入"};

std::string head(const PageContext& ctx, std::string_view title) {
  std::string out = "<!doctype html><html lang=\"";
  out += ctx.language == Language::zh ? "zh" : "en";
  out +=
      "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>";
  out += escape_html(title);
  out += "</title><link rel=\"stylesheet\" href=\"/assets/app.css\">";
  return out;
}

std::string save_hint(const PageContext& ctx) {
  switch (ctx.phone) {
    case Phone::iphone: return t(ctx, kSaveIphone);
    case Phone::android: return t(ctx, kSaveAndroid);
    case Phone::other: break;
  }
  return t(ctx, kSaveOther);
}

std::string gallery_hint(const PageContext& ctx, bool download) {
  return download ? save_hint(ctx) : std::string(t(ctx, kViewOnly));
}

std::string simple_page(const PageContext& ctx, std::string_view heading, std::string_view body_html) {
  std::string out = head(ctx, ctx.event_title);
  out += "</head><body><main class=\"card\"><h1>";
  out += escape_html(heading);
  out += "</h1>";
  out += body_html;
  out += "</main></body></html>\n";
  return out;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Phone phone_kind(std::string_view ua) {
  if (ua.find("iPhone") != std::string_view::npos || ua.find("iPad") != std::string_view::npos) return Phone::iphone;
  if (ua.find("Android") != std::string_view::npos) return Phone::android;
  return Phone::other;
}

int refusal_status(Refusal r) {
  switch (r) {
    case Refusal::unknown_token: return 404;
    case Refusal::disabled: return 403;
    case Refusal::expired: return 410;
    case Refusal::view_limit: return 403;
    case Refusal::not_yet_open: return 403;
    case Refusal::closed_now: return 403;
    case Refusal::wrong_password: return 401;
    case Refusal::other_device: return 403;
    case Refusal::too_many_guesses: return 429;
    case Refusal::downloads_off: return 403;
    case Refusal::location_kept: return 403;
    case Refusal::busy: return 503;
  }
  return 403;
}

std::string_view refusal_slug(Refusal r) {
  switch (r) {
    case Refusal::unknown_token: return "unknown-token";
    case Refusal::disabled: return "disabled";
    case Refusal::expired: return "expired";
    case Refusal::view_limit: return "view-limit";
    case Refusal::not_yet_open: return "not-yet-open";
    case Refusal::closed_now: return "closed-now";
    case Refusal::wrong_password: return "wrong-password";
    case Refusal::other_device: return "other-device";
    case Refusal::too_many_guesses: return "too-many-guesses";
    case Refusal::downloads_off: return "downloads-off";
    case Refusal::location_kept: return "location-kept";
    case Refusal::busy: return "busy";
  }
  return "refused";
}

std::string refusal_page(const PageContext& ctx, Refusal r) {
  Text heading{"", ""}, body{"", ""};
  switch (r) {
    case Refusal::unknown_token:
      heading = {"Gallery not found", "找不到相册"};
      body = {"This link or code does not open any gallery. Check it, or ask the organizer.",
              "此链接或代码无法打开任何相册。请检查，或询问主办方。"};
      break;
    case Refusal::disabled:
      heading = {"Gallery switched off", "相册已关闭"};
      body = {"The organizer has switched this gallery off for now.", "主办方暂时关闭了此相册。"};
      break;
    case Refusal::expired:
      heading = {"Gallery expired", "相册已过期"};
      body = {"This gallery was open for a limited time, and that time is over.", "此相册的开放时间已结束。"};
      break;
    case Refusal::view_limit:
      heading = {"View limit reached", "已达到查看次数上限"};
      body = {"This gallery has been opened as many times as the organizer allowed.",
              "此相册的打开次数已达到主办方设定的上限。"};
      break;
    case Refusal::not_yet_open:
      heading = {"Not open yet", "尚未开放"};
      body = {"The photos are not released yet. Please come back later.", "照片尚未发布，请稍后再来。"};
      break;
    case Refusal::closed_now:
      heading = {"Closed at this hour", "此时段不开放"};
      body = {"This gallery opens only at certain hours. Please come back during opening hours.",
              "此相册只在特定时段开放，请在开放时间再来。"};
      break;
    case Refusal::wrong_password:
      heading = {"Wrong password", "密码错误"};
      body = kWrongPassword;
      break;
    case Refusal::other_device:
      heading = {"Already used on another device", "已在其他设备上使用"};
      body = {"This code belongs to the phone that opened it first. Ask the organizer for your own code.",
              "此代码已绑定到第一次打开它的设备。请向主办方索取您自己的代码。"};
      break;
    case Refusal::too_many_guesses:
      heading = {"Too many tries", "尝试次数过多"};
      body = {"Too many wrong codes or passwords from this device. Please wait ten minutes.",
              "此设备输入错误的代码或密码次数过多，请等待十分钟。"};
      break;
    case Refusal::downloads_off:
      heading = {"Downloads are off", "下载已关闭"};
      body = {"The organizer has not allowed downloads in this gallery.", "主办方未允许在此相册中下载。"};
      break;
    case Refusal::location_kept:
      heading = {"Original not available", "无法提供原图"};
      body = {
          "This photo's original file records where it was taken, and that cannot be removed from this "
          "kind of file. Save the photo from the viewer instead: that copy carries no location.",
          "此照片的原始文件记录了拍摄地点，而此类文件无法去除该信息。请改从查看器中保存照片：该副本不含位置信息。"};
      break;
    case Refusal::busy:
      heading = {"One moment, please", "请稍候"};
      body = {"Many passwords are being checked right now. Please try again in a few seconds.",
              "目前正在核对大量密码，请几秒钟后再试。"};
      break;
  }
  return simple_page(ctx, t(ctx, heading), std::string("<p>") + escape_html(t(ctx, body)) + "</p>");
}

std::string landing_page(const PageContext& ctx, const std::string& gallery_link) {
  std::string body = "<p class=\"hint\">" + escape_html(save_hint(ctx)) + "</p>";
  if (!gallery_link.empty()) {
    body += "<p><a class=\"btn\" href=\"" + escape_html(gallery_link) + "\">" + escape_html(t(ctx, kOpenPhotos)) +
            "</a></p>";
  }
  body += "<form method=\"get\" action=\"/g\"><label>" + escape_html(t(ctx, kCodeLabel)) +
          " <input name=\"code\" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" "
          "maxlength=\"64\"></label> "
          "<button type=\"submit\">" +
          escape_html(t(ctx, kGo)) + "</button></form>";
  return simple_page(ctx, ctx.event_title, body);
}

std::string password_page(const PageContext& ctx, std::string_view token, bool wrong) {
  std::string body;
  if (wrong) body += "<p class=\"error\">" + escape_html(t(ctx, kWrongPassword)) + "</p>";
  body += "<p>" + escape_html(t(ctx, kPassword)) + "</p><form method=\"post\" action=\"/g/" + escape_html(token) +
          "\"><input type=\"password\" name=\"password\" maxlength=\"200\" autocomplete=\"current-password\"> <button "
          "type=\"submit\">" +
          escape_html(t(ctx, kEnter)) + "</button></form>";
  return simple_page(ctx, ctx.event_title, body);
}

std::string captive_page(const std::string& landing_url) {
  const std::string url = escape_html(landing_url);
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>Photos</title></head><body><h1>Photos</h1>"
         "<p><a href=\"" +
         url + "\">Open the photos</a></p></body></html>\n";
}

std::string gallery_page(const PageContext& ctx, std::string_view token_view, const Snapshot& snapshot,
                         const GalleryView& view, std::size_t page) {
  const std::string token(token_view);
  const std::string base = "/g/" + token + "/";
  const bool download = view.gallery.rules.download;
  std::string out = head(ctx, ctx.event_title + " · " + view.gallery.name);
  out += "<script src=\"/assets/gallery.js\" defer></script></head><body><header><h1>";
  out += escape_html(ctx.event_title);
  out += "</h1><p class=\"sub\">" + escape_html(view.gallery.name) + "</p><p class=\"hint\">" +
         escape_html(gallery_hint(ctx, download)) + "</p>";
  if (download && !view.items.empty()) {
    out +=
        "<p><a class=\"btn\" href=\"" + base + "all.zip\" download>" + escape_html(t(ctx, kDownloadAll)) + "</a></p>";
  }
  out += "</header><main id=\"gallery\" data-download=\"";
  out += download ? "1" : "0";
  out += "\" data-label-download=\"" + escape_html(t(ctx, kDownload)) + "\">";
  if (view.items.empty()) out += "<p>" + escape_html(t(ctx, kNoPhotos)) + "</p>";
  const std::size_t pages = std::max<std::size_t>(1, (view.items.size() + kPhotosPerPage - 1) / kPhotosPerPage);
  page = std::min(page, pages - 1);
  const std::size_t first = page * kPhotosPerPage;
  const std::size_t last = std::min(view.items.size(), first + kPhotosPerPage);
  const std::string* open_section = nullptr;
  for (std::size_t i = first; i < last; ++i) {
    const auto& item = view.items[i];
    if (open_section == nullptr || *open_section != item.section) {
      if (open_section != nullptr) out += "</ul></section>";
      out += "<section>";
      if (!item.section.empty()) out += "<h2>" + escape_html(item.section) + "</h2>";
      out += "<ul class=\"grid\">";
      open_section = &item.section;
    }
    const auto& p = snapshot.photos[item.photo];
    const std::string id = std::to_string(p.id);
    out += "<li><a href=\"" + base + "s/" + id + ".jpg\"";
    if (download) out += " data-o=\"" + base + "o/" + id + ".jpg\"";
    out += "><img src=\"" + base + "t/" + id + ".jpg\" srcset=\"" + base + "t/" + id + ".jpg " +
           std::to_string(p.thumb.width) + "w," + base + "s/" + id + ".jpg " + std::to_string(p.screen.width) +
           "w\" sizes=\"(max-width:600px) 33vw,200px\" width=\"" + std::to_string(p.thumb.width) + "\" height=\"" +
           std::to_string(p.thumb.height) + "\" loading=\"lazy\" alt=\"\"></a></li>";
  }
  if (open_section != nullptr) out += "</ul></section>";
  if (pages > 1) {
    out += "<nav class=\"pages\">";
    if (page > 0)
      out += "<a href=\"" + base + "?p=" + std::to_string(page) + "\">" + escape_html(t(ctx, kPrev)) + "</a> ";
    if (page + 1 < pages) {
      out += "<a rel=\"next\" href=\"" + base + "?p=" + std::to_string(page + 2) + "\">" + escape_html(t(ctx, kNext)) +
             "</a>";
    }
    out += "</nav>";
  }
  out += "</main></body></html>\n";
  return out;
}

std::string admin_page(const PageContext& ctx, const catalog::Report& r,
                       const std::vector<catalog::Gallery>& galleries) {
  std::string body = "<p>Opens: " + std::to_string(r.opens) +
                     " · unique visitors: " + std::to_string(r.unique_visitors) +
                     " · photo views: " + std::to_string(r.views) + " · downloads: " + std::to_string(r.downloads) +
                     " · refused: " + std::to_string(r.refused) + "</p>";
  if (r.peak_hour)
    body += "<p>Peak hour: " + escape_html(*r.peak_hour) + " (" + std::to_string(r.peak_hour_opens) + " opens)</p>";
  body +=
      "<h2>Galleries</h2><table><tr><th>id</th><th>name</th><th>opens</th><th>views "
      "used</th><th>download</th><th>state</th></tr>";
  for (const auto& g : galleries) {
    std::int64_t opens = 0;
    for (const auto& gr : r.galleries) {
      if (gr.id == g.id) opens = gr.opens;
    }
    body += "<tr><td>" + std::to_string(g.id) + "</td><td>" + escape_html(g.name) + "</td><td>" +
            std::to_string(opens) + "</td><td>" + std::to_string(g.views_used) +
            (g.rules.view_limit ? "/" + std::to_string(*g.rules.view_limit) : "") + "</td><td>" +
            (g.rules.download ? "on" : "off") + "</td><td>" + (g.disabled ? "disabled" : "enabled") + "</td></tr>";
  }
  body += "</table><h2>Devices</h2><ul>";
  for (const auto& [d, n] : r.devices) body += "<li>" + escape_html(d) + ": " + std::to_string(n) + "</li>";
  body += "</ul><h2>Most viewed photos</h2><ol>";
  for (const auto& [id, n] : r.top_photos)
    body += "<li>photo " + std::to_string(id) + ": " + std::to_string(n) + " views</li>";
  body += "</ol>";
  return simple_page(ctx, ctx.event_title + " · organizer", body);
}

}  // namespace vk::web
