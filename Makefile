# Bapas Kiosk — the two commands of the README:
#   make demo   install what is missing, build, and start the kiosk on a demo database
#   make test   install what is missing, build, and run every test
# Other targets: build, test-asan (AddressSanitizer + UBSan), bench, package, clean.

BUILD ?= build
JOBS ?= 2
DEMO_DB ?= $(BUILD)/bapas-demo.db
KIOSK_FLAGS ?= --windowed 1280x800
CMAKE_FLAGS ?=

.PHONY: demo test build test-asan bench package clean deps-build deps-test

deps-build:
	@deploy/deps.sh build

deps-test:
	@deploy/deps.sh test

build:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

demo: deps-build build
	@if [ -x $(BUILD)/kiosk/app/bapas-kiosk ]; then \
	  BAPAS_DB=$(DEMO_DB) $(BUILD)/kiosk/app/bapas-kiosk --demo $(KIOSK_FLAGS); \
	else \
	  $(BUILD)/kiosk/app/bapasctl --db $(DEMO_DB) init --demo && \
	  $(BUILD)/kiosk/app/bapasctl --db $(DEMO_DB) checkin 240001 --birth 2001-11-09 --purpose report && \
	  $(BUILD)/kiosk/app/bapasctl --db $(DEMO_DB) queue; \
	fi

test: deps-test build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

test-asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DBK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"

bench: build
	cmake --build $(BUILD) -j$(JOBS) --target benches
	@for b in $(BUILD)/tests/bench/bench_*; do [ -x "$$b" ] && "$$b"; done

package: deps-test
	deploy/build-deb.sh --jobs $(JOBS)

clean:
	rm -rf build build-asan build-deb
