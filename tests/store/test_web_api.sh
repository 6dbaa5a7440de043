#!/bin/sh
# bapas-web's staff API and its refusals over real HTTP (issue 14): a real
# daemon on a free loopback port, curl as the browsers of five staff
# accounts, the database written by the real bapasctl and read back by it.
#  - every role tries what it must not: a PK calls or acts on another
#    officer's ticket and reads another queue, head calls next / finishes /
#    adds a walk-in, reception manages users and reads reports, admin calls
#    next; no session, a forged or ended session, no or a wrong CSRF header;
#    each refused with the documented status and {"error","message"}, and
#    the database unchanged by them (the audit trail is compared);
#  - what each may do: call-next, start, done (outcome required), recall,
#    no-show, priority, transfer (absent officer refused), walk-in with its
#    request key, presence, number locks and their unlocking, reports,
#    users, a lockout lifted by reception; the audit rows name the web user
#    (SQLite: the C rules; PostgreSQL: the server's functions, schema 12);
#  - malformed bodies (not JSON, not an object, unknown field, wrong type,
#    invalid UTF-8, a NUL, over 4 KiB): 4xx and nothing changes;
#  - /api/events delivers a bapasctl commit;
#  - the per-address login limit answers 429, even to the right password.
# Under pg_cluster.sh (BK_TEST_DB_URI) the database is PostgreSQL.
#
# usage: test_web_api.sh BAPASCTL BAPAS_WEB
set -u
[ -n "${BK_TRACE:-}" ] && set -x
B=$1
W=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "test_web_api: SKIP: curl missing" >&2; exit 77; }
D=$(mktemp -d /tmp/bk-webapi.XXXXXX)
pid=""
sse=""
cleanup() {
    [ -n "$sse" ] && kill "$sse" 2>/dev/null
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
unset BAPAS_NOW
DB=${BK_TEST_DB_URI:-$D/office.db}
cat >"$D/web.ini" <<INI
[accounts]
hash_iterations = 1
hash_memory_kib = 64
login_failures = 3
[web]
login_per_address = 8
INI
C="$B --db $DB --config $D/web.ini"
$C init >/dev/null || fail "init"
$C officer add --id PK01 --name "Budi Santoso" >/dev/null || fail "officer PK01"
$C officer add --id PK02 --name "Dewi Lestari" >/dev/null || fail "officer PK02"
$C officer add --id PK03 --name "Agus Salim" >/dev/null || fail "officer PK03"
$C client add --no C001 --name "Andi Wijaya" --birth 1990-01-02 --officer PK01 >/dev/null || fail "client C001"
$C client add --no C002 --name "Bambang Hartono" --birth 1991-02-03 --officer PK02 >/dev/null || fail "client C002"
$C client add --no C003 --name "Cahya Putri" --birth 1992-03-04 --officer PK01 >/dev/null || fail "client C003"
$C client add --no C004 --name "Dodi Prasetyo" --birth 1993-04-05 --officer PK02 >/dev/null || fail "client C004"
adduser() { printf '%s\n' "$2" | $C user add "$1" --role "$3" $4 >/dev/null || fail "user add $1"; }
adduser siti rahasia-siti-1 pk "--officer PK01"
adduser dewi rahasia-dewi-1 pk "--officer PK02"
adduser rina rahasia-rina-1 reception ""
adduser kepala rahasia-kepala-1 head ""
adduser adm rahasia-admin-1 admin ""

$C checkin C001 --birth 1990-01-02 --purpose report >/dev/null || fail "checkin C001"
$C checkin C002 --birth 1991-02-03 --purpose report >/dev/null || fail "checkin C002"
$C checkin C003 --birth 1992-03-04 --purpose counseling >/dev/null || fail "checkin C003"
$C checkin C004 --birth 1993-04-05 --purpose counseling >/dev/null || fail "checkin C004"
# Five wrong birth dates lock C004's number.
for k in 1 2 3 4 5; do $C checkin C004 --birth 2000-01-01 --purpose report >/dev/null 2>&1; done
# the id of a client's open ticket of a purpose (`queue --json` prints one
# key a line, "id" before "purpose" before "client_no")
tid() {
    $C --json queue --all | awk -v no="$1" -v p="$2" '
        /"id": [0-9]+,/ { gsub(/[^0-9]/, "", $0); id = $0 }
        /"purpose":/ { pur = $0 }
        /"client_no":/ { if (index($0, "\"" no "\"") && index(pur, "\"" p "\"")) { print id; exit } }'
}
T1=$(tid C001 report)
T2=$(tid C002 report)
T3=$(tid C003 counseling)
[ -n "$T1" ] && [ -n "$T2" ] && [ -n "$T3" ] || fail "ticket ids: '$T1' '$T2' '$T3'"

$W --listen 127.0.0.1:0 --db "$DB" --config "$D/web.ini" >"$D/out" 2>"$D/err" &
pid=$!
i=0
while ! grep -q "^listening on" "$D/out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 200 ] && fail "bapas-web did not start: $(cat "$D/err")"
    kill -0 "$pid" 2>/dev/null || fail "bapas-web exited: $(cat "$D/err")"
    sleep 0.05
done
BASE="http://$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$D/out")"
J='Content-Type: application/json'

