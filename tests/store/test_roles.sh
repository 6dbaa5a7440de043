#!/bin/sh
# Least-privilege roles (run by pg_cluster.sh): an owner role creates the demo
# office, deploy/pg-roles.sql creates the group roles, and one LOGIN role per
# group proves what it may and may not do:
#   kiosk      checks in and reads the queue; every desk action is refused with
#              a clear message, exit 1 and nothing changed; raw SQL cannot
#              call, finish or re-prioritise a ticket; it closes earlier days'
#              tickets as no_show at check-in
#   desk       calls, starts, finishes (a report visit moves last_report); may
#              not check in
#   reception  walk-in, presence, unlock
#   read       the three views with psql, "permission denied" on the tables
#   audit      no role may UPDATE or DELETE it
# and bapas-kiosk's kiosk, desk and board modes run on their roles. A role
# opening an office whose schema is older (or absent) is told to run
# `bapasctl init` as the owner.
# Usage: test_roles.sh BAPASCTL BAPAS_KIOSK PG_ROLES_SQL
set -u
# Needs the test hooks (BAPAS_NOW, script exec): skipped (77) in a build without them.
if [ "${BK_TEST_HOOKS:-1}" != 1 ]; then echo "SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)"; exit 77; fi
B=$1
K=$2
SQL=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v psql >/dev/null 2>&1 || { echo "test_roles: SKIP: psql missing" >&2; exit 77; }
D=$(mktemp -d /tmp/bk-roles.XXXXXX)
trap 'rm -rf "$D"' EXIT
SUPER=$BK_TEST_DB_URI
# user=ROLE on the cluster's socket (trust authentication)
case "$SUPER" in
*'?'*) q=${SUPER#*\?} ;;
*) fail "unexpected BK_TEST_DB_URI $SUPER" ;;
esac
host=$(echo "$q" | sed -n 's/.*\(host=[^&]*\).*/\1/p')
port=$(echo "$q" | sed -n 's/.*\(&port=[^&]*\).*/\1/p')
uri() { echo "postgresql:///${2:-office}?$host$port&user=$1"; }
SU=$(echo "$q" | sed -n 's/.*user=\([^&]*\).*/\1/p') # the cluster's superuser
sql() { psql -X -q -v ON_ERROR_STOP=1 -A -t "$@"; }

DAY1=2026-12-07T03:00:00Z # a Monday
DAY2=2026-12-08T03:00:00Z
export BAPAS_NOW=$DAY1

# ---- the office: an owner role, its database, the demo, the roles ------------
sql "$SUPER" -c "CREATE ROLE bk_owner LOGIN" -c "CREATE DATABASE office OWNER bk_owner" \
    -c "CREATE DATABASE older OWNER bk_owner" || fail "cannot create the owner and databases"
OWNER=$(uri bk_owner)
$B --db "$OWNER" init --demo >/dev/null || fail "init --demo as the owner"
for i in 1 2; do # twice: it must be safe to run again
    sql "$(uri "$SU")" -f "$SQL" >"$D/roles.out" 2>&1 ||
        fail "pg-roles.sql (run $i): $(cat "$D/roles.out")"
done
sql "$SUPER" -c "CREATE ROLE kiosk1 LOGIN IN ROLE bapas_kiosk" \
    -c "CREATE ROLE desk1 LOGIN IN ROLE bapas_desk" \
    -c "CREATE ROLE rec1 LOGIN IN ROLE bapas_reception" \
    -c "CREATE ROLE board1 LOGIN IN ROLE bapas_board" \
    -c "CREATE ROLE read1 LOGIN IN ROLE bapas_read" || fail "cannot create the login roles"
KIOSK=$(uri kiosk1)
DESK=$(uri desk1)
REC=$(uri rec1)
READ=$(uri read1)

# Demo clients (number, birth date, officer) for check-ins.
sql "$OWNER" -F ' ' -c "SELECT no, birth_date, officer_id FROM clients WHERE active = 1
                        ORDER BY no LIMIT 4" >"$D/clients"
[ "$(wc -l <"$D/clients")" -eq 4 ] || fail "demo has fewer than 4 active clients"
set -- $(sed -n 1p "$D/clients"); C1=$1 B1=$2 O1=$3
set -- $(sed -n 2p "$D/clients"); C2=$1 B2=$2
set -- $(sed -n 3p "$D/clients"); C3=$1 B3=$2 O3=$3
set -- $(sed -n 4p "$D/clients"); C4=$1 B4=$2

