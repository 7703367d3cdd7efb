// The null driver: frames live in a canvas, nothing is shown. For tests of the show loop.
#include "display/driver.h"

namespace vk::display {
namespace {

class MemoryDriver final : public ScreenDriver {
 public:
  explicit MemoryDriver(image::Size size) : frame_(size.width, size.height) {}
  [[nodiscard]] image::Size size() const override { return frame_.size(); }
  Result<FrameView> begin_frame() override { return frame_.view(); }
  Status present() override { return {}; }
  DriverEvents poll_events(int /*wait_ms*/) override { return {}; }
  void wake() override {}
  [[nodiscard]] std::string describe() const override {
    return "memory " + std::to_string(frame_.width) + "x" + std::to_string(frame_.height);
  }

 private:
  Canvas frame_;
};

}  // namespace

std::unique_ptr<ScreenDriver> make_memory_driver(image::Size size) {
  return std::make_unique<MemoryDriver>(size);
}

}  // namespace vk::display