# req NAME METHOD PATH [curl args...]: body to $D/NAME.body; prints the status.
req() {
    rn=$1 rm=$2 rp=$3
    shift 3
    curl -s -o "$D/$rn.body" -D "$D/$rn.hdr" -w '%{http_code}' -X "$rm" "$@" "$BASE$rp"
}
# expect STATUS ERROR NAME METHOD PATH [curl args]: the status and, for an
# error, the "error" code and a "message".
n=0
expect() {
    st=$1 code=$2
    shift 2
    n=$((n + 1))
    got=$(req "r$n" "$@")
    [ "$got" = "$st" ] || fail "$*: status $got, wanted $st: $(cat "$D/r$n.body")"
    if [ "$code" != - ]; then
        grep -q "\"error\":\"$code\"" "$D/r$n.body" && grep -q '"message":"' "$D/r$n.body" ||
            fail "$*: body $(cat "$D/r$n.body"), wanted error $code"
    fi
    LAST="$D/r$n.body"
}
login() { # login USER PASSWORD: cookie jar $D/USER.jar, token in $D/USER.csrf
    expect 200 - POST /api/login -H "$J" -c "$D/$1.jar" -d "{\"user\":\"$1\",\"password\":\"$2\"}"
    sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$LAST" >"$D/$1.csrf"
    [ "$(tr -d "\n" <"$D/$1.csrf" | wc -c)" -eq 64 ] || fail "login $1: $(cat "$LAST")"
}
login siti rahasia-siti-1
login dewi rahasia-dewi-1
login rina rahasia-rina-1
login kepala rahasia-kepala-1
login adm rahasia-admin-1
# as USER METHOD PATH [args]: with the cookie and the CSRF header
as() {
    u=$1 st=$2 code=$3 m=$4 p=$5
    shift 5
    expect "$st" "$code" "$m" "$p" -b "$D/$u.jar" -H "X-CSRF-Token: $(cat "$D/$u.csrf")" -H "$J" "$@"
}
audit() { $C --json audit >"$D/audit.$1"; }

