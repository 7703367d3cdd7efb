// The GPU path (`--output renderer`) for real: SDL's offscreen video driver with the GLES2
// renderer a Pi uses, here on Mesa's software GL through EGL (no GPU on this machine, the same
// renderer code and shaders). Without motion the frame is ours, copied 1:1; with
// screen.motion = "pan-zoom" the renderer composes each frame from layers: the slide scaled by
// the GPU, the overlays over it unscaled. Frames are read back from the renderer.
#include <catch2/catch.hpp>
#if defined(__SANITIZE_ADDRESS__)
// libasan's allocator interface (sanitizer/allocator_interface.h, which only clang installs).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

#include "display/motion.h"
#include "display/show.h"
#include "event_fixture.h"
#include "image/decode.h"
#include "read_file.h"
#include "zbar_decode.h"

using namespace vk;
using testing::EventFixture;

namespace {

constexpr image::Size kScreen{1280, 720};
constexpr const char* kUrl = "http://photos.venue/g/Zoom7";

// Picks SDL's renderer for the duration of a test (SDL reads the hint when it makes one).
class RenderDriver {
 public:
  explicit RenderDriver(const char* name) { setenv("SDL_RENDER_DRIVER", name, 1); }
  ~RenderDriver() { unsetenv("SDL_RENDER_DRIVER"); }
  RenderDriver(const RenderDriver&) = delete;
  RenderDriver& operator=(const RenderDriver&) = delete;
};

display::ShowOptions renderer_show(const std::filesystem::path& data, const std::string& motion, int frames) {
  display::ShowOptions o;
  o.config.data_dir = data;
  o.config.event_title = "Zoom";
  o.config.screen.gallery_url = kUrl;
  o.config.screen.motion = motion;
  o.config.screen.dwell_seconds = 2;
  o.config.screen.fade_seconds = 1;
  o.driver = "renderer";
  o.driver_options.video_driver = "offscreen";
  o.driver_options.window_size = kScreen;
  o.driver_options.vsync = false;
  o.simulated_clock = true;
  o.frames = frames;
  return o;
}

struct Shot {
  display::Canvas frame;
  display::FrameInfo info;
};

struct Run {
  std::string driver;  // describe()
  std::map<int, Shot> shots;
  int first_photo_frame = -1;  // the first frame with a photo fully on screen
};

// Runs the show and keeps the frames for which `keep(info)` is true.
Run run_and_keep(const display::ShowOptions& options, const std::function<bool(const display::FrameInfo&)>& keep) {
  Run run;
  auto o = options;
  o.on_frame = [&](const display::FrameInfo& info, const display::FrameView& view) {
    if (run.first_photo_frame < 0 && !info.showing.empty()) run.first_photo_frame = info.frame;
    if (!keep(info)) return;
    Shot shot{display::Canvas(view.width, view.height), info};
    for (int y = 0; y < view.height; ++y) std::copy_n(view.row(y), view.width, shot.frame.px.data() + y * view.width);
    run.shots[info.frame] = std::move(shot);
  };
  auto summary = display::run_show(o);
  REQUIRE(summary.ok());
  run.driver = summary->driver;
  return run;
}

bool near(std::uint32_t pixel, fixtures::Rgb c, int tolerance) {
  return std::abs(display::red_of(pixel) - c.r) <= tolerance && std::abs(display::green_of(pixel) - c.g) <= tolerance &&
         std::abs(display::blue_of(pixel) - c.b) <= tolerance;
}

// The photo's width on screen in row y: from the first to the last pixel of its own colour
// (the letterbox beside it is a blurred, dimmed copy, far darker).
int photo_width(const display::Canvas& frame, int y, fixtures::Rgb colour) {
  int first = -1, last = -1;
  for (int x = 0; x < frame.width; ++x) {
    if (!near(frame.at(x, y), colour, 12)) continue;
    if (first < 0) first = x;
    last = x;
  }
  return first < 0 ? 0 : last - first + 1;
}

// The process's memory in MB: resident memory, or under ASan the live heap (ASan keeps freed
// blocks in a quarantine and adds shadow memory, which would swamp resident memory there).
double memory_mb() {
#if defined(__SANITIZE_ADDRESS__)
  return static_cast<double>(__sanitizer_get_current_allocated_bytes()) / (1024 * 1024);
#else
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
#endif
}

bool has_code(display::Canvas frame) {  // a copy: zbar reads a mutable view
  const auto codes = testing::decode_qr_codes(frame);
  return std::find(codes.begin(), codes.end(), kUrl) != codes.end();
}

}  // namespace

