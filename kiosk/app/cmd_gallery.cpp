// `venuekiosk gallery create|set|list|show|disable|enable|delete|tokens|add`: the organizer's
// galleries and their access rules. Changes reach a running `serve` within a second.
#include <nlohmann/json.hpp>

#include <iostream>

#include "catalog/galleries.h"
#include "commands.h"

namespace vk::app {
namespace {

using catalog::GalleryStore;

struct GalleryArgs {
  std::string name;
  std::string preset;
  std::optional<std::string> password;
  catalog::GalleryId id = 0;
  std::optional<std::string> views, expires, download, window, release, gps;
  int count = 1;
  bool single_use = false;
  std::string section;
  std::vector<catalog::PhotoId> photos;
  bool json = false;
};

std::string gallery_url(const catalog::Config& config, const std::string& token) {
  std::string host = config.web.host;
  if (host.empty()) {
    host = config.web.listen;
    if (host.ends_with(":80")) host.resize(host.size() - 3);
    if (host.starts_with("0.0.0.0")) host.replace(0, 7, "localhost");
  }
  return "http://" + host + "/g/" + token;
}

nlohmann::json to_json(const catalog::Gallery& g) {
  nlohmann::json j = {{"id", g.id},
                      {"name", g.name},
                      {"preset", std::string(catalog::preset_name(g.preset))},
                      {"all_photos", g.all_photos},
                      {"views_used", g.views_used},
                      {"download", g.rules.download},
                      {"gps_removed", g.rules.strip_gps},
                      {"password", g.has_password},
                      {"disabled", g.disabled},
                      {"created_at", g.created_at}};
  j["view_limit"] = g.rules.view_limit ? nlohmann::json(*g.rules.view_limit) : nlohmann::json("unlimited");
  j["expires"] = g.rules.expires ? nlohmann::json(catalog::to_iso_utc(*g.rules.expires)) : nlohmann::json("never");
  j["release"] = g.rules.release ? nlohmann::json(catalog::to_iso_utc(*g.rules.release)) : nlohmann::json(nullptr);
  j["window"] = g.rules.window ? nlohmann::json(catalog::format_window(*g.rules.window)) : nlohmann::json("always");
  return j;
}

void print_gallery(const catalog::Gallery& g) {
  const auto j = to_json(g);
  std::cout << "gallery " << g.id << ": " << g.name << (g.disabled ? " (disabled)" : "") << "\n";
  for (const char* key :
       {"preset", "view_limit", "views_used", "expires", "window", "release", "download", "gps_removed", "password"}) {
    std::cout << "  " << key << ": " << (j[key].is_string() ? j[key].get<std::string>() : j[key].dump()) << "\n";
  }
}

Status apply_set(GalleryStore& store, const GalleryArgs& a, const catalog::Clock& clock) {
  (void)clock;
  VK_ASSIGN_OR_RETURN(auto found, store.get(a.id));
  if (!found) return make_error(ErrorCode::not_found, "no gallery " + std::to_string(a.id));
  catalog::GalleryRules rules = found->rules;
  if (a.views) {
    if (*a.views == "unlimited") {
      rules.view_limit.reset();
    } else {
      char* end = nullptr;
      const long n = std::strtol(a.views->c_str(), &end, 10);
      if (end == a.views->c_str() || *end != '\0' || n < 0 || n > 100'000'000) {
        return make_error(ErrorCode::invalid_input, "--views takes a number or \"unlimited\"", *a.views);
      }
      rules.view_limit = static_cast<int>(n);
    }
  }
  if (a.expires) {
    if (*a.expires == "never") {
      rules.expires.reset();
    } else {
      VK_ASSIGN_OR_RETURN(rules.expires, catalog::parse_local_time(*a.expires, true));
    }
  }
  if (a.release) {
    if (*a.release == "now") {
      rules.release.reset();
    } else {
      VK_ASSIGN_OR_RETURN(rules.release, catalog::parse_local_time(*a.release, false));
    }
  }
  if (a.window) {
    if (*a.window == "always") {
      rules.window.reset();
    } else {
      VK_ASSIGN_OR_RETURN(rules.window, catalog::parse_window(*a.window));
    }
  }
  if (a.download) {
    if (*a.download != "on" && *a.download != "off")
      return make_error(ErrorCode::invalid_input, "--download takes on or off");
    rules.download = *a.download == "on";
  }
  if (a.gps) {
    if (*a.gps != "remove" && *a.gps != "keep")
      return make_error(ErrorCode::invalid_input, "--gps takes remove or keep");
    if (*a.gps == "keep" && found->preset != catalog::Preset::internal) {
      return make_error(ErrorCode::invalid_input, "only an internal gallery may keep GPS in downloaded originals");
    }
    rules.strip_gps = *a.gps == "remove";
  }
  VK_RETURN_IF_ERROR(store.set_rules(a.id, rules));
  if (a.password) VK_RETURN_IF_ERROR(store.set_password(a.id, *a.password == "none" ? std::nullopt : a.password));
  return {};
}

int run(const std::string& action, const GalleryArgs& a, const GlobalOptions& global) {
  auto context = open_context(global);
  if (!context) {
    std::cerr << "venuekiosk gallery: " << context.error().describe() << "\n";
    return kExitFailed;
  }
  AppContext& ctx = **context;
  auto opened = GalleryStore::open(ctx.config.data_dir / "catalog.db", ctx.clock);
  if (!opened) {
    std::cerr << "venuekiosk gallery: " << opened.error().describe() << "\n";
    return kExitFailed;
  }
  GalleryStore& store = **opened;
  const auto fail = [&](const Error& e) {
    std::cerr << "venuekiosk gallery " << action << ": " << e.describe() << "\n";
    return e.code == ErrorCode::invalid_input || e.code == ErrorCode::not_found ? kExitUsage : kExitFailed;
  };
  const auto show_one = [&](catalog::GalleryId id) {
    auto g = store.get(id);
    if (!g) return fail(g.error());
    if (!*g) return fail(make_error(ErrorCode::not_found, "no gallery " + std::to_string(id)));
    if (a.json) {
      std::cout << to_json(**g).dump() << "\n";
    } else {
      print_gallery(**g);
    }
    return kExitOk;
  };

  if (action == "create") {
    auto preset = catalog::parse_preset(a.preset);
    if (!preset) return fail(preset.error());
    auto created = store.create(a.name, *preset, a.password);
    if (!created) return fail(created.error());
    const std::string url = gallery_url(ctx.config, created->token);
    if (a.json) {
      std::cout << nlohmann::json({{"id", created->gallery.id}, {"token", created->token}, {"url", url}}).dump()
                << "\n";
    } else {
      std::cout << "gallery " << created->gallery.id << " \"" << a.name << "\": " << url << "\n"
                << "(the token is shown only now; `venuekiosk gallery tokens " << created->gallery.id
                << "` makes more)\n";
    }
    return kExitOk;
  }
  if (action == "list") {
    auto list = store.list();
    if (!list) return fail(list.error());
    if (a.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& g : *list) out.push_back(to_json(g));
      std::cout << nlohmann::json({{"galleries", out}}).dump() << "\n";
    } else {
      for (const auto& g : *list) {
        std::cout << g.id << "\t" << g.name << "\t" << (g.disabled ? "disabled" : "enabled") << "\t" << g.views_used
                  << (g.rules.view_limit ? "/" + std::to_string(*g.rules.view_limit) : "") << " views\n";
      }
    }
    return kExitOk;
  }
  if (action == "show") return show_one(a.id);
  if (action == "set") {
    if (auto st = apply_set(store, a, ctx.clock); !st) return fail(st.error());
    return show_one(a.id);
  }
  if (action == "disable" || action == "enable") {
    if (auto st = store.set_disabled(a.id, action == "disable"); !st) return fail(st.error());
    return show_one(a.id);
  }
  if (action == "delete") {
    if (auto st = store.remove(a.id); !st) return fail(st.error());
    if (a.json) std::cout << nlohmann::json({{"deleted", a.id}}).dump() << "\n";
    return kExitOk;
  }
  if (action == "tokens") {
    auto tokens = store.add_tokens(a.id, a.count, a.single_use);
    if (!tokens) return fail(tokens.error());
    if (a.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& t : *tokens) out.push_back({{"token", t}, {"url", gallery_url(ctx.config, t)}});
      std::cout << nlohmann::json({{"id", a.id}, {"single_use", a.single_use}, {"tokens", out}}).dump() << "\n";
    } else {
      for (const auto& t : *tokens) std::cout << gallery_url(ctx.config, t) << "\n";
    }
    return kExitOk;
  }
  if (action == "add") {
    if (auto st = store.add_photos(a.id, a.photos, a.section); !st) return fail(st.error());
    return show_one(a.id);
  }
  return kExitUsage;
}

}  // namespace

