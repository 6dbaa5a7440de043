#!/bin/sh
# test_pg_outage.sh KIOSK BAPASCTL — the live modes when the PostgreSQL server
# goes away and comes back (run through tests/store/pg_cluster.sh):
#   board: the banner appears when the server stops, the last known calls
#     stay on screen under it, the banner goes by itself after the restart,
#     and a call made after that shows up through LISTEN/NOTIFY (< 3 s) with
#     exactly one chime;
#   desk: the banner appears, its buttons are off while the server is down,
#     and after the restart call-next works in the same process.
# The scripts stop and start the server with the test-only `exec` command
# (BAPAS_SCRIPT_EXEC=1). BK_SHOT_DIR keeps the screenshots; BK_OUTAGE_SIZE
# sets the window (default 800x480).
set -u
# Needs the test hooks (BAPAS_NOW, script exec): skipped (77) in a build without them.
if [ "${BK_TEST_HOOKS:-1}" != 1 ]; then echo "SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)"; exit 77; fi
kiosk=$1
ctl=$2
: "${BK_TEST_DB_URI:?run through tests/store/pg_cluster.sh}"
dir=$(mktemp -d /tmp/bk-modes-outage.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
shots=${BK_SHOT_DIR:-$dir}
size=${BK_OUTAGE_SIZE:-800x480}
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy BAPAS_SCRIPT_EXEC=1
export BAPAS_NOW=2026-12-07T09:00:00+07:00
unset BAPAS_DB BAPAS_CONFIG
pgctl="$BK_TEST_PG_BIN/pg_ctl -D $BK_TEST_PG_DIR/data -l $BK_TEST_PG_DIR/server.log -w -t 60"
[ "$(id -u)" = 0 ] && pgctl="runuser -u postgres -- $pgctl"
db=$BK_TEST_DB_URI

fails=0 passes=0
check() {
    what=$1
    shift
    if "$@"; then
        passes=$((passes + 1))
    else
        echo "FAIL: $what" >&2
        fails=$((fails + 1))
    fi
}
ctl() { "$ctl" --db "$db" "$@" >>"$dir/ctl.txt" 2>&1; }
dump() { awk -v n="$2" '/^screen=/{k++} k==n' "$1"; }
label() { dump "$1" "$2" | awk -F '\t' -v id="$3" '$1==id{print $2; exit}'; }
has() { dump "$1" "$2" | grep -q "^$3	"; }
ms() { echo $(( ($(cat "$dir/$2") - $(cat "$dir/$1")) / 1000000 )); }

check "demo office" ctl init --demo
check "check-in A" ctl checkin 240001 --birth 2001-11-09 --purpose report
# three clients of PK01 (one client's second purpose would join its visit)
check "check-in B" ctl checkin 240009 --birth 1993-07-04 --purpose counseling
check "check-in C" ctl checkin 240017 --birth 1985-02-27 --purpose drug-test
check "call A-001" ctl call-next --officer PK01

# ---- the board ----
cat >"$dir/board.txt" <<S
expect board
until calling A-001
dump
exec $pgctl stop -m fast >/dev/null
exec date +%s%N >$dir/b0
until status
until status-detail
exec date +%s%N >$dir/b1
dump
shot $shots/board-offline-$size.png
exec $pgctl start >/dev/null
exec date +%s%N >$dir/b2
until-gone status
exec date +%s%N >$dir/b3
dump
exec $ctl --db "$db" call-next --officer PK01 >/dev/null
exec date +%s%N >$dir/b4
until calling A-002
exec date +%s%N >$dir/b5
wait 300
dump
S
"$kiosk" --mode board --db "$db" --windowed "$size" --script "$dir/board.txt" \
    >"$dir/board.out" 2>"$dir/board.err"
rc=$?
check "board script ran to its end (rc $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] && {
    o=$dir/board.out
    check "board: no banner while connected" sh -c "! awk '/^screen=/{k++} k==1' '$o' | grep -q '^status	'"
    check "board: banner tells clients to wait" [ "$(label "$o" 2 status)" = \
        "Papan ini sementara tidak diperbarui. Silakan tunggu dipanggil petugas." ]
    d=$(label "$o" 2 status-detail)
    echo "board banner detail: $d"
    check "board: the detail says server unreachable since 09.00" \
        sh -c "printf '%s' '$d' | grep -q '^Tidak terhubung ke server basis data sejak pukul 09.00'"
    check "board: the last call stays under the banner" [ "$(label "$o" 2 calling)" = "A-001" ]
    check "board: the waiting list stays under the banner" has "$o" 2 waiting-PK01
    check "board: banner within 3 s of the stop ($(ms b0 b1) ms)" [ "$(ms b0 b1)" -lt 3000 ]
    check "board: banner gone after the restart" sh -c "! awk '/^screen=/{k++} k==3' '$o' | grep -q '^status'"
    echo "board: reconnected $(ms b2 b3) ms after the server was up"
    check "board: reconnected within 15 s ($(ms b2 b3) ms)" [ "$(ms b2 b3)" -lt 15000 ]
    echo "board: a call after the restart shown after $(ms b4 b5) ms"
    check "board: a call after the restart shows in < 3 s ($(ms b4 b5) ms)" [ "$(ms b4 b5)" -lt 3000 ]
    c3=$(label "$o" 3 chimes) c4=$(label "$o" 4 chimes)
    n3=$(echo "$c3" | awk '{print $1 + $2}') n4=$(echo "$c4" | awk '{print $1 + $2}')
    check "board: one chime for the new call ($c3 -> $c4)" [ $((n4 - n3)) = 1 ]
}

# ---- the desk ----
cat >"$dir/desk.txt" <<S
expect desk
exec $pgctl stop -m fast >/dev/null
until status
dump
shot $shots/desk-offline-$size.png
exec $pgctl start >/dev/null
until-gone status
tap call-next
expect desk
dump
S
"$kiosk" --mode desk --officer PK01 --db "$db" --windowed "$size" --script "$dir/desk.txt" \
    >"$dir/desk.out" 2>"$dir/desk.err"
rc=$?
check "desk script ran to its end (rc $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] && {
    o=$dir/desk.out
    check "desk: banner says the server is unreachable" \
        [ "$(label "$o" 1 status)" = "Tidak terhubung ke server basis data" ]
    check "desk: call-next is off while the server is down" \
        sh -c "awk '/^screen=/{k++} k==1' '$o' | grep -q '^call-next	.*	disabled$'"
    check "desk: call-next after the restart calls C" \
        sh -c "awk '/^screen=/{k++} k==2' '$o' | grep '^message	' | grep -q 'A-003'"
}
# the database: each call once
"$ctl" --db "$db" audit >"$dir/audit.txt" 2>&1
n=$(grep -c ' call ' "$dir/audit.txt")
check "three calls in the audit trail (found $n)" [ "$n" = 3 ]

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