TEST_CASE("The GPU path without motion shows our frame 1:1 with a QR that scans", "[show][renderer]") {
  EventFixture event;
  constexpr fixtures::Rgb kColour{200, 60, 40};
  event.add_solid(kColour);
  for (const char* renderer : {"opengles2", "software"}) {
    CAPTURE(renderer);
    RenderDriver pick(renderer);
    const Run run =
        run_and_keep(renderer_show(event.data_dir(), "off", 90), [](const auto& info) { return info.frame == 89; });
    CHECK(run.driver.find(std::string("renderer ") + renderer) != std::string::npos);
    REQUIRE(run.shots.count(89) == 1);
    auto frame = run.shots.at(89).frame;
    CHECK(frame.size() == kScreen);
    REQUIRE_FALSE(run.shots.at(89).info.showing.empty());
    CHECK(near(frame.at(kScreen.width / 2, kScreen.height / 2), kColour, 6));
    CHECK(has_code(frame));
  }
}

TEST_CASE("With pan-zoom on the GPU the photo grows evenly on screen while the QR stays crisp", "[show][renderer]") {
  EventFixture event;
  // A 4:3 photo on a 16:9 screen: its sharp side edges show how large the GPU draws it.
  constexpr fixtures::Rgb kFirst{220, 200, 40};
  event.add_solid(kFirst);
  RenderDriver pick("opengles2");
  // The first photo is cut in at start-up and fades out after its 2 s dwell: its zoom runs over
  // fade in + dwell + fade out = 4 s (path 0 zooms in from the whole slide).
  const Run run = run_and_keep(renderer_show(event.data_dir(), "pan-zoom", 150),
                               [](const auto& info) { return !info.showing.empty() && info.frame % 20 == 0; });
  CHECK(run.driver.find("composes layers") != std::string::npos);
  REQUIRE(run.first_photo_frame >= 0);
  REQUIRE(run.shots.size() >= 4);
  const image::Size slide = display::slide_canvas_size(kScreen, display::Motion::pan_zoom);
  const int row = kScreen.height / 3;  // clear of the title (top) and the QR panel (bottom)
  std::optional<double> slide_width;   // the photo's width in the slide, from the first frame
  int last_width = 0;
  for (auto& [n, shot] : run.shots) {
    CAPTURE(n);
    const double progress = (n - run.first_photo_frame) / 60.0 / 4.0;
    const display::Window window = display::zoom_window(slide, kScreen, 0, progress);
    const double scale = kScreen.width / window.width;
    const int width = photo_width(shot.frame, row, kFirst);
    CAPTURE(width, scale);
    if (!slide_width) slide_width = width / scale;
    // The width on screen follows the zoom to within two pixels: the GPU draws what we ask.
    CHECK(std::abs(width - *slide_width * scale) <= 2.0);
    CHECK(width > last_width);  // it grows, frame after frame
    last_width = width;
    CHECK(has_code(shot.frame));  // drawn unscaled over the zooming photo
  }
  // A 4:3 photo fits the slide's height: 778 * 4 / 3, about 1037 pixels wide.
  CHECK(*slide_width == Approx(slide.height * 4.0 / 3.0).margin(3));
}