Command add_gallery_command(CLI::App& app, const GlobalOptions& global) {
  auto args = std::make_shared<GalleryArgs>();
  auto action = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand("gallery", "Galleries guests open, and their access rules");
  sub->require_subcommand(1);
  const auto with_json = [&](CLI::App* c) { c->add_flag("--json", args->json, "Print one JSON object"); };

  auto* create = sub->add_subcommand("create", "Make a gallery and its first token");
  create->add_option("NAME", args->name, "The gallery's name")->required();
  create->add_option("--preset", args->preset, "attendee | media | sponsor | internal");
  create->add_option("--password", args->password, "A password guests must give");
  with_json(create);

  auto* set = sub->add_subcommand("set", "Change a gallery's rules (live)");
  set->add_option("ID", args->id)->required();
  set->add_option("--views", args->views, "Opens allowed: a number, or unlimited");
  set->add_option("--expires", args->expires, "YYYY-MM-DD[THH:MM] (local time), or never");
  set->add_option("--download", args->download, "on | off");
  set->add_option("--window", args->window, "Daily opening hours HH:MM-HH:MM, or always");
  set->add_option("--release", args->release, "Not open before YYYY-MM-DDTHH:MM, or now");
  set->add_option("--password", args->password, "A password, or none");
  set->add_option("--gps", args->gps, "remove | keep (keep: internal galleries only)");
  with_json(set);

  auto* list = sub->add_subcommand("list", "List the galleries");
  with_json(list);
  for (const char* name : {"show", "disable", "enable", "delete"}) {
    auto* c = sub->add_subcommand(name, std::string(name) + " a gallery");
    c->add_option("ID", args->id)->required();
    with_json(c);
  }
  auto* tokens = sub->add_subcommand("tokens", "Make more tokens: one reusable, or a batch of single-use ones");
  tokens->add_option("ID", args->id)->required();
  tokens->add_option("--count", args->count, "How many");
  tokens->add_flag("--single-use", args->single_use, "Each token belongs to the first device that opens it");
  with_json(tokens);
  auto* add = sub->add_subcommand("add", "Put photos in a gallery (it then shows only the photos put in)");
  add->add_option("ID", args->id)->required();
  add->add_option("PHOTO", args->photos, "Photo ids")->required();
  add->add_option("--section", args->section, "The chapter they belong to, e.g. Ceremony");
  with_json(add);

  return {sub, [sub, args, &global] {
            for (auto* c : sub->get_subcommands()) {
              if (c->parsed()) return run(c->get_name(), *args, global);
            }
            return kExitUsage;
          }};
}

}  // namespace vk::app
