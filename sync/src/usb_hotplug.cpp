#include "sync/usb_hotplug.h"

#include <libusb.h>

#include <array>
#include <cstdio>
#include <fstream>

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
    for (int a = 0; a < itf.num_altsetting; ++a)
      found = found || itf.altsetting[a].bInterfaceClass == kMassStorageClass;
  }
  libusb_free_config_descriptor(config);
  return found;
}

int on_hotplug_event(libusb_context*, libusb_device* device, libusb_hotplug_event event, void* self) {
  static_cast<UsbHotplug*>(self)->notify(device, event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
  return 0;  // stay registered
}

std::string port_path(libusb_device* device) {
  std::array<std::uint8_t, 8> ports{};  // USB 3 allows at most 7 tiers below the root
  const int n = libusb_get_port_numbers(device, ports.data(), static_cast<int>(ports.size()));
  if (n <= 0) return {};
  std::string path = std::to_string(libusb_get_bus_number(device)) + "-";
  for (int i = 0; i < n; ++i) path += (i > 0 ? "." : "") + std::to_string(ports[static_cast<std::size_t>(i)]);
  return path;
}

std::string sysfs_string(const std::string& port, const char* attribute) {
  if (port.empty()) return {};
  std::ifstream in(std::string("/sys/bus/usb/devices/") + port + "/" + attribute);
  std::string value;
  std::getline(in, value);
  return value;
}

UsbReader describe_device(libusb_device* device) {
  UsbReader r;
  libusb_device_descriptor d{};
  if (libusb_get_device_descriptor(device, &d) == 0) {
    r.vendor_id = d.idVendor;
    r.product_id = d.idProduct;
  }
  r.bus = libusb_get_bus_number(device);
  r.address = libusb_get_device_address(device);
  r.port_path = port_path(device);
  r.manufacturer = sysfs_string(r.port_path, "manufacturer");
  r.product = sysfs_string(r.port_path, "product");
  r.serial = sysfs_string(r.port_path, "serial");
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

void UsbHotplug::ContextDeleter::operator()(libusb_context* context) const {
  libusb_exit(context);
}

UsbHotplug::UsbHotplug(Callbacks callbacks) : callbacks_(std::move(callbacks)) {}

UsbHotplug::~UsbHotplug() {
  stop();
}

void UsbHotplug::notify(libusb_device* device, bool arrived) {
  const std::pair<int, int> where{libusb_get_bus_number(device), libusb_get_device_address(device)};
  if (arrived) {
    if (!is_mass_storage(device)) return;
    const UsbReader& reader = present_[where] = describe_device(device);
    if (callbacks_.arrived) callbacks_.arrived(reader);
    return;
  }
  // libusb keeps the descriptors of a device that left, but its sysfs strings are gone.
  const auto known = present_.find(where);
  if (known == present_.end()) return;  // not a reader (or it came and went before start())
  const UsbReader reader = known->second;
  present_.erase(known);
  if (callbacks_.left) callbacks_.left(reader);
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
  present_.clear();  // LIBUSB_HOTPLUG_ENUMERATE reports the readers present now, on this thread
  libusb_hotplug_callback_handle handle = 0;
  const int rc = libusb_hotplug_register_callback(
      raw, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, LIBUSB_HOTPLUG_ENUMERATE,
      LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, &on_hotplug_event, this, &handle);
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