TEST_CASE("With pan-zoom on the GPU a crossfade blends the two photos and the QR scans mid-fade", "[show][renderer]") {
  EventFixture event;
  constexpr fixtures::Rgb kRed{220, 30, 30}, kBlue{30, 60, 220};
  event.add_solid(kRed, 1920, 1080);
  event.add_solid(kBlue, 1920, 1080);
  RenderDriver pick("opengles2");
  // The fade from the first photo to the second: frames ~120-180 after start-up.
  const Run run = run_and_keep(renderer_show(event.data_dir(), "pan-zoom", 200),
                               [](const auto& info) { return !info.fading_in.empty(); });
  REQUIRE(run.shots.size() >= 20);
  const auto& middle = std::next(run.shots.begin(), static_cast<std::ptrdiff_t>(run.shots.size() / 2))->second;
  auto frame = middle.frame;
  const std::uint32_t centre = frame.at(kScreen.width / 2, kScreen.height / 2);
  CAPTURE(display::red_of(centre), display::green_of(centre), display::blue_of(centre));
  // Neither photo alone: a mix of red and blue (which photo came first depends on the order).
  CHECK(display::red_of(centre) > 60);
  CHECK(display::blue_of(centre) > 60);
  CHECK(display::red_of(centre) + display::blue_of(centre) > 200);
  CHECK(has_code(frame));
  // The fade ends on the other photo, whole.
  const auto& end = std::prev(run.shots.end())->second.frame;
  const std::uint32_t last = end.at(kScreen.width / 2, kScreen.height / 2);
  CHECK((near(last, kRed, 30) || near(last, kBlue, 30)));
}

TEST_CASE("pan-zoom on a renderer that cannot blend layers runs as pan", "[show][renderer]") {
  EventFixture event;
  fixtures::JpegSpec spec;
  spec.width = kScreen.width;
  spec.height = kScreen.height;
  event.add(spec);                // quadrants
  RenderDriver pick("software");  // SDL's software renderer: no custom blend modes
  const Run run = run_and_keep(renderer_show(event.data_dir(), "pan-zoom", 120), [](const auto& info) {
    return !info.showing.empty() && (info.frame == 60 || info.frame == 110);
  });
  CHECK(run.driver.find("composes layers") == std::string::npos);
  REQUIRE(run.shots.size() == 2);
  // Panning: the picture moved by whole pixels without changing its size (a row of the top
  // half: red, then green from the photo's middle on).
  const auto edge = [](const display::Canvas& c, int y) {
    for (int x = 0; x < c.width; ++x) {
      if (display::green_of(c.at(x, y)) > display::red_of(c.at(x, y))) return x;
    }
    return -1;
  };
  const int before = edge(run.shots.at(60).frame, 200), after = edge(run.shots.at(110).frame, 200);
  CHECK(before > 0);
  CHECK(after < before);  // path 0 moves the window right: the picture left
  auto frame = run.shots.at(110).frame;
  CHECK(has_code(frame));
}

TEST_CASE("With pan-zoom on the GPU memory stays flat from slide to slide", "[show][renderer]") {
  EventFixture event;
  event.add_solid({200, 60, 40}, 1920, 1080);
  event.add_solid({40, 160, 90}, 1920, 1080);
  event.add_solid({60, 80, 200}, 1920, 1080);
  RenderDriver pick("opengles2");
  auto o = renderer_show(event.data_dir(), "pan-zoom", 0);
  o.config.screen.dwell_seconds = 1;
  o.max_fades = 10;  // a new slide every 2 s of the simulated clock
  // Memory, sampled about once a simulated second (no frame is read back).
  std::vector<double> rss_mb;
  o.heartbeat = [&] { rss_mb.push_back(memory_mb()); };
  auto summary = display::run_show(o);
  REQUIRE(summary.ok());
  CHECK(summary->driver.find("composes layers") != std::string::npos);
  REQUIRE(rss_mb.size() >= 18);
  // After the first slides (textures made, Mesa's shaders compiled), the next ones. A texture
  // kept for every slide shown grew this by 58 MB over them.
  const double settled = rss_mb[6];
  const double later = *std::max_element(rss_mb.begin() + 7, rss_mb.end());
  CAPTURE(settled, later);
  CHECK(later - settled < 25);
}

