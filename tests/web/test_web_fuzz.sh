#!/bin/sh
# bapas-web under mutated requests (issue 14): web_fuzz sends COUNT seeded
# mutations of valid API requests (request line, headers and JSON bodies)
# to a real daemon with a real session; the daemon must answer each with a
# 4xx/2xx/503 or close the connection, keep answering, leave a database
# bapasctl still reads, and stop cleanly (under ASan: no error, no leak).
#
# usage: test_web_fuzz.sh BAPASCTL BAPAS_WEB WEB_FUZZ [COUNT]
set -u
B=$1
W=$2
F=$3
COUNT=${4:-800}
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "test_web_fuzz: SKIP: curl missing" >&2; exit 77; }
D=$(mktemp -d /tmp/bk-webfuzz.XXXXXX)
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
unset BAPAS_NOW
DB=${BK_TEST_DB_URI:-$D/office.db}
printf '[accounts]\nhash_iterations = 1\nhash_memory_kib = 64\nlogin_failures = 50\n[web]\nlogin_per_address = 10000\n' >"$D/web.ini"
C="$B --db $DB --config $D/web.ini"
$C init >/dev/null || fail "init"
$C officer add --id PK01 --name "Budi Santoso" >/dev/null || fail "officer"
$C client add --no C001 --name "Andi Wijaya" --birth 1990-01-02 --officer PK01 >/dev/null || fail "client"
$C checkin C001 --birth 1990-01-02 --purpose report >/dev/null || fail "checkin"
printf 'rahasia-rina-1\n' | $C user add rina --role reception >/dev/null || fail "user add"
$W --listen 127.0.0.1:0 --db "$DB" --config "$D/web.ini" >"$D/out" 2>"$D/err" &
pid=$!
i=0
while ! grep -q "^listening on" "$D/out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 400 ] && fail "bapas-web did not start: $(cat "$D/err")"
    kill -0 "$pid" 2>/dev/null || fail "bapas-web exited: $(cat "$D/err")"
    sleep 0.05
done
ADDR=$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$D/out")
PORT=${ADDR##*:}
curl -s -c "$D/jar" -H 'Content-Type: application/json' \
    -d '{"user":"rina","password":"rahasia-rina-1"}' "http://$ADDR/api/login" >"$D/login" ||
    fail "login"
CSRF=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$D/login")
COOKIE=$(awk '$6 == "bapas_session" { print $7 }' "$D/jar")
[ ${#CSRF} -eq 64 ] && [ ${#COOKIE} -eq 64 ] || fail "no session: $(cat "$D/login")"
"$F" "$PORT" "$COOKIE" "$CSRF" "$COUNT" 20261204 || fail "web_fuzz: $(tail -5 "$D/err")"
kill -0 "$pid" || fail "bapas-web died: $(tail -5 "$D/err")"
$C queue --all >/dev/null || fail "bapasctl cannot read the database after the fuzzing"
kill "$pid"
wait "$pid"
rc=$?
pid=""
[ $rc -eq 0 ] || fail "bapas-web exited $rc: $(tail -20 "$D/err")"
grep -q 'ERROR: \(Address\|Leak\)Sanitizer' "$D/err" && fail "sanitizer: $(grep -A5 Sanitizer "$D/err")"
echo "test_web_fuzz: ok"
