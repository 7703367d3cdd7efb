// Tells the box when a USB card reader (mass-storage class 0x08) arrives or leaves, with its
// vendor/product/serial, for the journal and the organizer console. Importing does not depend
// on it: the mount watcher imports whatever the system mounts. Where libusb has no hotplug
// support (no usbfs, a container), start() fails with `unsupported` and serve goes on without it.
//
// Ownership: owns the libusb context, the hotplug registration and the event thread. Callbacks
// run on that thread. start()/stop() from one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "vk/result.h"

struct libusb_context;
struct libusb_device;

namespace vk::sync {

struct UsbReader {
  std::uint16_t vendor_id = 0, product_id = 0;
  std::string manufacturer, product, serial;  // empty when the device could not be opened to ask
  int bus = 0, address = 0;
  // "Generic Mass-Storage 05e3:0749 serial 000000001206 (bus 1 device 4)"
  [[nodiscard]] std::string describe() const;
};

class UsbHotplug {
 public:
  struct Callbacks {
    std::function<void(const UsbReader&)> arrived;
    std::function<void(const UsbReader&)> left;
  };
  explicit UsbHotplug(Callbacks callbacks);
  ~UsbHotplug();
  UsbHotplug(const UsbHotplug&) = delete;
  UsbHotplug& operator=(const UsbHotplug&) = delete;

  // Readers already plugged in are reported as arrived.
  Status start();
  void stop();

  // For the libusb callback (event thread) only: reports one device if it is a card reader.
  void notify(libusb_device* device, bool arrived);

 private:
  struct ContextDeleter {
    void operator()(libusb_context* context) const;
  };

  Callbacks callbacks_;
  std::unique_ptr<libusb_context, ContextDeleter> context_;
  int handle_ = -1;  // libusb_hotplug_callback_handle; -1 when not registered
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace vk::sync
