// The USB hotplug listener against card readers that umockdev emulates (no USB bus here): a
// reader plugged in before the listener starts, one arriving and leaving while it runs, and a
// keyboard that must not be taken for a reader.
//
// umockdev works by LD_PRELOADing libumockdev-preload.so, which redirects /sys and /dev to the
// testbed and feeds its uevents to libudev monitors; that library has to be there when the
// process starts. So this case runs itself again in a child with the preload set (ctest and a
// plain run of the executable both work), and only the child (marked by an environment
// variable) talks to the testbed.
#include "sync/usb_hotplug.h"

#include <catch2/catch.hpp>
#include <limits.h>
#include <umockdev.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "sync/volume_identity.h"

using namespace vk;
using namespace vk::sync;

namespace {

constexpr const char* kCaseName = "usb hotplug: umockdev card readers arriving and leaving are reported";
constexpr const char* kChildMarker = "VK_USB_HOTPLUG_TEST_CHILD";

struct UsbDevice {
  std::string port;  // sysfs name, "1-3"
  int devnum;
  std::string vendor, product;  // "05e3", "0749"
  int interface_class;          // 0x08 mass storage, 0x03 HID
  std::string manufacturer, product_name, serial;
};

std::string hex(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  char two[3];
  for (auto b : bytes) {
    std::snprintf(two, sizeof two, "%02X", b);
    out += two;
  }
  return out;
}

// Device descriptor, one configuration with one interface of the given class and two bulk
// endpoints: what the kernel shows in the sysfs `descriptors` file and libusb parses.
std::vector<std::uint8_t> descriptors(const UsbDevice& d) {
  const auto vid = static_cast<std::uint16_t>(std::stoi(d.vendor, nullptr, 16));
  const auto pid = static_cast<std::uint16_t>(std::stoi(d.product, nullptr, 16));
  auto lo = [](std::uint16_t v) { return static_cast<std::uint8_t>(v & 0xff); };
  auto hi = [](std::uint16_t v) { return static_cast<std::uint8_t>(v >> 8); };
  return {
      0x12,    0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, lo(vid), hi(vid), lo(pid),
      hi(pid), 0x32, 0x15, 1,    2,    3,    1,    0x09, 0x02,    0x20,    0x00,
      0x01,    0x01, 0x00, 0x80, 0x32, 0x09, 0x04, 0x00, 0x00,    0x02,    static_cast<std::uint8_t>(d.interface_class),
      0x06,    0x50, 0x00, 0x07, 0x05, 0x81, 0x02, 0x00, 0x02,    0x00,    0x07,
      0x05,    0x02, 0x02, 0x00, 0x02, 0x00};
}

std::string syspath(const UsbDevice& d) {
  return "/sys/devices/pci0000:00/0000:00:14.0/usb1/" + d.port;
}

// What libusb needs to see a device through libudev: DEVNAME (it is skipped without a device
// node), DEVTYPE=usb_device, busnum/devnum and the raw descriptors (without them libusb 1.0.26
// drops the device silently); the strings are what the kernel would show.
void plug_in(UMockdevTestbed* testbed, const UsbDevice& d) {
  char node[32];
  std::snprintf(node, sizeof node, "bus/usb/001/%03d", d.devnum);
  std::ostringstream text;
  text << "P: " << syspath(d).substr(4) << "\nN: " << node << "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
       << "E: DEVNAME=/dev/" << node << "\nE: BUSNUM=001\nE: DEVNUM=" << (node + 12)
       << "\nA: busnum=1\nA: devnum=" << d.devnum << "\nA: idVendor=" << d.vendor << "\nA: idProduct=" << d.product
       << "\nA: manufacturer=" << d.manufacturer << "\nA: product=" << d.product_name << "\nA: serial=" << d.serial
       << "\nH: descriptors=" << hex(descriptors(d)) << "\n";
  GError* error = nullptr;
  const bool added = umockdev_testbed_add_from_string(testbed, text.str().c_str(), &error);
  INFO((error != nullptr ? error->message : ""));
  if (error != nullptr) g_error_free(error);
  REQUIRE(added);
}

void pull_out(UMockdevTestbed* testbed, const UsbDevice& d) {
  // The uevent first: it carries DEVNAME, from which libusb learns which device left.
  umockdev_testbed_uevent(testbed, syspath(d).c_str(), "remove");
  umockdev_testbed_remove_device(testbed, syspath(d).c_str());
}

struct Seen {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::string, UsbReader>> events;  // "arrived"/"left", reader

  void add(const char* kind, const UsbReader& r) {
    std::lock_guard lock(mutex);
    events.emplace_back(kind, r);
    changed.notify_all();
  }
  // A deadline only so a broken listener fails instead of hanging; events come within ms.
  std::vector<std::pair<std::string, UsbReader>> wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(20), [&] { return events.size() >= count; });
    return events;
  }
};

