#!/bin/sh
# build-deb.sh — build the bapas-kiosk .deb from this source tree.
#
# usage: deploy/build-deb.sh [--build-dir DIR] [--out DIR] [--jobs N]
#   --build-dir DIR  build tree to (re)use   (default: build-deb beside deploy/)
#   --out DIR        where the .deb is copied (default: the current directory)
#   --jobs N         parallel compile jobs   (default: 2)
# Prints the path of the .deb on the last line.
#
# Needs: cmake, a C compiler, the -dev packages of deploy/deps.sh, and
# dpkg-dev (dpkg-shlibdeps works out the library dependencies) and fakeroot.
# The package is built without the test hooks (BK_TEST_HOOKS=OFF: no fault
# injection, no script `exec`, no BAPAS_NOW) and without -Werror
# (BK_WERROR=OFF: a newer compiler's new warning must not fail the build).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build="$src/build-deb"
out=$(pwd)
jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "usage: build-deb.sh [--build-dir DIR] [--out DIR] [--jobs N]" >&2; exit 2 ;;
    esac
done
for tool in cmake cpack dpkg-shlibdeps dpkg-deb fakeroot; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "build-deb.sh: $tool is missing (sudo apt install cmake dpkg-dev fakeroot)" >&2
        exit 1
    fi
done

cmake -S "$src" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX=/usr \
    -DBK_ASSETS_DIR=/usr/share/bapas-kiosk/assets \
    -DBK_TEST_HOOKS=OFF \
    -DBK_WERROR=OFF \
    -DBUILD_TESTING=OFF >"$build.configure.log" 2>&1 || {
    cat "$build.configure.log" >&2
    exit 1
}
cmake --build "$build" -j "$jobs" >"$build.build.log" 2>&1 || {
    tail -50 "$build.build.log" >&2
    exit 1
}
rm -rf "$build/packages"
(cd "$build" && fakeroot cpack -G DEB) >"$build.cpack.log" 2>&1 || {
    cat "$build.cpack.log" >&2
    exit 1
}
deb=$(ls "$build"/packages/*.deb)
mkdir -p "$out"
cp "$deb" "$out/"
echo "$out/$(basename "$deb")"
