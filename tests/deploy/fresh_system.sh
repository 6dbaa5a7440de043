#!/bin/sh
# fresh_system.sh [SRC] — the README's quick start on a truly fresh Debian 12.
#
# Builds a debootstrap minbase bookworm in a temp directory, chroots into it
# with proc, dev, dev/pts and a tmpfs /tmp mounted, and does what the README
# says, literally: `apt-get install git` (the one prerequisite), clone (the
# local checkout's commit HEAD, as a bundle: uncommitted changes are not in
# it), `deploy/dev.sh demo` with no display (it must say how to see the kiosk
# and exit, not hang), the demo again under SDL's dummy driver with a script
# that checks a client in on the demo office, then `deploy/dev.sh test` (the
# whole suite). Unmounts and removes everything on every exit path. Prints
# the seconds of each phase.
#
# Needs root and the Debian mirror (exit 77, skipped, without them);
# installs debootstrap if missing. Environment: MIRROR (default
# http://deb.debian.org/debian), FRESH_DIR (where the temp root goes, default
# /var/tmp), FRESH_KEEP=1 (keep the root for a look afterwards; unmounted),
# FRESH_SKIP_TEST=1 (stop after the demo). Logs: $root.log/ (kept).
set -eu

src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: needs root (debootstrap, chroot, mount)"
    exit 77
fi
if ! command -v git >/dev/null 2>&1 || ! git -C "$src" rev-parse HEAD >/dev/null 2>&1; then
    echo "SKIP: $src is not a git checkout (or git is missing)"
    exit 77
fi
host=$(echo "$MIRROR" | sed -E 's|^[a-z]+://([^/:]+).*|\1|')
if ! getent hosts "$host" >/dev/null 2>&1; then
    echo "SKIP: no network: cannot resolve the mirror $host"
    exit 77
fi
if ! command -v debootstrap >/dev/null 2>&1; then
    echo "fresh: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; }
fi

root=$(mktemp -d "${FRESH_DIR:-/var/tmp}/bk-fresh-XXXXXX")
logs=$root.log
mkdir -p "$logs"
chmod 755 "$root"

# Unmount everything under $root (deepest first), then remove it, but only
# when nothing is mounted there any more: rm -rf through a bind mount of
# /dev would remove the host's files.
cleanup() {
    rc=$?
    set +e
    for i in 1 2 3; do
        mounted=$(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r)
        [ -n "$mounted" ] || break
        for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m"; done
    done
    if awk -v r="$root/" 'index($2, r) == 1 { f = 1 } END { exit !f }' /proc/mounts; then
        echo "fresh: still mounted under $root; not removing it" >&2
    elif [ "${FRESH_KEEP:-0}" = 1 ]; then
        echo "fresh: kept $root (logs in $logs)"
    else
        rm -rf "$root"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

times=""
# phase NAME COMMAND...: run, log to $logs/NAME.log, record the seconds.
phase() {
    name=$1
    shift
    echo "fresh: $name ..."
    t0=$(date +%s)
    prc=0
    "$@" > "$logs/$name.log" 2>&1 || prc=$?
    secs=$(($(date +%s) - t0))
    times="$times $name=${secs}s"
    echo "fresh: $name: exit $prc, ${secs} s"
    return $prc
}
fail() {
    echo "fresh: FAIL: $1" >&2
    [ -z "${2:-}" ] || tail -40 "$logs/$2.log" | sed 's/^/    | /' >&2
    echo "fresh: times:$times"
    exit 1
}

# In the chroot, as a fresh root login: no display, no sudo, nothing set.
inside() {
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c "$1"
}

# A debootstrap that fails says nothing about the product (the mirror, the
# network): skip, showing why, rather than fail CI on it.
if ! phase debootstrap debootstrap --variant=minbase bookworm "$root" "$MIRROR"; then
    tail -20 "$logs/debootstrap.log" | sed 's/^/    | /' >&2
    echo "SKIP: debootstrap from $MIRROR failed (mirror or network)"
    exit 77
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs -o mode=1777,size=8g tmpfs "$root/tmp"
cp /etc/resolv.conf "$root/etc/resolv.conf"
for t in make gcc git sudo; do
    if inside "command -v $t" >/dev/null 2>&1; then echo "fresh: note: $t is in minbase"; fi
done

# The README: apt-get install git, then clone.
phase git inside "apt-get update && apt-get install -y git" || fail "apt-get install git" git
git -C "$src" bundle create "$root/root/bapas-kiosk.bundle" HEAD > "$logs/bundle.log" 2>&1 ||
    fail "git bundle" bundle
head=$(git -C "$src" rev-parse HEAD)
phase clone inside "cd /root && git clone bapas-kiosk.bundle bapas-kiosk && cd bapas-kiosk && git checkout -q $head" ||
    fail "git clone" clone

# 1. deploy/dev.sh demo with no display: says how to see the kiosk, exits.
drc=0
phase demo inside "cd /root/bapas-kiosk && timeout 1800 deploy/dev.sh demo" || drc=$?
[ $drc -ne 124 ] || fail "deploy/dev.sh demo hung (timeout)" demo
[ $drc -ne 0 ] || fail "deploy/dev.sh demo with no display exited 0" demo
grep -q "no display to show the kiosk on" "$logs/demo.log" ||
    fail "deploy/dev.sh demo did not say how to see the kiosk (exit $drc)" demo
grep -q "xvfb-run" "$logs/demo.log" || fail "the no-display message does not name xvfb-run" demo
inside "dpkg-query -W libcmocka-dev" > /dev/null 2>&1 &&
    fail "the demo installed a test package (libcmocka-dev)" demo
inside "test -f /root/bapas-kiosk/build/bapas-demo.db" || fail "no demo database after the demo" demo
echo "fresh: demo with no display: exit $drc, said how to see the kiosk; demo database created"

# 2. The same command, on SDL's dummy display, with a scripted check-in.
cat > "$root/root/checkin.script" <<'EOF'
expect welcome
type 240001\n
expect verify
type 09112001\n
expect purpose
tap purpose-report
tap answer-no
tap answer-no
tap answer-no
tap answer-no
expect ticket
dump
EOF
phase demo_script inside "cd /root/bapas-kiosk && SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy timeout 600 deploy/dev.sh demo --windowed 800x480 --script /root/checkin.script" ||
    fail "the scripted check-in on the demo office" demo_script
grep -q "^screen=ticket" "$logs/demo_script.log" || fail "no ticket screen in the dump" demo_script
inside "cd /root/bapas-kiosk && build/kiosk/app/bapasctl --db build/bapas-demo.db --config /dev/null queue --officer PK01" > "$logs/queue.log" 2>&1 ||
    fail "bapasctl queue on the demo database" queue
grep -q "A-001 .*report" "$logs/queue.log" || fail "the kiosk's check-in is not in the queue" queue
echo "fresh: scripted check-in on the demo office: in the queue"

if [ "${FRESH_SKIP_TEST:-0}" = 1 ]; then
    echo "fresh: times:$times"
    exit 0
fi

# 3. deploy/dev.sh test: the whole suite.
trc=0
phase test inside "cd /root/bapas-kiosk && deploy/dev.sh test" || trc=$?
grep -E "tests passed|tests failed|\(Failed\)|Not Run|\*\*\*Skipped| Skipped" "$logs/test.log" | sed 's/^/    /' || true
echo "fresh: times:$times"
echo "fresh: logs in $logs"
[ $trc -eq 0 ] || fail "deploy/dev.sh test exited $trc"
echo "fresh: PASS"
