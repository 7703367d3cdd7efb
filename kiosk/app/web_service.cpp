#include "web_service.h"

#include "catalog/access_log.h"
#include "catalog/galleries.h"
#include "web/server.h"

namespace vk::app {
namespace {

class WebService final : public Service {
 public:
  WebService(AppContext& context, ServeOptions options) : context_(context), options_(std::move(options)) {}
  [[nodiscard]] std::string name() const override { return "web server on " + listen(); }

  Status start() override {
    const auto database = context_.config.data_dir / "catalog.db";
    VK_ASSIGN_OR_RETURN(galleries_, catalog::GalleryStore::open(database, context_.clock));
    VK_ASSIGN_OR_RETURN(log_, catalog::AccessLog::open(database, {}));
    const auto& web = context_.config.web;
    web::ServerOptions o;
    o.listen = listen();
    o.threads = web.threads;
    o.max_connections = web.max_connections;
    o.max_connections_per_client = web.max_connections_per_client;
    o.portal_host = web.host;
    o.admin_password = web.admin_password;
    o.event_title = context_.config.event_title;
    o.landing_token = web.landing_token;
    o.session_minutes = web.session_minutes;
    web::ServerDeps deps{context_.catalog.get(), galleries_.get(), log_.get(), &context_.clock, context_.config.data_dir};
    VK_ASSIGN_OR_RETURN(server_, web::Server::start(o, deps));
    return {};
  }

  void stop() override {
    server_.reset();  // stops the loops first, so nothing records after the log closes
    log_.reset();     // flushes the queued events
    galleries_.reset();
  }

 private:
  [[nodiscard]] std::string listen() const { return options_.listen.empty() ? context_.config.web.listen : options_.listen; }

  AppContext& context_;
  ServeOptions options_;
  std::unique_ptr<catalog::GalleryStore> galleries_;
  std::unique_ptr<catalog::AccessLog> log_;
  std::unique_ptr<web::Server> server_;
};

}  // namespace

std::unique_ptr<Service> make_web_service(AppContext& context, const ServeOptions& options) {
  return std::make_unique<WebService>(context, options);
}

}  // namespace vk::app
