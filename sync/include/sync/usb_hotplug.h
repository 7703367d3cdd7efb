// Tells the box when a USB card reader (mass-storage class 0x08) arrives or leaves, with its
// vendor/product/serial, for the journal and the organizer console. Importing does not depend
// on it: the mount watcher imports whatever the system mounts. Where libusb has no hotplug
// support (no usbfs, a container), start() fails with `unsupported` and serve goes on without it.
//
// The strings (manufacturer, product, serial) are read from sysfs, where the kernel keeps what
// it asked the device when it enumerated it: no permission on the device node is needed and
// nothing is sent to the reader. A reader that leaves is reported with what was learnt when it
// arrived (its sysfs folder is gone by then).
//
// Tested with umockdev (tests/sync/usb_hotplug_test.cpp): Debian's libusb enumerates through
// libudev, so a testbed device needs the udev properties DEVNAME/DEVTYPE=usb_device and the
// sysfs attributes busnum, devnum and descriptors, and the process must run with
// libumockdev-preload.so in LD_PRELOAD.
//
// Ownership: owns the libusb context, the hotplug registration and the event thread. Callbacks
// run on that thread. start()/stop() from one thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "vk/result.h"

struct libusb_context;
struct libusb_device;

namespace vk::sync {

struct UsbReader {
  std::uint16_t vendor_id = 0, product_id = 0;
  std::string manufacturer, product, serial;  // empty when the device has none
  int bus = 0, address = 0;
  std::string port_path;  // "1-3.2": the device's name in /sys/bus/usb/devices
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
  int handle_ = -1;                                   // libusb_hotplug_callback_handle; -1 when not registered
  std::map<std::pair<int, int>, UsbReader> present_;  // by (bus, address); event thread only
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace vk::sync