# state: a digest of every ticket, audit row, lock and failure count
state() {
    sql "$OWNER" -c "SELECT md5(COALESCE((SELECT string_agg(t::text, ',' ORDER BY id) FROM tickets t), '')
                         || COALESCE((SELECT string_agg(a::text, ',' ORDER BY id) FROM audit a), '')
                         || COALESCE((SELECT string_agg(l::text, ',') FROM client_locks l), '')
                         || COALESCE((SELECT string_agg(v::text, ',') FROM verify_failures v), '')
                         || COALESCE((SELECT string_agg(c::text, ',' ORDER BY no) FROM clients c), ''))"
}
# denied WHAT CMD...: bapasctl must exit 1 naming the role problem, changing nothing.
denied() {
    what=$1
    shift
    before=$(state)
    "$B" "$@" >"$D/out" 2>&1
    rc=$?
    [ $rc -eq 1 ] || fail "$what: exit $rc, expected 1: $(cat "$D/out")"
    grep -q "may not do this" "$D/out" || fail "$what: no role message: $(cat "$D/out")"
    grep -q "(42501)" "$D/out" || fail "$what: no SQLSTATE: $(cat "$D/out")"
    [ "$(state)" = "$before" ] || fail "$what: the database changed"
}
# sql_denied WHAT URI SQL TEXT: psql must fail with TEXT, changing nothing.
sql_denied() {
    before=$(state)
    if psql -X -q -v ON_ERROR_STOP=1 "$2" -c "$3" >"$D/out" 2>&1; then
        fail "$1: accepted"
    fi
    grep -q "$4" "$D/out" || fail "$1: unexpected message: $(cat "$D/out")"
    [ "$(state)" = "$before" ] || fail "$1: the database changed"
}

# ---- kiosk ------------------------------------------------------------------
$B --db "$KIOSK" checkin "$C1" --birth "$B1" --purpose report >"$D/out" 2>&1 ||
    fail "kiosk checkin: $(cat "$D/out")"
A=$(awk '{print $1; exit}' "$D/out")
OA=$(sql "$OWNER" -c "SELECT COALESCE(officer_id, 'reception') FROM tickets
                      WHERE office_day = '2026-12-07' AND code = '$A'")
$B --db "$KIOSK" checkin "$C2" --birth 1900-01-01 --purpose report >/dev/null 2>&1
[ $? -eq 4 ] || fail "kiosk: a wrong birth date is not counted (exit 4)"
$B --db "$KIOSK" checkin "$C2" --birth "$B2" --purpose counseling >/dev/null ||
    fail "kiosk: check-in after a failure (clears the count)"
$B --db "$KIOSK" walkin --purpose other >/dev/null || fail "kiosk walkin"
$B --db "$KIOSK" queue >"$D/out" 2>&1 || fail "kiosk queue: $(cat "$D/out")"
grep -q "^$A " "$D/out" || fail "kiosk queue does not list $A"
denied "kiosk call-next" --db "$KIOSK" call-next --officer "$OA"
denied "kiosk start" --db "$KIOSK" start "$A"
denied "kiosk no-show" --db "$KIOSK" no-show "$A"
denied "kiosk cancel" --db "$KIOSK" cancel "$A"
denied "kiosk priority" --db "$KIOSK" priority "$A"
denied "kiosk transfer" --db "$KIOSK" transfer "$A" --to reception
denied "kiosk presence" --db "$KIOSK" officer presence "$O1" absent
denied "kiosk unlock" --db "$KIOSK" client unlock "$C1"
grep -q "kiosk1" "$D/out" || fail "the message does not name the role: $(cat "$D/out")"
echo "kiosk refused: $(cat "$D/out")"
# Raw SQL with the kiosk's credentials: no call, finish, priority, audit edit.
sql_denied "kiosk SQL finish" "$KIOSK" "UPDATE tickets SET status = 'done' WHERE code = '$A'" \
    "permission denied"
sql_denied "kiosk SQL call" "$KIOSK" "UPDATE tickets SET called_at = 'x', calls = 1 WHERE code = '$A'" \
    "permission denied"
sql_denied "kiosk SQL priority insert" "$KIOSK" \
    "INSERT INTO tickets(office_day, letter, seq, code, token, purpose, routed, status, priority,
                         order_at, checkin_at)
     VALUES ('2026-12-07', 'F', 99, 'F-099', 'tok', 'other', 'reception', 'waiting', 1, 'x', 'x')" \
    "permission denied"
