#!/bin/sh
# test_readonly.sh BAPASCTL BAPAS-KIOSK — a database that cannot be written,
# a full disk, and what the logs say:
# - bapasctl on a 0444 file, in a 0555 folder, on a read-only mount: exit 1,
#   error read_only, a message naming the file, owner, mode and the fix;
#   nothing written; doctor FAILs db-files with the fix.
# - a full disk (a small tmpfs): error disk_full, the folder and free space.
# - the kiosk's log: a wrong birth date and an unknown number are one word
#   (identity_mismatch) without the number; a read-only file and a full disk
#   are logged with their cause.
# Root ignores file modes: as root the mode checks run as nobody (setpriv);
# the mount checks need root and mount(8) (skipped, with the reason, if not).
set -u
bapasctl=$1
kiosk=$2
tmp=$(mktemp -d /tmp/bk-ro-XXXXXX)
mnt=""
fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; sed 's/^/    | /' "$tmp/out"; }
skip() { n=$((n + 1)); echo "ok $n - # skip $1"; }
has() { if grep -q -E -- "$1" "$tmp/out"; then ok "$2"; else bad "$2"; fi; }
hasnt() { if grep -q -E -- "$1" "$tmp/out"; then bad "$2"; else ok "$2"; fi; }
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export BAPAS_CONFIG=/dev/null SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
unset BAPAS_DB
chmod 0755 "$tmp"
# The checks run as nobody: copy the programs and the assets where nobody
# can read them (a checkout under /root, as on a fresh system, is not).
cp "$bapasctl" "$tmp/bapasctl" && cp "$kiosk" "$tmp/bapas-kiosk" || exit 1
chmod 755 "$tmp/bapasctl" "$tmp/bapas-kiosk"
bapasctl=$tmp/bapasctl
kiosk=$tmp/bapas-kiosk
if [ -n "${BAPAS_ASSETS:-}" ] && [ -d "$BAPAS_ASSETS" ]; then
    cp -R "$BAPAS_ASSETS" "$tmp/assets" && chmod -R a+rX "$tmp/assets" || exit 1
    export BAPAS_ASSETS="$tmp/assets"
fi

as=""
if [ "$(id -u)" -eq 0 ]; then
    if ! id nobody >/dev/null 2>&1; then
        echo "1..0 # skip: running as root and there is no user nobody to drop to"
        exit 0
    fi
    as="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
fi
# run CMD...: as the unprivileged user, output in $tmp/out, exit code in $rc
run() {
    $as "$@" > "$tmp/out" 2>&1
    rc=$?
}
fresh() { # a demo office in $tmp/$1, owned by the user the checks run as
    d="$tmp/$1"
    mkdir -p "$d"
    "$bapasctl" --db "$d/o.db" init --demo > /dev/null || exit 1
    [ -n "$as" ] && chown -R nobody "$d"
    db="$d/o.db"
}
tickets() { "$bapasctl" --db "$1" --json queue --all 2>/dev/null | grep -c '"code"'; }

# ---- a read-only file ------------------------------------------------------
fresh file
chmod 0444 "$db"
run "$bapasctl" --db "$db" --json checkin 240003 --birth 1993-04-06 --purpose report
if [ "$rc" -eq 1 ]; then ok "0444 file: exit 1"; else bad "0444 file: exit $rc, wanted 1"; fi
has '"error": *"read_only"' "0444 file: error read_only (not internal)"
has "cannot write $db \\(owner [a-z0-9]+, mode 0444\\)" "the message names the file, owner and mode"
has 'fix: sudo chown' "the message gives the fix"
run "$bapasctl" --db "$db" doctor --check database,files
if [ "$rc" -eq 1 ]; then ok "doctor: not healthy"; else bad "doctor: exit $rc, wanted 1"; fi
has '^FAIL +db-files .*cannot write the database files' "doctor: db-files FAILs"
has "cannot write $db \\(owner uid [0-9]+, mode 444\\)" "doctor: names the file and its mode"
has 'fix: sudo chown .* sudo chmod 0600' "doctor: the fix"
chmod 0644 "$db"
if [ "$(tickets "$db")" -eq 0 ]; then ok "nothing was written"; else bad "a ticket was written"; fi

# ---- a read-only folder ----------------------------------------------------
fresh dir
chmod 0555 "$d"
run "$bapasctl" --db "$db" --json checkin 240003 --birth 1993-04-06 --purpose report
has '"error": *"read_only"' "0555 folder: error read_only"
has "cannot create files in $d \\(owner [a-z0-9]+, mode 0555\\)" "the message names the folder"
run "$bapasctl" --db "$db" doctor --check files
has '^FAIL +db-files' "doctor: db-files FAILs for the folder"
chmod 0755 "$d"

