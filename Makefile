# Thin wrapper over CMake. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
JOBS  ?= $(shell nproc)
BUILD ?= build
CMAKE_FLAGS ?=

.PHONY: all build deps test-deps demo test unit asan fuzz bench install clean format tidy
all: build

deps:
	@scripts/ensure-packages.sh build
test-deps:
	@scripts/ensure-packages.sh build test
	@scripts/ensure-npm.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

# Every suite runs through ctest: the sanitizer build and the fuzz replay first, then
# the release build last, so ctest's closing summary line is the last line printed.
test: test-deps
	@$(MAKE) --no-print-directory asan
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory unit

unit:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

asan:
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DVK_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j$(JOBS) -LE no-asan

fuzz:
	@cmake -S . -B build-fuzz -DVK_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build-fuzz -j$(JOBS)
	@cd build-fuzz && ctest --output-on-failure

demo: test-deps build
	@scripts/demo.sh $(BUILD)

bench: test-deps build
	@scripts/ensure-packages.sh bench
	@tests/bench/run-all.sh $(BUILD)

# The appliance: binary, units, udev rule, and the venue Wi-Fi rendered from
# /etc/venuekiosk/venuekiosk.toml (scripts/install.sh; DESTDIR=dir stages without touching the box).
install: build
	@scripts/install.sh $(BUILD)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

tidy: build
	@git ls-files '*.cpp' | grep -v '^tests/' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	rm -rf build build-asan build-fuzz