// A card in the reader shows up as a SCSI disk below the reader's interface; a card in the
// board's own SD slot as mmcblk below the card, which has a CID serial.
void check_block_devices(UMockdevTestbed* testbed, const UsbDevice& reader) {
  const std::string parent = syspath(reader);
  gchar* itf = umockdev_testbed_add_device(testbed, "usb", (reader.port + ":1.0").c_str(), parent.c_str(),
                                           "bInterfaceClass", "08", nullptr, "DEVTYPE", "usb_interface", nullptr);
  gchar* disk = umockdev_testbed_add_device(testbed, "block", "sdb", itf, "size", "62333952", nullptr, "DEVNAME",
                                            "/dev/sdb", "DEVTYPE", "disk", nullptr);
  gchar* part = umockdev_testbed_add_device(testbed, "block", "sdb1", disk, "size", "62325760", nullptr, "DEVNAME",
                                            "/dev/sdb1", "DEVTYPE", "partition", nullptr);
  CHECK(reader_of_block_device("/dev/sdb1") == "Generic USB Storage 05e3:0749 serial 000000001206");
  CHECK(reader_of_block_device("/dev/sdb") == "Generic USB Storage 05e3:0749 serial 000000001206");
  CHECK(reader_of_block_device("/dev/sdz9").empty());

  gchar* card = umockdev_testbed_add_device(testbed, "mmc", "mmc0:aaaa", nullptr, "serial", "0x8f3e2a71", "name",
                                            "SD64G", nullptr, nullptr);
  gchar* mmc = umockdev_testbed_add_device(testbed, "block", "mmcblk0", card, "size", "124735488", nullptr, "DEVNAME",
                                           "/dev/mmcblk0", "DEVTYPE", "disk", nullptr);
  umockdev_testbed_set_attribute_link(testbed, mmc, "device", "..");  // as the kernel links it
  gchar* mmc_part = umockdev_testbed_add_device(testbed, "block", "mmcblk0p1", mmc, "size", "124727296", nullptr,
                                                "DEVNAME", "/dev/mmcblk0p1", "DEVTYPE", "partition", nullptr);
  CHECK(reader_of_block_device("/dev/mmcblk0p1") == "SD card SD64G serial 0x8f3e2a71");
  umockdev_testbed_remove_device(testbed, card);
  for (gchar* p : {itf, disk, part, card, mmc, mmc_part}) g_free(p);
}

void run_against_testbed() {
  UMockdevTestbed* testbed = umockdev_testbed_new();
  const UsbDevice early{"1-1", 2, "0bda", "0158", 0x08, "Realtek", "USB2.0-CRW", "20071114173400000"};
  const UsbDevice keyboard{"1-2", 3, "046d", "c31c", 0x03, "Logitech", "USB Keyboard", "KB0001"};
  const UsbDevice reader{"1-3", 4, "05e3", "0749", 0x08, "Generic", "USB Storage", "000000001206"};
  plug_in(testbed, early);

  Seen seen;
  UsbHotplug hotplug(
      {[&](const UsbReader& r) { seen.add("arrived", r); }, [&](const UsbReader& r) { seen.add("left", r); }});
  const auto started = hotplug.start();
  INFO((started ? std::string() : started.error().describe()));
  REQUIRE(started);

  // The reader already there is reported at start, and the keyboard (plugged first) never is.
  plug_in(testbed, keyboard);
  plug_in(testbed, reader);
  auto events = seen.wait_for(2);
  REQUIRE(events.size() == 2);
  CHECK(events[0].first == "arrived");
  CHECK(events[0].second.vendor_id == 0x0bda);
  CHECK(events[0].second.serial == "20071114173400000");
  CHECK(events[1].first == "arrived");
  CHECK(events[1].second.vendor_id == 0x05e3);
  CHECK(events[1].second.product_id == 0x0749);
  CHECK(events[1].second.serial == "000000001206");
  CHECK(events[1].second.manufacturer == "Generic");
  CHECK(events[1].second.product == "USB Storage");
  CHECK(events[1].second.port_path == "1-3");
  CHECK(events[1].second.bus == 1);
  CHECK(events[1].second.address == 4);
  CHECK(events[1].second.describe() == "Generic USB Storage 05e3:0749 serial 000000001206 (bus 1 device 4)");

  // The card's partition below the reader: its volume identity names the reader and serial.
  check_block_devices(testbed, reader);

  // Leaving: the keyboard first (ignored), then the reader, reported with its serial although
  // its sysfs folder is gone.
  pull_out(testbed, keyboard);
  pull_out(testbed, reader);
  events = seen.wait_for(3);
  REQUIRE(events.size() == 3);
  CHECK(events[2].first == "left");
  CHECK(events[2].second.vendor_id == 0x05e3);
  CHECK(events[2].second.serial == "000000001206");
  CHECK(events[2].second.address == 4);

  hotplug.stop();
  CHECK(seen.wait_for(0).size() == 3);  // and nothing else came in the meantime
  g_object_unref(testbed);
}

std::string own_executable() {
  char path[PATH_MAX] = {};
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

TEST_CASE(kCaseName, "[usb]") {
  // The marker, not umockdev_in_mock_environment() (which says false even with the preload set in
  // umockdev 0.17), tells the child that it is the child, so it never starts another one.
  if (const char* child = std::getenv(kChildMarker); child != nullptr) {
    const char* preload = std::getenv("LD_PRELOAD");
    REQUIRE(preload != nullptr);
    REQUIRE(std::string(preload).find("libumockdev-preload") != std::string::npos);
    run_against_testbed();
    return;
  }
  // ASan insists on being the first library loaded; the preload comes first here on purpose.
  std::ostringstream command;
  command << kChildMarker << "=1 LD_PRELOAD=libumockdev-preload.so.0 "
          << "ASAN_OPTIONS=verify_asan_link_order=0:${ASAN_OPTIONS:-} '" << own_executable() << "' '" << kCaseName
          << "' 2>&1";
  const auto child = testing::run_command(command.str());
  INFO(child.out);
  CHECK(child.exit_code == 0);
  CHECK(child.out.find("All tests passed") != std::string::npos);
}