# ---- the kiosk: one word for a mismatch; the cause of a read-only file --------
fresh kiosk
printf 'expect welcome\ntap start\ntype 240003\nexpect identify\ntap ok\ntype 01011990\nexpect verify\ntap ok\nexpect help\ntap done\ntap start\ntype 999999\nexpect identify\ntap ok\ntype 01011990\nexpect verify\ntap ok\nexpect help\n' > "$tmp/mismatch.script"
run "$kiosk" --db "$db" --windowed 800x480 --script "$tmp/mismatch.script"
if [ "$rc" -eq 0 ]; then ok "kiosk: mismatch script ran"; else bad "kiosk: mismatch script exit $rc"; fi
# (the identity is checked on [verify], before a purpose is asked)
if [ "$(grep -c 'identify job failed: identity_mismatch$' "$tmp/out")" -eq 2 ]; then
    ok "kiosk log: both mismatches are identity_mismatch"
else
    bad "kiosk log: wanted two identity_mismatch lines"
fi
hasnt 'not_found|wrong_birth|240003|999999' "kiosk log: no not_found/wrong_birth_date, no number"
chmod 0444 "$db"
printf 'expect welcome\ntap start\ntype 240003\nexpect identify\ntap ok\ntype 06041993\nexpect verify\ntap ok\nexpect help\ndump\n' > "$tmp/ro.script"
run "$kiosk" --db "$db" --windowed 800x480 --script "$tmp/ro.script"
has 'identify job failed: read_only: .*mode 0444.*fix:' "kiosk log: read_only with the file, mode and fix"
has 'Silakan ke resepsionis' "kiosk: the client is sent to reception"
hasnt 'id=retry|id=reception' "kiosk: no retry, no reception ticket"
printf 'expect reception\ntap walkin\nexpect reception-walkin\ntap walkin-report\nexpect reception\ndump\nquit\n' > "$tmp/rc.script"
run "$kiosk" --mode reception --db "$db" --windowed 1280x720 --script "$tmp/rc.script"
has 'message	Basis data tidak dapat ditulis' "reception: a walk-in that cannot be saved says why"
chmod 0644 "$db"

# ---- a read-only mount and a full disk (root, mount(8)) -------------------
can_mount=0
if [ "$(id -u)" -eq 0 ] && mkdir "$tmp/m" && mount -t tmpfs -o size=1m bk-ro-test "$tmp/m" 2>/dev/null; then
    mnt="$tmp/m"
    can_mount=1
fi
if [ "$can_mount" -eq 0 ]; then
    skip "read-only mount and full disk: needs root and mount(8) (tmpfs)"
else
    "$bapasctl" --db "$mnt/o.db" init --demo > /dev/null
    mount -o remount,ro "$mnt"
    "$bapasctl" --db "$mnt/o.db" --json checkin 240003 --birth 1993-04-06 --purpose report > "$tmp/out" 2>&1
    has '"error": *"read_only"' "read-only mount: error read_only (not io)"
    has 'mounted read-only' "read-only mount: the message says so"
    "$bapasctl" --db "$mnt/o.db" doctor --check database,files > "$tmp/out" 2>&1
    has '^FAIL +db-files +.* mounted read-only' "doctor: the mount is read-only"
    hasnt 'restore the newest backup \(README' "doctor: no advice to restore a backup"
    mount -o remount,rw "$mnt"
    # fill the disk: the WAL cannot grow
    dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
    "$bapasctl" --db "$mnt/o.db" --json checkin 240003 --birth 1993-04-06 --purpose report > "$tmp/out" 2>&1
    has '"error": *"disk_full"' "full disk: error disk_full (not io)"
    has "disk full at $mnt: [0-9]+ KiB free" "full disk: the folder and the free space"
    "$kiosk" --db "$mnt/o.db" --windowed 800x480 --script "$tmp/ro.script" > "$tmp/out" 2>&1
    # the open already fails (its -shm cannot grow): the worker logs why
    has 'identify job failed: disk_full' "kiosk log: the identity check failed with disk_full"
    has 'bapas-kiosk: .*disk full at [^ ]*: [0-9]+ KiB free' "kiosk log: the folder and the free space"
    has 'Silakan ke resepsionis' "kiosk: full disk sends the client to reception"
    # a backup onto the full disk: disk_full with the folder, and no copy left behind
    "$bapasctl" --db "$tmp/src.db" init --demo > /dev/null
    "$bapasctl" --db "$tmp/src.db" --json backup "$mnt/copy.db" > "$tmp/out" 2>&1
    has '"error": *"disk_full"' "backup onto a full disk: error disk_full (not io)"
    has "disk full at $mnt: [0-9]+ KiB free" "backup onto a full disk: the folder and the free space"
    if ls "$mnt" | grep -q copy; then bad "backup onto a full disk left $(ls "$mnt" | grep copy | tr '\n' ' ')"; else ok "backup onto a full disk leaves no partial copy"; fi
fi

echo "1..$n"
[ "$fails" -eq 0 ]
