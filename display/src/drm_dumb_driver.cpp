// The software path on a bare console: KMS dumb buffers, no GL at all.
//
// SDL2's KMSDRM backend presents only through EGL/GLES, which on a board without a GPU is
// Mesa's llvmpipe (~16 ms a frame). Here the frame is drawn straight into one of two
// scan-out buffers mapped into memory, and shown with a page flip at the next vblank: the
// CPU cost is our own blend, nothing else. Needs DRM master (the console, no desktop running).
//
// A screen replugged (or swapped for another one) is followed: a kernel hotplug uevent for DRM,
// or a page flip that fails, makes the driver probe the connectors again; a different mode or
// connector gets new buffers at the new size and poll_events() reports `resized`. Unplugged,
// frames are drawn but not flipped until a screen is back.
#include <drm_fourcc.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "display/driver.h"
#include "vk/unique_fd.h"

namespace vk::display {

DisplayMode choose_display_mode(const std::vector<DisplayMode>& modes) {
  if (modes.empty()) return {};
  const auto preferred = std::find_if(modes.begin(), modes.end(), [](const DisplayMode& m) { return m.preferred; });
  if (preferred != modes.end()) return *preferred;
  // No preferred mode: the largest, then the fastest refresh.
  return *std::max_element(modes.begin(), modes.end(), [](const DisplayMode& a, const DisplayMode& b) {
    const long area_a = static_cast<long>(a.size.width) * a.size.height;
    const long area_b = static_cast<long>(b.size.width) * b.size.height;
    return area_a != area_b ? area_a < area_b : a.refresh_hz < b.refresh_hz;
  });
}

bool is_drm_hotplug_uevent(std::string_view message) {
  bool drm = false, hotplug = false;
  // The first field is "ACTION@DEVPATH"; the rest are NUL-separated KEY=value pairs.
  while (!message.empty()) {
    const auto end = message.find('\0');
    const std::string_view field = message.substr(0, end);
    drm |= field == "SUBSYSTEM=drm";
    hotplug |= field == "HOTPLUG=1";
    if (end == std::string_view::npos) break;
    message.remove_prefix(end + 1);
  }
  return drm && hotplug;
}

namespace {

// The kernel's uevents, read straight from netlink: one socket and a string match, where
// libudev would add a build and runtime dependency for the same message (udev rules do not
// matter here: only the kernel's own DRM hotplug event is wanted). Not valid() when unavailable.
UniqueFd open_uevent_socket() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT));
  if (!fd.valid()) return fd;
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups = 1;  // the kernel's group (udev re-broadcasts on group 2)
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) return {};
  return fd;
}

struct ResourcesDeleter {
  void operator()(drmModeRes* p) const { drmModeFreeResources(p); }
};
struct ConnectorDeleter {
  void operator()(drmModeConnector* p) const { drmModeFreeConnector(p); }
};
struct EncoderDeleter {
  void operator()(drmModeEncoder* p) const { drmModeFreeEncoder(p); }
};
struct CrtcDeleter {
  void operator()(drmModeCrtc* p) const { drmModeFreeCrtc(p); }
};
using ResourcesPtr = std::unique_ptr<drmModeRes, ResourcesDeleter>;
using ConnectorPtr = std::unique_ptr<drmModeConnector, ConnectorDeleter>;
using EncoderPtr = std::unique_ptr<drmModeEncoder, EncoderDeleter>;
using CrtcPtr = std::unique_ptr<drmModeCrtc, CrtcDeleter>;

Error drm_error(const std::string& what, int err, const std::string& device) {
  return make_error(ErrorCode::unsupported, what + ": " + std::strerror(err), device);
}

// One scan-out buffer: a dumb buffer, its framebuffer id and its mapping.
struct ScanoutBuffer {
  std::uint32_t handle = 0, fb = 0, pitch = 0;
  std::uint64_t bytes = 0;
  std::uint32_t* pixels = nullptr;
};