sql_denied "kiosk SQL unlock" "$KIOSK" "DELETE FROM client_locks" "permission denied"
sql_denied "kiosk SQL audit read" "$KIOSK" "SELECT * FROM audit" "permission denied"
sql_denied "kiosk SQL audit delete" "$KIOSK" "DELETE FROM audit" "permission denied"
sql_denied "kiosk SQL schema" "$KIOSK" "CREATE TABLE x(a int)" "permission denied"

# ---- desk -------------------------------------------------------------------
# desk1 is the desk of officer OA (the owner says so in bk_desk_login)
sql "$OWNER" -c "INSERT INTO bk_desk_login(login, officer_id) VALUES ('desk1', '$OA')" ||
    fail "cannot map desk1 to $OA"
$B --db "$DESK" call-next --officer "$OA" >"$D/out" 2>&1 || fail "desk call-next: $(cat "$D/out")"
grep -q "^$A .*called" "$D/out" || fail "desk call-next did not call $A: $(cat "$D/out")"
denied "kiosk recall" --db "$KIOSK" recall "$A"
$B --db "$DESK" recall "$A" >/dev/null || fail "desk recall"
$B --db "$DESK" start "$A" >/dev/null || fail "desk start"
denied "kiosk done" --db "$KIOSK" done "$A" --outcome counseled
$B --db "$DESK" done "$A" --outcome counseled >/dev/null || fail "desk done"
[ "$(sql "$OWNER" -c "SELECT last_report FROM clients WHERE no = '$C1'")" = 2026-12-07 ] ||
    fail "desk done of a report visit did not move last_report"
denied "desk checkin" --db "$DESK" checkin "$C3" --birth "$B3" --purpose report
denied "desk walkin" --db "$DESK" walkin --purpose other
sql_denied "desk SQL audit update" "$DESK" "UPDATE audit SET actor = 'x'" "permission denied"
sql_denied "desk SQL client edit" "$DESK" "UPDATE clients SET birth_date = '2000-01-01'" \
    "permission denied"

# ---- reception --------------------------------------------------------------
$B --db "$REC" walkin --purpose other >/dev/null || fail "reception walkin"
$B --db "$REC" officer presence "$O3" absent >/dev/null || fail "reception presence"
$B --db "$REC" client unlock "$C4" >/dev/null || fail "reception unlock"
$B --db "$REC" audit >/dev/null || fail "reception audit"
$B --db "$REC" officer presence "$O3" present >/dev/null || fail "reception presence back"