# ---- refusals: nothing reaches the store ----------------------------------
audit before
expect 401 unauthorized GET /api/queue
expect 401 unauthorized POST /api/officers/PK01/call-next
expect 401 unauthorized GET /api/queue -b 'bapas_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
expect 401 unauthorized GET /api/queue -b 'bapas_session=../../etc/passwd'
expect 401 unauthorized GET /api/events
# no CSRF header, a wrong one, another session's
expect 403 csrf POST /api/officers/PK01/call-next -b "$D/siti.jar"
expect 403 csrf POST /api/officers/PK01/call-next -b "$D/siti.jar" -H "X-CSRF-Token: 00"
expect 403 csrf POST /api/officers/PK01/call-next -b "$D/siti.jar" -H "X-CSRF-Token: $(cat "$D/dewi.csrf")"
# a PK and another officer's queue and tickets
as siti 403 forbidden POST /api/officers/PK02/call-next
as siti 403 forbidden POST /api/officers/reception/call-next
as siti 403 forbidden GET "/api/queue?officer=PK02"
for a in recall start no-show cancel priority; do as siti 403 forbidden POST "/api/tickets/$T2/$a"; done
as siti 403 forbidden POST "/api/tickets/$T2/done" -d '{"outcome":"counseled"}'
as siti 403 forbidden POST "/api/tickets/$T2/transfer" -d '{"to":"PK01"}'
as siti 403 forbidden GET "/api/tickets/$T2"
as siti 403 forbidden POST /api/walkins -d '{"purpose":"other"}'
as siti 403 forbidden POST /api/presence -d '{"officer":"PK02","status":"absent"}'
as siti 403 forbidden POST /api/locks/C004/unlock
as siti 403 forbidden GET /api/reports/daily
as siti 403 forbidden GET /api/users
# head reads, changes nothing
as kepala 403 forbidden POST /api/officers/PK01/call-next
as kepala 403 forbidden POST "/api/tickets/$T1/start"
as kepala 403 forbidden POST "/api/tickets/$T1/done" -d '{"outcome":"counseled"}'
as kepala 403 forbidden POST /api/walkins -d '{"purpose":"other"}'
as kepala 403 forbidden POST /api/presence -d '{"officer":"PK02","status":"absent"}'
as kepala 403 forbidden POST /api/locks/C004/unlock
as kepala 403 forbidden POST /api/users/siti/disable
# reception and users, reports
as rina 403 forbidden GET /api/users
as rina 403 forbidden POST /api/users/siti/disable
as rina 403 forbidden POST /api/users/adm/enable
as rina 403 forbidden GET /api/reports/daily
# admin runs no desk
as adm 403 forbidden POST /api/officers/PK01/call-next
as adm 403 forbidden POST "/api/tickets/$T1/cancel"
as adm 403 forbidden POST /api/walkins -d '{"purpose":"other"}'
# unknown paths and methods
as rina 404 not_found GET /api/nothing
as rina 405 method GET /api/officers/PK01/call-next
as rina 405 method POST /api/queue
expect 404 not_found GET /index.html
expect 404 not_found GET /../../etc/passwd
# malformed bodies
as rina 400 invalid POST /api/walkins -d '{"purpose":'
as rina 400 invalid POST /api/walkins -d '["other"]'
as rina 400 invalid POST /api/walkins -d '{"purpose":"other","extra":"x"}'
as rina 400 invalid POST /api/walkins -d '{"purpose":7}'
as rina 400 invalid POST /api/walkins -d '{"purpose":"other","purpose":"report"}'
as rina 400 invalid POST /api/walkins --data-binary "$(printf '{"purpose":"other","name":"\377\376"}')"
as rina 400 invalid POST /api/walkins -d '{"purpose":"other","name":"a\u0000b"}'
as rina 400 invalid POST /api/walkins -d '{"purpose":"coffee"}'
as rina 400 invalid POST /api/walkins -d '{"purpose":"other","key":"not-a-key"}'
head -c 5000 /dev/zero | tr '\0' ' ' >"$D/big"
as rina 413 too_large POST /api/walkins --data-binary @"$D/big"
as rina 400 invalid POST "/api/tickets/$T1/done"
as rina 400 invalid POST "/api/tickets/$T1/done" -d '{"outcome":""}'
as rina 400 invalid POST "/api/tickets/$T1/done" -d '{"outcome":"great"}'
as rina 400 invalid POST "/api/tickets/$T1/start" -d '{"by":"PK02"}'
as rina 400 invalid POST "/api/tickets/not-a-ticket/start"
as rina 404 not_found POST "/api/tickets/999999/start"
as rina 400 invalid POST "/api/tickets/$T1/transfer" -d '{"to":"PK 01"}'
as rina 400 invalid GET "/api/queue?officer=PK%2001"
as rina 400 invalid POST /api/presence -d '{"officer":"PK02","status":"asleep"}'
as rina 404 not_found POST /api/locks/C%2F004/unlock
as rina 400 invalid POST /api/locks/C%20004/unlock
as kepala 400 invalid GET "/api/reports/daily?from=2026-13-01"
as kepala 404 not_found GET /api/reports/nothing
audit after
cmp -s "$D/audit.before" "$D/audit.after" || fail "a refused request changed the audit trail"
kill -0 "$pid" || fail "bapas-web died"