class DumbBufferDriver final : public ScreenDriver {
 public:
  ~DumbBufferDriver() override {
    if (!fd_.valid()) return;
    if (flip_pending_) wait_for_flip(1000);
    if (saved_crtc_) {
      // Give the console back what it showed before us.
      drmModeSetCrtc(fd_.get(), saved_crtc_->crtc_id, saved_crtc_->buffer_id, saved_crtc_->x, saved_crtc_->y,
                     &connector_, 1, &saved_crtc_->mode);
    }
    for (auto& b : buffers_) release(b);
  }

  Status init(const DriverOptions& options) {
    device_ = "/dev/dri/card" + std::to_string(std::max(0, options.drm_device));
    fd_.reset(open(device_.c_str(), O_RDWR | O_CLOEXEC));
    if (!fd_.valid()) return drm_error("cannot open the display device", errno, device_);
    std::uint64_t has_dumb = 0;
    if (drmGetCap(fd_.get(), DRM_CAP_DUMB_BUFFER, &has_dumb) != 0 || has_dumb == 0) {
      return make_error(ErrorCode::unsupported, "not a KMS device with dumb buffers", device_);
    }
    VK_RETURN_IF_ERROR(pick_output());
    for (auto& b : buffers_) VK_RETURN_IF_ERROR(allocate(b));
    saved_crtc_.reset(drmModeGetCrtc(fd_.get(), crtc_));
    if (drmModeSetCrtc(fd_.get(), crtc_, buffers_[0].fb, 0, 0, &connector_, 1, &mode_) != 0) {
      return drm_error("cannot set the display mode (is another program the DRM master?)", errno, device_);
    }
    front_ = 0;
    wake_fd_.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    uevent_fd_ = open_uevent_socket();  // without it, a failed flip still makes us look again
    return {};
  }

  [[nodiscard]] image::Size size() const override { return size_; }

  Result<FrameView> begin_frame() override {
    // The back buffer is free once the flip that showed it away has happened. A flip that
    // never completes (the screen went away mid-flip) is given up on.
    if (flip_pending_ && !wait_for_flip(100)) {
      flip_pending_ = false;
      reprobe_ = true;
      return make_error(ErrorCode::io, "the page flip did not complete", device_);
    }
    const ScanoutBuffer& back = buffers_[1 - front_];
    if (back.pixels == nullptr) {  // new buffers could not be made at a new mode: none to draw into
      reprobe_ = true;
      return make_error(ErrorCode::io,
                        "no scan-out buffer at " + std::to_string(size_.width) + "x" + std::to_string(size_.height),
                        device_);
    }
    return FrameView{back.pixels, size_.width, size_.height, static_cast<int>(back.pitch / 4)};
  }

  Status present() override {
    if (!connected_) return {};  // no screen: nothing to flip to; a hotplug event brings it back
    const int back = 1 - front_;
    if (drmModePageFlip(fd_.get(), crtc_, buffers_[back].fb, DRM_MODE_PAGE_FLIP_EVENT, this) != 0) {
      // Unplugged, or the mode no longer fits the connector: look at the outputs again.
      reprobe_ = true;
      return drm_error("cannot flip to the new frame", errno, device_);
    }
    flip_pending_ = true;
    front_ = back;
    return {};
  }

  DriverEvents poll_events(int wait_ms) override {
    // No window system: a wake-up, and the kernel's hotplug events.
    if (wait_ms > 0) {
      std::array<pollfd, 2> p{pollfd{wake_fd_.get(), POLLIN, 0}, pollfd{uevent_fd_.get(), POLLIN, 0}};
      poll(p.data(), uevent_fd_.valid() ? 2 : 1, wait_ms);
    }
    std::uint64_t count = 0;
    while (read(wake_fd_.get(), &count, sizeof count) > 0) {
    }
    if (uevent_fd_.valid()) {
      char message[4096];
      ssize_t n = 0;
      while ((n = recv(uevent_fd_.get(), message, sizeof message, 0)) > 0) {
        reprobe_ |= is_drm_hotplug_uevent({message, static_cast<std::size_t>(n)});
      }
    }
    DriverEvents events;
    if (reprobe_) {
      reprobe_ = false;
      std::string note;
      events.resized = follow_output(note);
      // Said once: a failure retried on every frame is not repeated 60 times a second.
      if (!note.empty() && note != last_note_) events.note = last_note_ = std::move(note);
    }
    return events;
  }