# ---- the next day: the kiosk closes yesterday's open tickets as no_show -------
open=$(sql "$OWNER" -c "SELECT count(*) FROM tickets WHERE office_day = '2026-12-07'
                        AND status IN ('waiting', 'called', 'serving')")
ends=$(sql "$OWNER" -c "SELECT count(*) FROM audit WHERE action = 'day_end'")
[ "$open" -ge 2 ] || fail "expected open tickets on day 1, found $open"
BAPAS_NOW=$DAY2 $B --db "$KIOSK" checkin "$C3" --birth "$B3" --purpose report >"$D/out" 2>&1 ||
    fail "kiosk check-in on day 2: $(cat "$D/out")"
left=$(sql "$OWNER" -c "SELECT count(*) FROM tickets WHERE office_day = '2026-12-07'
                        AND status IN ('waiting', 'called', 'serving')")
[ "$left" -eq 0 ] || fail "$left tickets of day 1 still open after the day-2 check-in"
closed=$(($(sql "$OWNER" -c "SELECT count(*) FROM audit WHERE action = 'day_end'") - ends))
[ "$closed" -eq "$open" ] || fail "day_end audit rows: $closed, closed tickets: $open"

# ---- read: the views only ---------------------------------------------------
for v in v_queue_today v_visits v_officer_presence; do
    n=$(sql "$READ" -c "SELECT count(*) FROM $v") || fail "read role: SELECT $v refused"
    echo "read role: $v has $n rows"
done
[ "$(sql "$READ" -c "SELECT count(*) FROM v_visits")" -gt 0 ] || fail "read role: v_visits empty"
for t in tickets clients settings audit officers; do
    sql_denied "read SQL $t" "$READ" "SELECT * FROM $t LIMIT 1" "permission denied for table $t"
done
denied "read role bapasctl" --db "$READ" queue

# ---- audit is append-only for every role --------------------------------------
for r in bapas_board bapas_kiosk bapas_desk bapas_reception bapas_read; do
    p=$(sql "$OWNER" -c "SELECT has_table_privilege('$r', 'audit', 'UPDATE')
                             OR has_table_privilege('$r', 'audit', 'DELETE')
                             OR has_table_privilege('$r', 'audit', 'TRUNCATE')")
    [ "$p" = f ] || fail "$r may change the audit trail"
done

# ---- an older (here: empty) database: only the owner migrates ------------------
$B --db "$(uri kiosk1 older)" queue >"$D/out" 2>&1
[ $? -eq 1 ] || fail "kiosk on an unmigrated database: not exit 1: $(cat "$D/out")"
grep -q "run \`bapasctl init\` as the office's owner" "$D/out" ||
    fail "kiosk on an unmigrated database: unclear message: $(cat "$D/out")"

# ---- bapas-kiosk on its roles -------------------------------------------------
run_ui() { # ROLE-URI SCRIPT MODE-ARGS...
    u=$1 s=$2
    shift 2
    BAPAS_NOW=$DAY2 timeout 120 "$K" --db "$u" "$@" --windowed 800x480 --script "$s" \
        >"$D/ui.out" 2>&1
}
cat >"$D/kiosk.txt" <<EOF
expect welcome
tap start
type $C4\\n
expect verify
type $(echo "$B4" | awk -F- '{print $3 $2 $1}')\\n
expect purpose
tap purpose-counseling
expect ticket
dump
EOF
run_ui "$KIOSK" "$D/kiosk.txt" || fail "bapas-kiosk (kiosk mode, kiosk role): $(cat "$D/ui.out")"
grep -q "^code	[A-F]-" "$D/ui.out" || fail "kiosk mode: no ticket code: $(cat "$D/ui.out")"
O4=$(sql "$OWNER" -c "SELECT officer_id FROM tickets WHERE office_day = '2026-12-08'
                      AND client_no = '$C4'")
sql "$SUPER" -c "CREATE ROLE desk2 LOGIN IN ROLE bapas_desk" >/dev/null || fail "cannot create desk2"
sql "$OWNER" -c "INSERT INTO bk_desk_login(login, officer_id) VALUES ('desk2', '$O4')" ||
    fail "cannot map desk2 to $O4"
printf 'expect desk\ntap call-next\nexpect desk\ndump\n' >"$D/desk.txt"
run_ui "$(uri desk2)" "$D/desk.txt" --mode desk --officer "$O4" ||
    fail "bapas-kiosk (desk mode, desk role): $(cat "$D/ui.out")"
grep -q "^current	[A-F]-" "$D/ui.out" || fail "desk mode: nothing called: $(cat "$D/ui.out")"
printf 'expect board\ndump\n' >"$D/board.txt"
run_ui "$(uri board1)" "$D/board.txt" --mode board ||
    fail "bapas-kiosk (board mode, board role): $(cat "$D/ui.out")"
grep -q "^calling	[A-F]-" "$D/ui.out" || fail "board mode: no call shown: $(cat "$D/ui.out")"

# Reception's reprint (schema 8): reception reads no token with the tickets,
# so the slip's QR takes the ticket's token from bk_slip_token.
C3CODE=$(sql "$OWNER" -c "SELECT code FROM tickets WHERE office_day = '2026-12-08' AND client_no = '$C3'")
C3TOK=$(sql "$OWNER" -c "SELECT token FROM tickets WHERE office_day = '2026-12-08' AND client_no = '$C3'")
: >"$D/lp0"
printf '[printer]\ntarget = %s\nnative_qr = yes\n' "$D/lp0" >"$D/rec.ini"
printf 'expect reception\ntype %s\\n\nwait 500\ntap reprint\nwait 3000\ndump\n' "$C3CODE" >"$D/rec.txt"
run_ui "$REC" "$D/rec.txt" --config "$D/rec.ini" --mode reception ||
    fail "bapas-kiosk (reception mode, reception role): $(cat "$D/ui.out")"
grep -q "$C3TOK" "$D/lp0" || fail "reception's reprint of $C3CODE does not carry its token: $(cat "$D/ui.out")"

echo "roles: kiosk checks in only, desk acts, reception manages, read sees the views only"
