#!/bin/sh
# deps.sh — install the Debian 12 packages Bapas Kiosk needs, only those missing.
#
#   deploy/deps.sh build   what building and running needs (deploy/dev.sh demo)
#   deploy/deps.sh test    that, plus what the test suite needs (deploy/dev.sh test)
#
# Runs apt-get as root, or through sudo. Safe to run again: it installs
# nothing when everything is present.
set -eu

mode=${1:-build}

# Building and running: compiler, CMake, and the libraries we link.
#   libsdl2 / libsdl2-ttf   the touch UI and text
#   libsqlite3              the shared database
#   libpq                   the PostgreSQL backend (an office on several machines)
#   libqrencode             QR codes on slips
#   libjansson              JSON output of bapasctl
#   libinih                 the INI config parser
#   libcsv                  CSV import from SDP exports
#   libpng                  PNG slips and screenshots
#   libcups2                printing to CUPS queues
#   libargon2               staff passwords: a vetted Argon2id hash instead of our own
#   libmicrohttpd           bapas-web, the office server: a maintained HTTP server library
build_pkgs="build-essential cmake pkg-config \
  libsdl2-dev libsdl2-ttf-dev libsqlite3-dev libqrencode-dev libjansson-dev \
  libinih-dev libcsv-dev libpng-dev libcups2-dev libpq-dev libargon2-dev \
  libmicrohttpd-dev sqlite3"

# Testing: unit test framework, a virtual X server for screenshots and idle
# CPU, a QR decoder for slips, PDF tools and a PDF printer for the CUPS test,
# systemd-analyze for the units, the .deb tools, and a PostgreSQL server for
# the store tests that run against a throwaway cluster (openssl makes its
# test CA for store.pg.test_tls; postgresql pulls it in through ssl-cert, but
# the test calls it directly; clang-format checks the tree's format, lint.format;
# curl is the browser of bapas-web's real-HTTP test, store.test_web).
test_pkgs="libcmocka-dev xvfb xauth zbar-tools poppler-utils cups cups-bsd \
  printer-driver-cups-pdf systemd dpkg-dev fakeroot file procps postgresql openssl clang-format curl"

case "$mode" in
build) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
*)
    echo "usage: $0 build|test" >&2
    exit 2
    ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "deps: all packages for '$mode' are installed"
    exit 0
fi

echo "deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps: need root to install:$missing" >&2
    echo "deps: run this again as root (su -), or install sudo (as root: apt-get install sudo; adduser $(id -un) sudo)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Services in the packages (cups) must not start during install in a container.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