  void wake() override {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = write(wake_fd_.get(), &one, sizeof one);
  }

  [[nodiscard]] std::string describe() const override {
    return "kms dumb buffers " + device_ + " " + std::to_string(size_.width) + "x" + std::to_string(size_.height) +
           "@" + std::to_string(mode_.vrefresh) + " XRGB8888";
  }

 private:
  Status pick_output() {
    ResourcesPtr res(drmModeGetResources(fd_.get()));
    if (!res) return drm_error("cannot read the display resources", errno, device_);
    for (int i = 0; i < res->count_connectors; ++i) {
      ConnectorPtr conn(drmModeGetConnector(fd_.get(), res->connectors[i]));
      if (!conn || conn->connection != DRM_MODE_CONNECTED || conn->count_modes == 0) continue;
      std::vector<DisplayMode> modes;
      for (int m = 0; m < conn->count_modes; ++m) {
        const auto& mi = conn->modes[m];
        modes.push_back(
            {{mi.hdisplay, mi.vdisplay}, static_cast<int>(mi.vrefresh), (mi.type & DRM_MODE_TYPE_PREFERRED) != 0});
      }
      const DisplayMode chosen = choose_display_mode(modes);
      for (int m = 0; m < conn->count_modes; ++m) {
        if (conn->modes[m].hdisplay == chosen.size.width && conn->modes[m].vdisplay == chosen.size.height &&
            static_cast<int>(conn->modes[m].vrefresh) == chosen.refresh_hz) {
          mode_ = conn->modes[m];
          break;
        }
      }
      const auto crtc = find_crtc(*res, *conn);
      if (crtc == 0) continue;
      connector_ = conn->connector_id;
      crtc_ = crtc;
      size_ = {mode_.hdisplay, mode_.vdisplay};
      return {};
    }
    return make_error(ErrorCode::unsupported, "no connected screen", device_);
  }

  // Probes the outputs again after a hotplug or a failed flip. True when the frame size
  // changed (the show composes its slides again). Same connector, same mode: nothing to do.
  // `note` says what changed, for the log.
  bool follow_output(std::string& note) {
    const auto old_mode = mode_;
    const auto old_connector = connector_, old_crtc = crtc_;
    const image::Size old_size = size_;
    if (!pick_output()) {
      // Unplugged: keep drawing into the old buffers, flip nothing.
      if (connected_) note = "no screen is connected to " + device_ + " any more; the show goes on when one is";
      connected_ = false;
      connector_ = old_connector, crtc_ = old_crtc, mode_ = old_mode, size_ = old_size;
      return false;
    }
    const bool same = connected_ && connector_ == old_connector && crtc_ == old_crtc &&
                      mode_.hdisplay == old_mode.hdisplay && mode_.vdisplay == old_mode.vdisplay &&
                      mode_.vrefresh == old_mode.vrefresh;
    connected_ = true;
    if (same) return false;
    if (flip_pending_) wait_for_flip(100);
    flip_pending_ = false;
    const bool have_buffers = buffers_[0].pixels != nullptr && buffers_[1].pixels != nullptr;
    if (size_ != old_size || !have_buffers) {
      for (auto& b : buffers_) release(b);
      for (auto& b : buffers_) {
        if (auto st = allocate(b); !st) {
          // Out of buffer memory: frames are skipped and the next one looks again. The show
          // still learns the new size, so it never draws a slide of the old one.
          connected_ = false;
          note = st.error().describe();
          return size_ != old_size;
        }
      }
    }
    front_ = 0;
    if (drmModeSetCrtc(fd_.get(), crtc_, buffers_[0].fb, 0, 0, &connector_, 1, &mode_) != 0) {
      note = drm_error("cannot set the display mode", errno, device_).describe();
      connected_ = false;
    } else {
      note = "showing on " + describe();
    }
    return size_ != old_size;
  }