# ---- what each role does ----------------------------------------------------
# siti sees only PK01's tickets (hers and her clients'), with names
as siti 200 - GET /api/queue
grep -q '"client_no":"C001"' "$LAST" && grep -q '"client_name":"Andi Wijaya"' "$LAST" || fail "siti's queue: $(cat "$LAST")"
grep -q '"client_no":"C002"' "$LAST" && fail "siti sees PK02's ticket: $(cat "$LAST")"
as rina 200 - GET /api/queue
grep -q '"client_no":"C002"' "$LAST" && grep -q '"client_no":"C001"' "$LAST" || fail "reception's queue: $(cat "$LAST")"
as kepala 200 - GET "/api/queue?officer=PK02&all=1"
grep -q '"client_no":"C001"' "$LAST" && fail "officer filter: $(cat "$LAST")"
# siti calls, starts, finishes her first client
as siti 200 - POST /api/officers/PK01/call-next
grep -q "\"id\":$T1," "$LAST" && grep -q '"status":"called"' "$LAST" || fail "call-next: $(cat "$LAST")"
as siti 200 - POST "/api/tickets/$T1/recall"
as siti 200 - POST "/api/tickets/$T1/start"
grep -q '"status":"serving"' "$LAST" || fail "start: $(cat "$LAST")"
as siti 400 invalid POST "/api/tickets/$T1/done" -d '{}'
as siti 200 - POST "/api/tickets/$T1/done" -d '{"outcome":"counseled"}'
grep -q '"outcome":"counseled"' "$LAST" || fail "done: $(cat "$LAST")"
as siti 409 state POST "/api/tickets/$T1/done" -d '{"outcome":"counseled"}'
as siti 409 state POST "/api/tickets/$T1/recall"
# by code too
CODE3=$($C --json show "$T3" | sed -n 's/.*"code": "\([^"]*\)".*/\1/p' | head -1)
as siti 200 - POST "/api/tickets/$CODE3/priority"
grep -q '"priority":true' "$LAST" || fail "priority: $(cat "$LAST")"
# dewi: her queue; a transfer to an absent officer is refused, to a present one done
as rina 200 - POST /api/presence -d '{"officer":"PK03","status":"absent"}'
as rina 200 - GET /api/presence
grep -q '"id":"PK03"[^}]*"present_today":false' "$LAST" || fail "presence: $(cat "$LAST")"
as dewi 409 absent POST "/api/tickets/$T2/transfer" -d '{"to":"PK03"}'
as dewi 200 - POST "/api/tickets/$T2/transfer" -d '{"to":"PK01","reason":"bahasa daerah"}'
grep -q '"transferred_from":"PK02"' "$LAST" || fail "transfer: $(cat "$LAST")"
# now routed to PK01: siti may act on it, and dewi still may (her client)
as siti 200 - GET "/api/tickets/$T2"
as dewi 200 - POST "/api/tickets/$T2/cancel"
# reception: a walk-in, its key repeated, the reception queue
as rina 200 - POST /api/walkins -d '{"purpose":"other","name":"Pak Tamu"}'
KEY=$(sed -n 's/.*"key":"\([A-Z2-7]*\)".*/\1/p' "$LAST")
WID=$(sed -n 's/.*"id":\([0-9]*\),.*/\1/p' "$LAST")
[ -n "$KEY" ] && [ -n "$WID" ] || fail "walk-in: $(cat "$LAST")"
as rina 200 - POST /api/walkins -d "{\"purpose\":\"other\",\"name\":\"Pak Tamu\",\"key\":\"$KEY\"}"
grep -q '"existing":true' "$LAST" && grep -q "\"id\":$WID," "$LAST" || fail "walk-in replay: $(cat "$LAST")"
as rina 200 - POST /api/officers/reception/call-next
grep -q '"client_name":"Pak Tamu"' "$LAST" || fail "reception call-next: $(cat "$LAST")"
as rina 200 - POST "/api/tickets/$WID/no-show"
as rina 404 empty POST /api/officers/reception/call-next
# locks
as rina 200 - GET /api/locks
grep -q '"client_no":"C004"' "$LAST" || fail "locks: $(cat "$LAST")"
as rina 200 - POST /api/locks/C004/unlock
as rina 404 not_found POST /api/locks/C004/unlock
$C checkin C004 --birth 1993-04-05 --purpose report >/dev/null || fail "C004 still locked after the unlock"
# head's reports
as kepala 200 - GET /api/reports/daily
grep -q '"report":"daily"' "$LAST" && grep -q '"rows":\[' "$LAST" || fail "report: $(cat "$LAST")"
as kepala 200 - GET "/api/reports/outcomes?format=html"
grep -qi '^content-type: text/html' "$D/r$n.hdr" || fail "html report type"
# admin: users; a lockout lifted by reception; disabling ends sessions
as adm 200 - GET /api/users
grep -q '"name":"siti"' "$LAST" && ! grep -q argon2 "$LAST" || fail "users: $(cat "$LAST")"
for k in 1 2 3; do expect 401 unauthorized POST /api/login -H "$J" -d '{"user":"dewi","password":"salah-salah-1"}'; done
as adm 200 - GET /api/users
grep -q '"name":"dewi","role":"pk","officer":"PK02","disabled":false,"locked":true' "$LAST" || fail "dewi not locked: $(cat "$LAST")"
as rina 200 - POST /api/users/dewi/unlock
as adm 200 - POST /api/users/dewi/disable
as dewi 401 unauthorized GET /api/me
as adm 409 self POST /api/users/adm/disable
as adm 404 not_found POST /api/users/nobody/enable
as adm 200 - POST /api/users/dewi/enable