TEST_CASE("On the GPU without motion the picture is the one the CPU draws, in a dwell and mid-fade",
          "[show][renderer]") {
  EventFixture event;
  fixtures::JpegSpec quadrants;
  quadrants.width = 1600;  // 4:3: letterboxed, with the blurred backdrop beside it
  quadrants.height = 1200;
  event.add(quadrants);
  event.add_solid({40, 90, 200}, 1920, 1080);
  RenderDriver pick("opengles2");
  // Dwell 2 s, fade 1 s: frame 100 is in the first photo's dwell, 150 in the middle of the fade.
  const auto keep = [](const display::FrameInfo& info) { return info.frame == 100 || info.frame == 150; };
  const auto gpu_options = renderer_show(event.data_dir(), "off", 160);
  const Run gpu = run_and_keep(gpu_options, keep);
  CHECK(gpu.driver.find("composes layers") != std::string::npos);
  auto cpu_options = gpu_options;
  cpu_options.driver = "memory";
  cpu_options.memory_size = kScreen;
  const Run cpu = run_and_keep(cpu_options, keep);
  REQUIRE(gpu.shots.size() == 2);
  REQUIRE(cpu.shots.size() == 2);
  CHECK(gpu.shots.at(100).info.showing == cpu.shots.at(100).info.showing);
  REQUIRE_FALSE(gpu.shots.at(150).info.fading_in.empty());
  CHECK(gpu.shots.at(150).info.fading_in == cpu.shots.at(150).info.fading_in);
  for (const int n : {100, 150}) {
    CAPTURE(n);
    const auto& a = gpu.shots.at(n).frame;
    const auto& b = cpu.shots.at(n).frame;
    REQUIRE(a.size() == b.size());
    // The same to within rounding: the GPU blends in floating point, we in 8.8 fixed point.
    int worst = 0;
    for (std::size_t i = 0; i < a.px.size(); ++i) {
      for (const int shift : {0, 8, 16}) {
        worst = std::max(
            worst, std::abs(static_cast<int>((a.px[i] >> shift) & 0xFF) - static_cast<int>((b.px[i] >> shift) & 0xFF)));
      }
    }
    CHECK(worst <= 3);
  }
}

TEST_CASE("On the GPU the pan glides between pixels instead of stepping a pixel at a time", "[show][renderer]") {
  EventFixture event;
  fixtures::JpegSpec quadrants;  // red | green over blue | white, at the screen's shape
  quadrants.width = kScreen.width;
  quadrants.height = kScreen.height;
  event.add(quadrants);
  RenderDriver pick("opengles2");
  const Run run = run_and_keep(renderer_show(event.data_dir(), "pan", 100),
                               [](const auto& info) { return !info.showing.empty() && info.frame >= 60; });
  REQUIRE(run.shots.size() >= 30);
  // Where red turns green in a row of the top half, to fractions of a pixel: the red share of
  // each pixel, summed (a picture moved by a fraction of a pixel moves this by that fraction).
  const auto red_edge = [](const display::Canvas& c, int y) {
    double red_pixels = 0;
    for (int x = 0; x < c.width; ++x) {
      const double r = display::red_of(c.at(x, y)), g = display::green_of(c.at(x, y));
      if (r + g > 0) red_pixels += r / (r + g);
    }
    return red_pixels;
  };
  // Path 0 glides left to right across the margin (102 px at 1280x720) over 4 s: 0.43 px a
  // frame. Whole-pixel steps would move it 0 or 1 px between frames.
  std::optional<double> last;
  for (const auto& [n, shot] : run.shots) {
    CAPTURE(n);
    const double edge = red_edge(shot.frame, 200);
    if (last) {
      CHECK(*last - edge > 0.25);
      CHECK(*last - edge < 0.65);
    }
    last = edge;
  }
}