  std::uint32_t find_crtc(const drmModeRes& res, const drmModeConnector& conn) const {
    // The CRTC already driving this connector, else the first one an encoder of it can use.
    if (conn.encoder_id != 0) {
      EncoderPtr enc(drmModeGetEncoder(fd_.get(), conn.encoder_id));
      if (enc && enc->crtc_id != 0) return enc->crtc_id;
    }
    for (int e = 0; e < conn.count_encoders; ++e) {
      EncoderPtr enc(drmModeGetEncoder(fd_.get(), conn.encoders[e]));
      if (!enc) continue;
      for (int c = 0; c < res.count_crtcs; ++c) {
        if ((enc->possible_crtcs & (1U << c)) != 0) return res.crtcs[c];
      }
    }
    return 0;
  }

  Status allocate(ScanoutBuffer& b) {
    const auto w = static_cast<std::uint32_t>(size_.width), h = static_cast<std::uint32_t>(size_.height);
    if (int rc = drmModeCreateDumbBuffer(fd_.get(), w, h, 32, 0, &b.handle, &b.pitch, &b.bytes); rc != 0) {
      return drm_error("cannot create a scan-out buffer", -rc, device_);
    }
    // Depth 24 / 32 bpp is XRGB8888: our canvases' format, so frames are copied unconverted.
    if (drmModeAddFB(fd_.get(), w, h, 24, 32, b.pitch, b.handle, &b.fb) != 0) {
      return drm_error("cannot register the scan-out buffer", errno, device_);
    }
    std::uint64_t offset = 0;
    if (int rc = drmModeMapDumbBuffer(fd_.get(), b.handle, &offset); rc != 0) {
      return drm_error("cannot map the scan-out buffer", -rc, device_);
    }
    void* p = mmap(nullptr, b.bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.get(), static_cast<off_t>(offset));
    if (p == MAP_FAILED) return drm_error("cannot map the scan-out buffer", errno, device_);
    b.pixels = static_cast<std::uint32_t*>(p);
    std::memset(b.pixels, 0, b.bytes);
    return {};
  }

  void release(ScanoutBuffer& b) const {
    if (b.pixels != nullptr) munmap(b.pixels, b.bytes);
    if (b.fb != 0) drmModeRmFB(fd_.get(), b.fb);
    if (b.handle != 0) drmModeDestroyDumbBuffer(fd_.get(), b.handle);
    b = {};
  }

  bool wait_for_flip(int timeout_ms) {
    drmEventContext ctx{};
    ctx.version = 2;
    ctx.page_flip_handler = [](int, unsigned, unsigned, unsigned, void* self) {
      static_cast<DumbBufferDriver*>(self)->flip_pending_ = false;
    };
    while (flip_pending_) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (poll(&p, 1, timeout_ms) <= 0) return false;
      drmHandleEvent(fd_.get(), &ctx);
    }
    return true;
  }

  std::string device_;
  UniqueFd fd_;
  UniqueFd wake_fd_;
  UniqueFd uevent_fd_;
  bool reprobe_ = false;   // look at the outputs again at the next poll_events()
  std::string last_note_;  // what the log was last told about the screen
  bool connected_ = true;  // a screen is there to flip to
  std::uint32_t connector_ = 0, crtc_ = 0;
  drmModeModeInfo mode_{};
  image::Size size_;
  std::array<ScanoutBuffer, 2> buffers_{};
  int front_ = 0;
  bool flip_pending_ = false;
  CrtcPtr saved_crtc_;
};

}  // namespace

Result<std::unique_ptr<ScreenDriver>> make_dumb_buffer_driver(const DriverOptions& options) {
  auto driver = std::make_unique<DumbBufferDriver>();
  VK_RETURN_IF_ERROR(driver->init(options));
  return std::unique_ptr<ScreenDriver>(std::move(driver));
}

}  // namespace vk::display
