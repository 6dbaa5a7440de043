#!/bin/sh
# Three desks call-next through bapas-web while the kiosk checks clients in
# from another process (issue 14): three reception sessions call PK01's
# queue in parallel loops until every client checked in by the kiosk
# process has been called; every ticket is called exactly once (the audit
# trail has one 'call' row per ticket) and none is left waiting.
# Under pg_cluster.sh (BK_TEST_DB_URI) the database is PostgreSQL.
#
# usage: test_web_race.sh BAPASCTL BAPAS_WEB
set -u
B=$1
W=$2
N=24
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "test_web_race: SKIP: curl missing" >&2; exit 77; }
D=$(mktemp -d /tmp/bk-webrace.XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$D"
}
trap cleanup EXIT
unset BAPAS_NOW
DB=${BK_TEST_DB_URI:-$D/office.db}
printf '[accounts]\nhash_iterations = 1\nhash_memory_kib = 64\n' >"$D/web.ini"
C="$B --db $DB --config $D/web.ini"
$C init >/dev/null || fail "init"
$C officer add --id PK01 --name "Budi Santoso" >/dev/null || fail "officer"
k=1
while [ $k -le $N ]; do
    $C client add --no "C$k" --name "Klien $k" --birth 1990-01-02 --officer PK01 >/dev/null || fail "client $k"
    k=$((k + 1))
done
for u in desk1 desk2 desk3; do
    printf 'rahasia-%s-1\n' $u | $C user add $u --role reception >/dev/null || fail "user $u"
done
$W --listen 127.0.0.1:0 --db "$DB" --config "$D/web.ini" >"$D/out" 2>"$D/err" &
pids="$pids $!"
i=0
while ! grep -q "^listening on" "$D/out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 200 ] && fail "bapas-web did not start: $(cat "$D/err")"
    sleep 0.05
done
BASE="http://$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$D/out")"
for u in desk1 desk2 desk3; do
    curl -s -c "$D/$u.jar" -H 'Content-Type: application/json' \
        -d "{\"user\":\"$u\",\"password\":\"rahasia-$u-1\"}" "$BASE/api/login" >"$D/$u.login" || fail "login $u"
    sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$D/$u.login" >"$D/$u.csrf"
done

# The kiosk: another process checks the clients in, one by one.
(
    k=1
    while [ $k -le $N ]; do
        $C checkin "C$k" --birth 1990-01-02 --purpose report >/dev/null 2>"$D/kiosk.err" || exit 1
        k=$((k + 1))
    done
    touch "$D/kiosk.done"
) &
kiosk=$!
# Three desks: call-next until the kiosk is done and nobody waits.
desk() {
    u=$1
    : >"$D/$u.called"
    while :; do
        done_before=0
        [ -e "$D/kiosk.done" ] && done_before=1
        st=$(curl -s -o "$D/$u.body" -w '%{http_code}' -X POST -b "$D/$u.jar" \
            -H "X-CSRF-Token: $(cat "$D/$u.csrf")" "$BASE/api/officers/PK01/call-next")
        case "$st" in
        200) echo "$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$D/$u.body")" >>"$D/$u.called" ;;
        404) [ $done_before = 1 ] && return 0 ;;
        503) ;;
        *) echo "desk $u: $st $(cat "$D/$u.body")" >"$D/$u.fail"; return 1 ;;
        esac
    done
}
desk desk1 &
d1=$!
desk desk2 &
d2=$!
desk desk3 &
d3=$!
pids="$pids $kiosk $d1 $d2 $d3"
wait $kiosk || fail "the kiosk process failed: $(cat "$D/kiosk.err")"
wait $d1 && wait $d2 && wait $d3 || fail "a desk failed: $(cat "$D"/*.fail 2>/dev/null)"
pids=${pids%% *}

cat "$D"/desk*.called | sort -n >"$D/all"
[ "$(wc -l <"$D/all")" -eq $N ] || fail "$(wc -l <"$D/all") calls for $N tickets: $(cat "$D"/desk*.body; $C audit | tail -5)"
[ "$(sort -u "$D/all" | wc -l)" -eq $N ] || fail "a ticket was called twice: $(sort "$D/all" | uniq -d)"
$C --json queue >"$D/left"
grep -q '"status": "waiting"' "$D/left" && fail "tickets left waiting: $(cat "$D/left")"
calls=$($C --json audit | grep -c '"action": "call"')
[ "$calls" -eq $N ] || fail "$calls call audit rows for $N tickets"
$C audit | grep ' call ' | grep -vq 'web:desk' && fail "a call not by a web desk: $($C audit | grep ' call ')"
echo "test_web_race: ok ($N tickets, each called once: desk1 $(wc -l <"$D/desk1.called"), desk2 $(wc -l <"$D/desk2.called"), desk3 $(wc -l <"$D/desk3.called"))"
