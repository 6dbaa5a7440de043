#!/bin/sh
# dev.sh — the README's two commands, on a fresh Debian 12 / Raspberry Pi OS
# with nothing but the clone (no make, no compiler: this installs them).
#
#   deploy/dev.sh demo [KIOSK OPTIONS]  install what building needs, build
#                                       (with the tests only if libcmocka-dev
#                                       is there), start the kiosk on the demo
#                                       office (build/bapas-demo.db, created the
#                                       first time); options go to bapas-kiosk
#                                       (default --windowed 1280x800)
#   deploy/dev.sh test                  install what the tests need too, build,
#                                       run every test
#   deploy/dev.sh test-asan             the same with AddressSanitizer + UBSan
#                                       (in build-asan)
#   deploy/dev.sh build                 install what building needs and build
#
# Environment: BUILD (build directory, default build), JOBS (default: the
# number of CPUs), CMAKE_FLAGS (more cmake -D options). Packages are installed
# by deploy/deps.sh as root or through sudo. `make demo|test|test-asan` call
# this script. Exit status: that of the failing step, or of the kiosk / ctest.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
cmd=${1:-}
[ $# -gt 0 ] && shift

BUILD=${BUILD:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
CMAKE_FLAGS=${CMAKE_FLAGS:-}

usage() {
    awk 'NR > 1 && /^set -eu/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2
    exit 2
}

# configure TESTING: cmake the build tree (-DBUILD_TESTING=TESTING).
configure() {
    cd "$src"
    # shellcheck disable=SC2086 # CMAKE_FLAGS is a list of words
    cmake -S . -B "$BUILD" -DBUILD_TESTING="$1" $CMAKE_FLAGS
    cmake --build "$BUILD" -j"$JOBS"
}

case "$cmd" in
build)
    "$here/deps.sh" build
    configure ON
    ;;
demo)
    # The demo never needs the test packages: without cmocka the tests are
    # not configured (with it, as they were: the build tree is shared).
    "$here/deps.sh" build
    if pkg-config --exists cmocka; then
        configure ON
    else
        echo "demo: building without the tests (libcmocka-dev is not installed; deploy/dev.sh test installs it)"
        configure OFF
    fi
    db="$BUILD/bapas-demo.db"
    kiosk="$BUILD/kiosk/app/bapas-kiosk"
    ctl="$BUILD/kiosk/app/bapasctl"
    if [ ! -x "$kiosk" ]; then
        # A build without the SDL front end: show the office from the CLI.
        "$ctl" --db "$db" init --demo
        "$ctl" --db "$db" checkin 240001 --birth 2001-11-09 --purpose report
        exec "$ctl" --db "$db" queue
    fi
    [ $# -gt 0 ] || set -- --windowed 1280x800
    echo "demo: $kiosk --demo --db $db $*"
    # With no screen (no X11/Wayland session, no KMSDRM console) the kiosk
    # says how to see it and exits 1; it never waits where nobody can see it.
    exec env BAPAS_DB="$db" "$kiosk" --demo --db "$db" "$@"
    ;;
test)
    "$here/deps.sh" test
    configure ON
    cd "$src"
    exec ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS"
    ;;
test-asan)
    BUILD=build-asan CMAKE_FLAGS="-DBK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug $CMAKE_FLAGS" \
        exec "$0" test
    ;;
*)
    usage
    ;;
esac
