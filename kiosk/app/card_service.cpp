#include "card_service.h"

#include <iostream>
#include <mutex>

#include "catalog/ingest.h"
#include "sync/card_importer.h"
#include "sync/mount_watcher.h"
#include "sync/store_sweep.h"
#include "sync/usb_hotplug.h"

namespace vk::app {
namespace {

// Lines from several threads (watcher, jobs, USB) go to stderr, which journald keeps.
void log_line(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::cerr << "venuekiosk serve: " << line << "\n" << std::flush;
}

class CardService final : public Service {
 public:
  explicit CardService(AppContext& context) : context_(context) {}
  ~CardService() override { stop(); }

  [[nodiscard]] std::string name() const override { return "card reader"; }

  Status start() override {
    // Before this process holds the ingest lock itself (the Ingester takes it).
    VK_ASSIGN_OR_RETURN(const auto swept, sync::sweep_orphans(*context_.store, *context_.catalog));
    if (swept.removed > 0)
      log_line("removed " + std::to_string(swept.removed) + " unfinished photo file(s) of an earlier import");
    if (swept.runs_closed > 0)
      log_line(std::to_string(swept.runs_closed) +
               " interrupted import(s) marked as such; they resume when the card is read");
    if (swept.skipped) log_line("another import is running; the photo store is not cleaned this time");

    const auto& config = context_.config;
    ingester_ = std::make_unique<catalog::Ingester>(*context_.catalog, *context_.store, config.ingest);
    sync::CardImporterOptions options;
    options.cards = config.cards;
    options.workers = config.import_workers;
    options.log = log_line;
    importer_ = std::make_unique<sync::CardImporter>(*context_.catalog, *context_.store, *ingester_, options);
    watcher_ = std::make_unique<sync::MountWatcher>(
        config.cards.watch_roots,
        sync::MountWatcher::Callbacks{[this](const sync::MountEntry& m) { importer_->mounted(m); },
                                      [this](const sync::MountEntry& m) {
                                        log_line("volume at " + m.mount_point.string() + " was unmounted");
                                        importer_->unmounted(m);
                                      }});
    VK_RETURN_IF_ERROR(watcher_->start());

    usb_ = std::make_unique<sync::UsbHotplug>(sync::UsbHotplug::Callbacks{
        [](const sync::UsbReader& r) { log_line("card reader connected: " + r.describe()); },
        [](const sync::UsbReader& r) { log_line("card reader disconnected: " + r.describe()); }});
    if (auto st = usb_->start(); !st) {
      log_line("no USB reader notices (" + st.error().describe() + "); cards are still imported when mounted");
      usb_.reset();
    }
    return {};
  }

  void stop() override {
    if (usb_) usb_->stop();
    if (watcher_) watcher_->stop();  // no new jobs after this
    if (importer_) importer_->stop();
    usb_.reset();
    watcher_.reset();
    importer_.reset();
    ingester_.reset();
  }

 private:
  AppContext& context_;
  std::unique_ptr<catalog::Ingester> ingester_;
  std::unique_ptr<sync::CardImporter> importer_;
  std::unique_ptr<sync::MountWatcher> watcher_;
  std::unique_ptr<sync::UsbHotplug> usb_;
};

}  // namespace

std::unique_ptr<Service> make_card_service(AppContext& context) {
  return std::make_unique<CardService>(context);
}

}  // namespace vk::app