TEST_CASE("On the GPU the live preview is drawn from the layers and shows what the CPU path shows",
          "[show][renderer][preview]") {
  EventFixture event;
  constexpr fixtures::Rgb kColour{90, 150, 60};
  event.add_solid(kColour, 1920, 1080);  // fills the screen: the same picture wherever the pan is
  RenderDriver pick("opengles2");
  // No frame is read back (no on_frame, no snapshot): the preview comes from the layers.
  auto gpu_options = renderer_show(event.data_dir(), "pan", 120);
  gpu_options.driver_options.window_size = {1920, 1080};
  gpu_options.preview_file = event.data_dir() / "preview-gpu.jpg";
  gpu_options.preview_seconds = 0.5;
  REQUIRE(display::run_show(gpu_options).ok());
  auto cpu_options = gpu_options;
  cpu_options.driver = "memory";
  cpu_options.memory_size = {1920, 1080};
  cpu_options.preview_file = event.data_dir() / "preview-cpu.jpg";
  REQUIRE(display::run_show(cpu_options).ok());

  auto gpu = image::decode_jpeg(testing::read_all(gpu_options.preview_file), {480, 270});
  auto cpu = image::decode_jpeg(testing::read_all(cpu_options.preview_file), {480, 270});
  REQUIRE(gpu.ok());
  REQUIRE(cpu.ok());
  REQUIRE(gpu->size() == image::Size{480, 270});
  REQUIRE(cpu->size() == gpu->size());
  // The photo in the middle, the light QR panel in its corner (bottom right by default).
  const std::uint8_t* middle = gpu->pixel(240, 100);
  CHECK(std::abs(middle[0] - kColour.r) <= 8);
  CHECK(std::abs(middle[1] - kColour.g) <= 8);
  CHECK(std::abs(middle[2] - kColour.b) <= 8);
  CHECK(gpu->pixel(470, 262)[0] < kColour.r + 20);  // outside the panel's rounded corner: photo
  int light = 0;
  for (int y = 200; y < 262; ++y) {
    for (int x = 400; x < 470; ++x) light += gpu->pixel(x, y)[0] > 200 ? 1 : 0;
  }
  CHECK(light > 1000);
  // The whole of it is the CPU path's preview, to within sampling and JPEG rounding.
  long long difference = 0;
  for (std::size_t i = 0; i < gpu->rgb.size(); ++i) difference += std::abs(gpu->rgb[i] - cpu->rgb[i]);
  const double mean = static_cast<double>(difference) / static_cast<double>(gpu->rgb.size());
  CAPTURE(mean);
  CHECK(mean < 4);
}

TEST_CASE("On the GPU the next slide is uploaded during the dwell, never in the frames of its fade",
          "[show][renderer]") {
  EventFixture event;
  event.add_solid({200, 60, 40}, 1920, 1080);
  event.add_solid({40, 160, 90}, 1920, 1080);
  event.add_solid({60, 80, 200}, 1920, 1080);
  RenderDriver pick("opengles2");
  for (const std::string motion : {"off", "pan-zoom"}) {
    CAPTURE(motion);
    auto o = renderer_show(event.data_dir(), motion, 0);
    o.config.screen.dwell_seconds = 1;
    o.max_fades = 4;
    auto summary = display::run_show(o);
    REQUIRE(summary.ok());
    CHECK(summary->driver.find("composes layers") != std::string::npos);
    CHECK(summary->gpu_uploads >= 5);  // the first slide, four more, the overlays
    CHECK(summary->gpu_uploads_in_fades == 0);
  }
}
