#include "sync/usb_hotplug.h"

#include <libusb.h>

#include <cstdio>

namespace vk::sync {
namespace {

constexpr std::uint8_t kMassStorageClass = 0x08;

// Readers declare the class on their interface, not the device, so a hotplug class filter
// cannot select them: look at the active configuration's interfaces instead.
bool is_mass_storage(libusb_device* device) {
  libusb_device_descriptor d{};
  if (libusb_get_device_descriptor(device, &d) != 0) return false;
  if (d.bDeviceClass == kMassStorageClass) return true;
  libusb_config_descriptor* config = nullptr;
  if (libusb_get_active_config_descriptor(device, &config) != 0 &&
      libusb_get_config_descriptor(device, 0, &config) != 0) {
    return false;
  }
  bool found = false;
  for (int i = 0; i < config->bNumInterfaces && !found; ++i) {
    const libusb_interface& itf = config->interface[i];
    for (int a = 0; a < itf.num_altsetting; ++a) found = found || itf.altsetting[a].bInterfaceClass == kMassStorageClass;
  }
  libusb_free_config_descriptor(config);
  return found;
}

int on_hotplug_event(libusb_context*, libusb_device* device, libusb_hotplug_event event, void* self) {
  static_cast<UsbHotplug*>(self)->notify(device, event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
  return 0;  // stay registered
}

struct HandleCloser {
  void operator()(libusb_device_handle* h) const { libusb_close(h); }
};

std::string string_descriptor(libusb_device_handle* handle, std::uint8_t index) {
  if (handle == nullptr || index == 0) return {};
  unsigned char text[256];
  const int n = libusb_get_string_descriptor_ascii(handle, index, text, sizeof text);
  return n > 0 ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(n)) : std::string();
}

UsbReader describe_device(libusb_device* device, bool ask_strings) {
  UsbReader r;
  libusb_device_descriptor d{};
  if (libusb_get_device_descriptor(device, &d) == 0) {
    r.vendor_id = d.idVendor;
    r.product_id = d.idProduct;
    if (ask_strings) {
      libusb_device_handle* raw = nullptr;
      // Opening needs permission on the device node; without it the ids alone are reported.
      if (libusb_open(device, &raw) == 0) {
        std::unique_ptr<libusb_device_handle, HandleCloser> handle(raw);
        r.manufacturer = string_descriptor(raw, d.iManufacturer);
        r.product = string_descriptor(raw, d.iProduct);
        r.serial = string_descriptor(raw, d.iSerialNumber);
      }
    }
  }
  r.bus = libusb_get_bus_number(device);
  r.address = libusb_get_device_address(device);
  return r;
}

}  // namespace

std::string UsbReader::describe() const {
  char ids[16];
  std::snprintf(ids, sizeof ids, "%04x:%04x", vendor_id, product_id);
  std::string out;
  if (!manufacturer.empty()) out += manufacturer + " ";
  if (!product.empty()) out += product + " ";
  out += std::string(out.empty() ? "USB card reader " : "") + ids;
  if (!serial.empty()) out += " serial " + serial;
  out += " (bus " + std::to_string(bus) + " device " + std::to_string(address) + ")";
  return out;
}

void UsbHotplug::ContextDeleter::operator()(libusb_context* context) const { libusb_exit(context); }

UsbHotplug::UsbHotplug(Callbacks callbacks) : callbacks_(std::move(callbacks)) {}

UsbHotplug::~UsbHotplug() { stop(); }

void UsbHotplug::notify(libusb_device* device, bool arrived) {
  if (!is_mass_storage(device)) return;
  // A device that left can no longer be asked for its strings; its descriptors are cached.
  const auto& callback = arrived ? callbacks_.arrived : callbacks_.left;
  if (callback) callback(describe_device(device, arrived));
}

Status UsbHotplug::start() {
  if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) == 0) {
    return make_error(ErrorCode::unsupported, "this libusb has no hotplug support");
  }
  libusb_context* raw = nullptr;
  if (const int rc = libusb_init(&raw); rc != 0) {
    return make_error(ErrorCode::unsupported, std::string("USB is not available: ") + libusb_strerror(rc));
  }
  context_.reset(raw);
  libusb_hotplug_callback_handle handle = 0;
  const int rc = libusb_hotplug_register_callback(
      raw, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, LIBUSB_HOTPLUG_ENUMERATE,
      LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, &on_hotplug_event, this,
      &handle);
  if (rc != 0) {
    context_.reset();
    return make_error(ErrorCode::unsupported, std::string("cannot watch USB devices: ") + libusb_strerror(rc));
  }
  handle_ = handle;
  stopping_ = false;
  thread_ = std::thread([this] {
    while (!stopping_) {
      timeval tv{0, 200'000};  // how promptly stop() is noticed
      libusb_handle_events_timeout_completed(context_.get(), &tv, nullptr);
    }
  });
  return {};
}

void UsbHotplug::stop() {
  stopping_ = true;
  if (context_ && handle_ >= 0) {
    // Deregistering wakes the event loop, so the thread sees stopping_ at once.
    libusb_hotplug_deregister_callback(context_.get(), handle_);
    handle_ = -1;
  }
  if (thread_.joinable()) thread_.join();
  context_.reset();
}

}  // namespace vk::sync
