# Bapas Kiosk — the README's two commands are deploy/dev.sh demo and
# deploy/dev.sh test (a fresh system has no make); these targets call it:
#   make demo   install what is missing, build, and start the kiosk on a demo database
#   make test   install what is missing, build, and run every test
# Other targets: build, test-asan (AddressSanitizer + UBSan), bench, package, clean.

BUILD ?= build
JOBS ?= 2
KIOSK_FLAGS ?= --windowed 1280x800
CMAKE_FLAGS ?=
DEV = BUILD='$(BUILD)' JOBS='$(JOBS)' CMAKE_FLAGS='$(CMAKE_FLAGS)' deploy/dev.sh

.PHONY: demo test build test-asan bench package clean deps-build deps-test

deps-build:
	@deploy/deps.sh build

deps-test:
	@deploy/deps.sh test

build:
	cmake -S . -B $(BUILD) -DBUILD_TESTING=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

demo:
	$(DEV) demo $(KIOSK_FLAGS)

test:
	$(DEV) test

test-asan:
	$(DEV) test-asan

# Every benchmark, as the README's figures were measured (Xvfb for the UI ones).
XVFB = xvfb-run -a -s "-screen 0 1920x1080x24" env SDL_VIDEODRIVER=x11 BAPAS_ASSETS=$(CURDIR)/assets
bench: deps-test build
	$(BUILD)/tests/bench/bench_store
	tests/store/pg_cluster.sh $(BUILD)/tests/bench/bench_backends
	$(BUILD)/tests/bench/bench_data
	$(BUILD)/tests/bench/slip_bench --paper 80
	$(BUILD)/tests/bench/slip_bench --paper 58
	SDL_VIDEODRIVER=dummy $(BUILD)/tests/bench/kiosk_bench --size 1920x1080
	$(XVFB) $(BUILD)/tests/bench/kiosk_bench --size 1920x1080
	$(XVFB) $(BUILD)/tests/bench/kiosk_bench --idle 30
	$(XVFB) $(BUILD)/tests/bench/bench_modes $(BUILD)/kiosk/app/bapas-kiosk

package: deps-test
	deploy/build-deb.sh --jobs $(JOBS)

clean:
	rm -rf build build-asan build-deb
