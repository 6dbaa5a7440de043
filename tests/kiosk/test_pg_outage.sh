#!/bin/sh
# test_pg_outage.sh KIOSK BAPASCTL — the kiosk when the PostgreSQL server goes
# away and comes back, in one bapas-kiosk process (run through
# tests/store/pg_cluster.sh, which sets BK_TEST_DB_URI, BK_TEST_PG_DIR and
# BK_TEST_PG_BIN):
#   1. a client checks in (the demo office on an empty server database);
#   2. the server stops; the next client's identity check (before [purpose])
#      ends on [help] telling the client
#      to see reception, within a few seconds, with no busy overlay left and
#      no reception-ticket button (it could not be made either); [welcome]
#      then says "Silakan ke resepsionis" first;
#   3. the server starts; the next check-in succeeds without a restart;
#   4. the database holds exactly the two acknowledged check-ins.
# The script stops and starts the server with the test-only `exec` command
# (BAPAS_SCRIPT_EXEC=1, kiosk/AUTOMATION.md). BK_SHOT_DIR keeps the
# screenshots there; BK_OUTAGE_SIZE sets the window (default 800x480).
set -u
# Needs the test hooks (BAPAS_NOW, script exec): skipped (77) in a build without them.
if [ "${BK_TEST_HOOKS:-1}" != 1 ]; then echo "SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)"; exit 77; fi
kiosk=$1
ctl=$2
: "${BK_TEST_DB_URI:?run through tests/store/pg_cluster.sh}"
dir=$(mktemp -d /tmp/bk-outage.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT
shots=${BK_SHOT_DIR:-$dir}
size=${BK_OUTAGE_SIZE:-800x480}
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy BAPAS_SCRIPT_EXEC=1
export BAPAS_NOW=2026-12-07T09:00:00+07:00
unset BAPAS_DB BAPAS_CONFIG
pgctl="$BK_TEST_PG_BIN/pg_ctl -D $BK_TEST_PG_DIR/data -l $BK_TEST_PG_DIR/server.log -w -t 60"
[ "$(id -u)" = 0 ] && pgctl="runuser -u postgres -- $pgctl"

fails=0 passes=0
check() { # check WHAT COMMAND...
    what=$1
    shift
    if "$@"; then
        passes=$((passes + 1))
    else
        echo "FAIL: $what" >&2
        fails=$((fails + 1))
    fi
}

cat >"$dir/script.txt" <<S
expect welcome
tap start
type 240001\\n
type 09112001\\n
tap purpose-report
tap answer-no
tap answer-no
tap answer-no
tap answer-no
expect ticket
dump
tap done
expect welcome
exec $pgctl stop -m fast >/dev/null
exec date +%s%N >$dir/t0
tap start
type 240001\\n
type 09112001\\n
expect help
exec date +%s%N >$dir/t1
dump
shot $shots/kiosk-offline-help-id-$size.png
tap lang
expect help
dump
shot $shots/kiosk-offline-help-en-$size.png
tap done
expect welcome
dump
shot $shots/kiosk-offline-welcome-$size.png
exec $pgctl start >/dev/null
tap start
type 240001\\n
type 09112001\\n
expect purpose
tap purpose-counseling
expect ticket
dump
tap done
expect welcome
until-gone offline
dump
S
"$kiosk" --demo --db "$BK_TEST_DB_URI" --windowed "$size" --script "$dir/script.txt" \
    >"$dir/out.txt" 2>"$dir/err.txt"
rc=$?
check "the kiosk script ran to its end (rc $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || cat "$dir/err.txt" >&2

# dump N: the text of the N-th (1-based) dump
dump() { awk -v n="$1" '/^screen=/{k++} k==n' "$dir/out.txt"; }
label() { dump "$1" | awk -F '\t' -v id="$2" '$1==id{print $2; exit}'; }

check "first check-in: a ticket" [ "$(label 1 code)" = "A-001" ]
check "server down: help" [ "$(dump 2 | head -1)" = "screen=help" ]
check "server down: 'Silakan ke resepsionis'" [ "$(label 2 title)" = "Silakan ke resepsionis" ]
check "server down: the message names reception" \
    sh -c "printf '%s' '$(label 2 message)' | grep -q 'resepsionis'"
check "server down: no busy overlay on help" sh -c "! printf '%s\n' \"\$1\" | grep -q '^busy	'" _ "$(dump 2)"
check "server down: no reception-ticket button" \
    sh -c "! printf '%s\n' \"\$1\" | grep -q '^reception	'" _ "$(dump 2)"
check "server down: retry and done offered" \
    sh -c "printf '%s\n' \"\$1\" | grep -q '^retry	' && printf '%s\n' \"\$1\" | grep -q '^done	'" \
    _ "$(dump 2)"
check "server down, English: 'Please go to reception'" [ "$(label 3 title)" = "Please go to reception" ]
ms=$(( ($(cat "$dir/t1") - $(cat "$dir/t0")) / 1000000 ))
echo "check-in with the server down: help after $ms ms"
check "server down: help within 5 s (took $ms ms)" [ "$ms" -lt 5000 ]
check "welcome warns while the database is down" [ -n "$(label 4 offline)" ]
check "welcome says where to go while the server is down" [ "$(label 4 title)" = "Silakan ke resepsionis" ]
check "server back: the next client gets a ticket" [ "$(dump 5 | head -1)" = "screen=ticket" ]
# one visit, one ticket (schema 9): counseling joins the open report visit
check "server back: counseling joins the same ticket" [ "$(label 5 code)" = "A-001" ]
check "server back: the screen says the purpose was added" \
    [ "$(label 5 greeting)" = "Keperluan ini ditambahkan ke nomor antrean Anda." ]
check "server back: the welcome warning goes away" [ -z "$(label 6 offline)" ]

# the database: exactly the two acknowledged check-ins, none twice: one
# ticket, and the second purpose added to it once
"$ctl" --db "$BK_TEST_DB_URI" audit >"$dir/audit.txt" 2>&1
n=$(grep -c ' checkin .* 240001 ' "$dir/audit.txt")
check "one check-in recorded (found $n)" [ "$n" = 1 ]
n=$(grep -c ' purpose_add .* 240001 ' "$dir/audit.txt")
check "one purpose added (found $n)" [ "$n" = 1 ]
"$ctl" --db "$BK_TEST_DB_URI" queue --all >"$dir/queue.txt" 2>&1
n=$(grep -c . "$dir/queue.txt")
check "one ticket in the queue (found $n)" [ "$n" = 1 ]
check "the ticket has both purposes" grep -q 'report .*+counseling' "$dir/queue.txt"

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