# the audit rows name the web user
$C audit >"$D/audit.txt"
grep -q 'web:siti' "$D/audit.txt" || fail "no audit row by web:siti: $(tail -5 "$D/audit.txt")"
grep -q 'web:rina' "$D/audit.txt" || fail "no audit row by web:rina"
grep -q 'web:adm' "$D/audit.txt" || fail "no audit row by web:adm"
grep 'web:siti' "$D/audit.txt" | grep -q 'done' || fail "siti's done is not hers: $(grep web: "$D/audit.txt")"

# ---- events: a bapasctl commit reaches an open stream -------------------------
curl -s -N -m 20 -b "$D/rina.jar" "$BASE/api/events" >"$D/events" 2>/dev/null &
sse=$!
i=0
while ! grep -q '^event: hello' "$D/events" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 100 ] && fail "no hello event: $(cat "$D/events")"
    sleep 0.05
done
$C walkin --purpose other >/dev/null || fail "bapasctl walkin"
i=0
while ! grep -q '^event: change' "$D/events" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 100 ] && fail "no change event after a commit: $(cat "$D/events")"
    sleep 0.05
done
# logout ends the stream: curl ends with 0 (the server closed it), not 28
# (its own 20 s limit)
as rina 200 - POST /api/logout
wait "$sse"
rc=$?
sse=""
[ $rc -eq 0 ] || fail "the event stream outlived its session (curl exit $rc): $(cat "$D/events")"

# ---- the per-address login limit: 8 failures from 127.0.0.1 (the
# dewi lockout above made 3) -----------------------------------------------------
for k in 1 2 3 4 5; do expect 401 unauthorized POST /api/login -H "$J" -d "{\"user\":\"nobody$k\",\"password\":\"x\"}"; done
expect 429 too_many POST /api/login -H "$J" -d '{"user":"siti","password":"rahasia-siti-1"}'

kill -0 "$pid" || fail "bapas-web died"
kill "$pid"
wait "$pid" || fail "bapas-web did not stop cleanly on SIGTERM"
pid=""
echo "test_web_api: ok ($n requests)"
