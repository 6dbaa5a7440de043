#!/bin/sh
# The least-privilege roles under attack (issue 20; run by pg_cluster.sh): an
# office set up as deploy/README.md says (an owner role, `bapasctl init
# --demo`, deploy/pg-roles.sql, one LOGIN per group role, the desk logins
# mapped to their officers), then raw SQL with each login's credentials tries
# what the roles must not do. Every attempt must be refused with nothing
# changed in the database; and while attackers hold every lock they can get,
# a check-in and a call-next still succeed at once.
#
# The server's clock counts here (no clock = 'client' setting): a forged
# instant in a call must not date a ticket.
#
# Usage: test_attack.sh BAPASCTL PG_ROLES_SQL
# Run against the roles of schemas 1-2 (main before issue 20) it fails at the
# first attack that gets through.
set -u
B=$1
SQL=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v psql >/dev/null 2>&1 || { echo "test_attack: SKIP: psql missing" >&2; exit 77; }
D=$(mktemp -d /tmp/bk-attack.XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$D"
}
trap cleanup EXIT
unset BAPAS_NOW
SUPER=$BK_TEST_DB_URI
case "$SUPER" in
*'?'*) q=${SUPER#*\?} ;;
*) fail "unexpected BK_TEST_DB_URI $SUPER" ;;
esac
host=$(echo "$q" | sed -n 's/.*\(host=[^&]*\).*/\1/p')
port=$(echo "$q" | sed -n 's/.*\(&port=[^&]*\).*/\1/p')
uri() { echo "postgresql:///office?$host$port&user=$1"; }
SU=$(echo "$q" | sed -n 's/.*user=\([^&]*\).*/\1/p')
sql() { psql -X -q -v ON_ERROR_STOP=1 -A -t "$@"; }

# ---- the office ---------------------------------------------------------------
sql "$SUPER" -c "CREATE ROLE bk_owner LOGIN" -c "CREATE DATABASE office OWNER bk_owner" ||
    fail "cannot create the owner and database"
OWNER=$(uri bk_owner)
$B --db "$OWNER" init --demo >/dev/null || fail "init --demo as the owner"
sql "$(uri "$SU")" -f "$SQL" >"$D/roles.out" 2>&1 || fail "pg-roles.sql: $(cat "$D/roles.out")"
sql "$SUPER" -c "CREATE ROLE kiosk1 LOGIN IN ROLE bapas_kiosk" \
    -c "CREATE ROLE desk1 LOGIN IN ROLE bapas_desk" \
    -c "CREATE ROLE desk2 LOGIN IN ROLE bapas_desk" \
    -c "CREATE ROLE rec1 LOGIN IN ROLE bapas_reception" \
    -c "CREATE ROLE board1 LOGIN IN ROLE bapas_board" \
    -c "CREATE ROLE read1 LOGIN IN ROLE bapas_read" || fail "cannot create the login roles"
KIOSK=$(uri kiosk1)
DESK=$(uri desk1)
REC=$(uri rec1)
TODAY=$(sql "$OWNER" -c "SELECT bk_office_today()")

# Two active clients of two different officers, a third for the lock attack.
sql "$OWNER" -F ' ' -c "SELECT DISTINCT ON (officer_id) no, birth_date, officer_id FROM clients
                        WHERE active = 1 AND officer_id IN (SELECT id FROM officers WHERE active = 1)
                          AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.client_no = clients.no
                                          AND t.office_day = '$TODAY')
                        ORDER BY officer_id, no LIMIT 2" >"$D/clients"
[ "$(wc -l <"$D/clients")" -eq 2 ] || fail "the demo has no two officers with clients"
set -- $(sed -n 1p "$D/clients"); C1=$1 B1=$2 O1=$3
set -- $(sed -n 2p "$D/clients"); C2=$1 B2=$2 O2=$3
# desk1 is O1's desk; desk2 is O2's. (Only the owner may say so.)
sql "$OWNER" -c "INSERT INTO bk_desk_login(login, officer_id) VALUES ('desk1', '$O1'), ('desk2', '$O2')" \
    2>/dev/null || through "cannot map the desk logins (no bk_desk_login: the roles of schema < 3)"
# Each client checks in once, through the kiosk login (the server's presence
# rules may route a ticket to reception: make both officers present today).
for o in "$O1" "$O2"; do
    $B --db "$REC" officer presence "$o" present >/dev/null 2>&1 ||
        fail "reception cannot record $o present"
done
$B --db "$KIOSK" checkin "$C1" --birth "$B1" --purpose report >/dev/null || fail "kiosk check-in $C1"
$B --db "$KIOSK" checkin "$C2" --birth "$B2" --purpose report >/dev/null || fail "kiosk check-in $C2"
T1=$(sql "$OWNER" -c "SELECT id FROM tickets WHERE client_no = '$C1' AND office_day = '$TODAY'")
T2=$(sql "$OWNER" -c "SELECT id FROM tickets WHERE client_no = '$C2' AND office_day = '$TODAY'")
[ -n "$T1" ] && [ -n "$T2" ] || fail "the check-ins made no tickets"
[ "$(sql "$OWNER" -c "SELECT officer_id FROM tickets WHERE id = $T2")" = "$O2" ] ||
    fail "ticket $T2 is not routed to $O2"

# A staff account (schema 7), made as the owner, as deploy/README.md says.
printf '[accounts]\nhash_iterations = 1\nhash_memory_kib = 64\n' >"$D/cheap.ini"
printf 'rahasia-admin-1\n' | $B --config "$D/cheap.ini" --db "$OWNER" user add boss --role admin \
    >/dev/null || fail "the owner cannot add a user"

state() {
    sql "$OWNER" -c "SELECT md5(COALESCE((SELECT string_agg(t::text, ',' ORDER BY id) FROM tickets t), '')
                         || COALESCE((SELECT string_agg(u::text, ',' ORDER BY name) FROM users u), '')
                         || COALESCE((SELECT string_agg(a::text, ',' ORDER BY id) FROM audit a), '')
                         || COALESCE((SELECT string_agg(l::text, ',') FROM client_locks l), '')
                         || COALESCE((SELECT string_agg(v::text, ',') FROM verify_failures v), '')
                         || COALESCE((SELECT string_agg(c::text, ',' ORDER BY no) FROM clients c), '')
                         || COALESCE((SELECT string_agg(p::text, ',') FROM officer_presence p), '')
                         || COALESCE((SELECT string_agg(q::text, ',' ORDER BY id) FROM report_questions q), '')
                         || COALESCE((SELECT string_agg(x::text, ',' ORDER BY ticket_id, question_id)
                                        FROM ticket_answers x), ''))"
}
n_refused=0
n_through=0
# ATTACK_KEEP_GOING=1: list every attack that got through, then fail (to
# show what the roles of an older setup let through).
through() {
    [ "${ATTACK_KEEP_GOING:-0}" = 1 ] || fail "$*"
    echo "THROUGH: $*" >&2
    n_through=$((n_through + 1))
}
# refused WHO WHAT SQL: psql as login WHO must fail, changing nothing.
refused() {
    before=$(state)
    if psql -X -q -v ON_ERROR_STOP=1 "$(uri "$1")" -c "$3" >"$D/out" 2>&1; then
        through "$1: $2: accepted: $(head -c 200 "$D/out")"
        return
    fi
    if ! grep -q -e "permission denied" -e "must be owner" -e "is the desk of" "$D/out"; then
        through "$1: $2: refused for another reason: $(head -c 300 "$D/out")"
        return
    fi
    if [ "$(state)" != "$before" ]; then
        through "$1: $2: the database changed"
        return
    fi
    n_refused=$((n_refused + 1))
}
K=ABCDEFGHIJKLMNOPQRSTUVWXYA # a request key (any token)

# ---- every login: the table writes and the locks ------------------------------
for r in kiosk1 desk1 rec1 board1 read1; do
    refused $r "read birth dates" "SELECT no, birth_date FROM clients LIMIT 1"
    refused $r "read the wrong-date counts" "SELECT * FROM verify_failures"
    refused $r "read the locks" "SELECT * FROM client_locks"
    refused $r "read the request keys" "SELECT * FROM bk_request"
    refused $r "take the writer lock (row)" "SELECT * FROM bk_writer FOR UPDATE"
    refused $r "take the writer lock (table)" "BEGIN; LOCK TABLE bk_writer; COMMIT"
    refused $r "take the writer lock (function)" "SELECT bk_writer_lock()"
    refused $r "update a ticket" "UPDATE tickets SET priority = 1 WHERE id = $T2"
    refused $r "mark today's ticket no_show" "UPDATE tickets SET status = 'no_show' WHERE id = $T1"
    refused $r "row-lock a ticket" "SELECT id FROM tickets WHERE id = $T1 FOR UPDATE"
    refused $r "insert a ticket dated in the past" \
        "INSERT INTO tickets(office_day, letter, seq, code, token, purpose, client_no, routed,
                             status, order_at, checkin_at)
         VALUES ('2020-01-01', 'A', 1, 'A-001', 'forged', 'report', '$C1', 'reception',
                 'waiting', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')"
    refused $r "insert an audit row" "INSERT INTO audit(at, actor, action) VALUES ('x', 'someone', 'forged')"
    refused $r "delete audit rows" "DELETE FROM audit"
    refused $r "reset a wrong-date count" "DELETE FROM verify_failures"
    refused $r "lock a number" "INSERT INTO client_locks VALUES ('$C2', 'x')"
    refused $r "unlock a number" "DELETE FROM client_locks"
    refused $r "rewrite a last report" "UPDATE clients SET last_report = '2000-01-01'"
    refused $r "map itself to an officer" "INSERT INTO bk_desk_login VALUES ('$r', '$O2')"
    refused $r "record presence" "INSERT INTO officer_presence VALUES ('$TODAY', '$O1', 'absent', NULL, '')"
    refused $r "change settings" "UPDATE settings SET value = 'client' WHERE key = 'clock'"
    refused $r "call the audit helper" "SELECT bk_audit('x', 'forged', NULL, NULL, '')"
    refused $r "add a holiday" "INSERT INTO holidays VALUES ('$TODAY', 'libur', 'forged')"
    refused $r "move a holiday" "UPDATE holidays SET day = '2000-01-01'"
    refused $r "delete the holidays" "DELETE FROM holidays"
    refused $r "read the password hashes" "SELECT name, pw_hash FROM users"
    refused $r "count the staff accounts" "SELECT count(*) FROM users"
    refused $r "replace a password hash" "UPDATE users SET pw_hash = '\$argon2id\$forged'"
    refused $r "lift a lockout" "UPDATE users SET failed = 0, locked_until = NULL"
    refused $r "add an admin" "INSERT INTO users(name, role, pw_hash, created_at, changed_at)
                               VALUES ('evil', 'admin', '\$argon2id\$x', 'x', 'x')"
    refused $r "remove the accounts" "DELETE FROM users"
    # the wajib lapor answers (schema 10): personal, owner-only
    refused $r "read the answers" "SELECT * FROM ticket_answers"
    refused $r "write an answer" "INSERT INTO ticket_answers VALUES ($T1, 1, 1, 'x')"
    refused $r "change an answer" "UPDATE ticket_answers SET answer = 0"
    refused $r "delete the answers" "DELETE FROM ticket_answers"
    refused $r "reword a question" "UPDATE report_questions SET text_id = 'forged'"
    refused $r "add a question" "INSERT INTO report_questions VALUES (50, 1, 'x', 'x', 1, 'x')"
    before=$(state)
    if $B --db "$(uri "$r")" --json user list >"$D/out" 2>&1 || grep -q boss "$D/out"; then
        through "$r: bapasctl user list: $(head -c 200 "$D/out")"
    fi
    if printf 'rahasia-evil-1\n' | $B --config "$D/cheap.ini" --db "$(uri "$r")" user add evil \
        --role admin >"$D/out" 2>&1; then
        through "$r: bapasctl user add: accepted"
    fi
    [ "$(state)" = "$before" ] || through "$r: bapasctl user: the database changed"
done
# The holiday list (schema 6) is read by the kiosk, desk and reception (the
# next report date), written only by the owner (bapasctl holidays import).
for r in kiosk1 desk1 rec1 board1; do
    sql "$(uri $r)" -c "SELECT count(*) FROM holidays" >/dev/null ||
        fail "$r cannot read the holidays"
done
# The views-only and board logins: no write function at all.
for r in board1 read1; do
    refused $r "answer the questions" "SELECT * FROM bk_act_answers('$K', NULL, $T1, '1=1')"
    refused $r "read the answers view" "SELECT * FROM bk_answers_seen"
    refused $r "check in" "SELECT * FROM bk_act_checkin('$K', NULL, '$C1', '$B1', 'report', 5, 10)"
    refused $r "test a birth date" "SELECT * FROM bk_act_verify('$K', NULL, '$C1', '$B1', 5)"
    refused $r "walk in" "SELECT * FROM bk_act_walkin('$K', NULL, 'other', 'x', 10)"
    refused $r "call next" "SELECT * FROM bk_act_call_next('$K', NULL, '$O1', 10)"
    refused $r "finish a ticket" "SELECT * FROM bk_act_ticket('$K', NULL, $T1, 'done', 'admin', '', 10)"
    refused $r "unlock" "SELECT * FROM bk_act_unlock('$K', NULL, '$C1')"
done
refused read1 "read the tickets table" "SELECT * FROM tickets LIMIT 1"
refused read1 "read the clients view" "SELECT * FROM bk_clients_seen LIMIT 1"
# The kiosk: nothing of the desk's or reception's.
refused kiosk1 "call next" "SELECT * FROM bk_act_call_next('$K', NULL, '$O1', 10)"
refused kiosk1 "mark no_show" "SELECT * FROM bk_act_ticket('$K', NULL, $T1, 'no_show', '', '', 10)"
refused kiosk1 "jump the queue" "SELECT * FROM bk_act_ticket('$K', NULL, $T2, 'priority', '', '', 10)"
refused kiosk1 "unlock" "SELECT * FROM bk_act_unlock('$K', NULL, '$C1')"
refused kiosk1 "record presence" "SELECT * FROM bk_act_presence('$K', NULL, '$TODAY', '$O1', 'absent', '')"
refused kiosk1 "move a queue" "SELECT * FROM bk_act_bulk_move('$K', NULL, '$O1', '')"
# The desk: not the kiosk's, not reception's, not another officer's tickets.
refused desk1 "check in" "SELECT * FROM bk_act_checkin('$K', NULL, '$C1', '$B1', 'report', 5, 10)"
refused desk1 "test a birth date" "SELECT * FROM bk_act_verify('$K', NULL, '$C1', '$B1', 5)"
refused desk1 "unlock" "SELECT * FROM bk_act_unlock('$K', NULL, '$C1')"
refused desk1 "answer the questions" "SELECT * FROM bk_act_answers('$K', NULL, $T1, '1=1')"
refused read1 "read the questions" "SELECT * FROM report_questions"
refused desk1 "call another officer's next" "SELECT * FROM bk_act_call_next('$K', NULL, '$O2', 10)"
refused desk1 "call reception's next" "SELECT * FROM bk_act_call_next('$K', NULL, '', 10)"
refused desk1 "start another officer's ticket as itself (forged served_by)" \
    "SELECT * FROM bk_act_ticket('$K', NULL, $T2, 'start', '$O1', '', 10)"
refused desk1 "finish another officer's ticket" \
    "SELECT * FROM bk_act_ticket('$K', NULL, $T2, 'done', 'admin', '', 10)"
refused desk1 "no-show another officer's ticket" \
    "SELECT * FROM bk_act_ticket('$K', NULL, $T2, 'no_show', '', '', 10)"
refused desk1 "start its own ticket as another officer" \
    "SELECT * FROM bk_act_ticket('$K', NULL, $T1, 'start', '$O2', '', 10)"
refused rec1 "map a desk" "UPDATE bk_desk_login SET officer_id = '$O1'"
echo "refused: $n_refused attacks"
[ "$n_through" = 0 ] || fail "$n_through attacks got through ($n_refused refused)"
$B --db "$DESK" call-next --officer "$O2" >"$D/out" 2>&1 && fail "desk1 called $O2's queue"
grep -q "may not do this" "$D/out" || fail "desk1 call-next $O2: unclear: $(cat "$D/out")"

# ---- what the roles see -----------------------------------------------------
# No birth date through the view, for anyone.
for r in kiosk1 desk1 desk2 rec1 board1; do
    n=$(sql "$(uri $r)" -c "SELECT count(*) FROM bk_clients_seen WHERE birth_date <> ''") ||
        fail "$r cannot read bk_clients_seen"
    [ "$n" = 0 ] || fail "$r reads $n birth dates"
done
[ "$(sql "$(uri board1)" -c "SELECT count(*) FROM bk_clients_seen")" = 0 ] || fail "board1 sees clients"
[ "$(sql "$(uri kiosk1)" -c "SELECT count(*) FROM bk_clients_seen WHERE name <> ''")" = 0 ] ||
    fail "kiosk1 reads client names"
[ "$(sql "$(uri desk1)" -c "SELECT string_agg(no, ',') FROM bk_clients_seen")" = "$C1" ] ||
    fail "desk1 sees other clients than its own ticket's ($C1): $(sql "$(uri desk1)" -c "SELECT string_agg(no, ',') FROM bk_clients_seen")"
[ "$(sql "$(uri desk1)" -c "SELECT name <> '' FROM bk_clients_seen WHERE no = '$C1'")" = t ] ||
    fail "desk1 does not see its client's name"
total=$(sql "$OWNER" -c "SELECT count(*) FROM clients")
[ "$(sql "$REC" -c "SELECT count(*) FROM bk_clients_seen")" = "$total" ] || fail "reception sees fewer clients"
# The documented views still answer their readers.
for v in v_queue_today v_visits v_officer_presence; do
    sql "$(uri read1)" -c "SELECT count(*) FROM $v" >/dev/null || fail "read1: $v refused"
done

# ---- forged arguments do not help ------------------------------------------------
# A ticket "dated in the past": the instant sent is not the server's clock.
sql "$KIOSK" -c "SELECT result FROM bk_act_walkin('BCDEFGHIJKLMNOPQRSTUVWXYZA', '2020-01-01T00:00:00Z', 'other', 'Tamu', 10)" \
    >"$D/out" 2>&1 || fail "kiosk walk-in: $(cat "$D/out")"
[ "$(sql "$OWNER" -c "SELECT office_day FROM tickets WHERE token = 'BCDEFGHIJKLMNOPQRSTUVWXYZA'")" = "$TODAY" ] ||
    fail "a walk-in took the caller's date"
# More guesses than the limit: the number is locked at 5 whatever p_limit says.
for i in 1 2 3 4 5; do
    sql "$KIOSK" -c "SELECT result FROM bk_act_checkin('G${i}CDEFGHIJKLMNOPQRSTUVWXY', NULL, '$C2', '1900-01-0$i', 'counseling', 1000, 10)" >/dev/null ||
        fail "kiosk guess $i"
done
[ "$(sql "$OWNER" -c "SELECT count(*) FROM client_locks WHERE client_no = '$C2'")" = 1 ] ||
    fail "5 wrong birth dates with p_limit 1000 did not lock $C2"
# The audit rows carry the login, not a name the caller chose.
[ "$(sql "$OWNER" -c "SELECT DISTINCT actor FROM audit WHERE action = 'verify_fail' OR action = 'lock'")" = kiosk1 ] ||
    fail "the audit actor is not the login"
sql "$REC" -c "SELECT result FROM bk_act_unlock('UNLOCKAAAAAAAAAAAAAAAAAAAA', NULL, '$C2')" >/dev/null ||
    fail "reception unlock"
# The identity check before the purpose (bk_act_verify, schema 5): the same
# cap whatever p_limit says, and a replayed key counts nothing again.
for i in 1 2 3 4; do
    r=$(sql "$KIOSK" -c "SELECT result FROM bk_act_verify('V${i}CDEFGHIJKLMNOPQRSTUVWXY', NULL, '$C2', '1900-02-0$i', 1000)") ||
        fail "kiosk verify guess $i"
    [ "$r" = wrong_birth ] || fail "verify guess $i: $r"
done
sql "$KIOSK" -c "SELECT result FROM bk_act_verify('V4CDEFGHIJKLMNOPQRSTUVWXY', NULL, '$C2', '1900-02-04', 1000)" >/dev/null ||
    fail "kiosk verify replay"
[ "$(sql "$OWNER" -c "SELECT count FROM verify_failures WHERE client_no = '$C2'")" = 4 ] ||
    fail "a replayed bk_act_verify key counted again"
[ "$(sql "$KIOSK" -c "SELECT result FROM bk_act_verify('V5CDEFGHIJKLMNOPQRSTUVWXY', NULL, '$C2', '1900-02-05', 1000)")" = locked ] ||
    fail "5 wrong birth dates through bk_act_verify with p_limit 1000 did not lock $C2"
sql "$REC" -c "SELECT result FROM bk_act_unlock('UNLOCKBAAAAAAAAAAAAAAAAAAA', NULL, '$C2')" >/dev/null ||
    fail "reception unlock after verify"

# ---- the wajib lapor answers (bk_act_answers, schema 10) ------------------------
# A hostile kiosk login may answer only for a report ticket of today that its
# own check-in made, once; what it sends is checked; it never reads an answer.
sql "$SUPER" -c "CREATE ROLE kiosk2 LOGIN IN ROLE bapas_kiosk" || fail "cannot create kiosk2"
answer() { # LOGIN KEY TICKET ANSWERS [NOW] -> the result word (ANSWERS as an SQL literal)
    lit=$(printf '%s' "$4" | sed "s/'/''/g")
    sql "$(uri "$1")" -c "SELECT result FROM bk_act_answers('$2', ${5:-NULL}, $3, '$lit')"
}
# rule LOGIN WHAT KEY TICKET ANSWERS WANT [NOW]: refused by the rule, nothing changed
rule() {
    before=$(state)
    got=$(answer "$1" "$3" "$4" "$5" "${7:-NULL}" 2>&1) || { through "$1: $2: error: $got"; return; }
    [ "$got" = "$6" ] || { through "$1: $2: answered '$got', not '$6'"; return; }
    [ "$(state)" = "$before" ] || { through "$1: $2: the database changed"; return; }
    n_refused=$((n_refused + 1))
}
$B --db "$KIOSK" --json walkin --purpose report --name Tamu >"$D/w.out" 2>&1 || fail "kiosk walk-in"
TW=$(sql "$OWNER" -c "SELECT max(id) FROM tickets WHERE client_no IS NULL")
YESTERDAY=$(sql "$OWNER" -c "SELECT to_char(CAST('$TODAY' AS DATE) - 1, 'YYYY-MM-DD')")
TY=$(sql "$OWNER" -c "INSERT INTO tickets(office_day, letter, seq, code, token, purpose, client_no, routed,
                                          status, order_at, checkin_at)
                      VALUES ('$YESTERDAY', 'A', 900, 'A-900', 'YESTERDAYAAAAAAAAAAAAAAAAA', 'report', '$C1',
                              'reception', 'waiting', '${YESTERDAY}T01:00:00Z', '${YESTERDAY}T01:00:00Z')
                      RETURNING id" | head -n1)
sql "$OWNER" -c "INSERT INTO audit(at, actor, action, ticket_id, client_no, detail)
                 VALUES ('${YESTERDAY}T01:00:00Z', 'kiosk1', 'checkin', $TY, '$C1', 'yesterday')" >/dev/null ||
    fail "cannot add yesterday's ticket"
rule kiosk2 "answer another kiosk's ticket" A1AAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=1,2=1,3=1,4=1" state
rule kiosk1 "answer a walk-in" A2AAAAAAAAAAAAAAAAAAAAAAAA "$TW" "1=1" state
rule kiosk1 "answer yesterday's ticket" A3AAAAAAAAAAAAAAAAAAAAAAAA "$TY" "1=1" state
rule kiosk1 "answer yesterday's ticket with yesterday's instant" A4AAAAAAAAAAAAAAAAAAAAAAAA "$TY" "1=1"     state
rule kiosk1 "answer a ticket that does not exist" A5AAAAAAAAAAAAAAAAAAAAAAAA 987654 "1=1" state
rule kiosk1 "smuggle SQL in the answers" A6AAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=1'); DELETE FROM audit; --" invalid
rule kiosk1 "answer 3" A7AAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=3" invalid
rule kiosk1 "answer a question twice" A8AAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=0,1=1" invalid
rule kiosk1 "answer an unknown question" A9AAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=0,999=1" invalid
rule kiosk1 "send 17 answers" BAAAAAAAAAAAAAAAAAAAAAAAAA "$T1"     "1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1,1=1" invalid
# the real answers, then no second set, and a replayed key changes nothing
[ "$(answer kiosk1 BBAAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=0,2=1,3=0,4=0")" = ok ] ||
    fail "kiosk1 cannot answer its own report ticket"
rule kiosk1 "answer again (overwrite)" BCAAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=1,2=1,3=1,4=1" exists
rule kiosk1 "replay the answers' key" BBAAAAAAAAAAAAAAAAAAAAAAAA "$T1" "1=1,2=1,3=1,4=1" ok
# a forged instant does not date the answers
[ "$(answer kiosk1 BDAAAAAAAAAAAAAAAAAAAAAAAA "$T2" "1=0,2=0,3=0,4=1" "'2030-01-01T00:00:00Z'")" = ok ] ||
    fail "kiosk1 cannot answer T2"
[ "$(sql "$OWNER" -c "SELECT DISTINCT substr(answered_at, 1, 4) FROM ticket_answers WHERE ticket_id = $T2")" != 2030 ] ||
    fail "the answers took the caller's instant"
# the audit row says how many questions, never which answer
[ "$(sql "$OWNER" -c "SELECT detail FROM audit WHERE action = 'answers' AND ticket_id = $T1")" = "questions=4" ] ||
    fail "the answers' audit row: $(sql "$OWNER" -c "SELECT detail FROM audit WHERE action = 'answers' AND ticket_id = $T1")"
# who reads what: the kiosk whether answered (no answer), the ticket's desk
# its answers, another desk nothing, reception everything
[ "$(sql "$KIOSK" -c "SELECT count(*) || '/' || count(answer) FROM bk_answers_seen WHERE ticket_id = $T1")" = 4/0 ] ||
    fail "kiosk1 reads answers: $(sql "$KIOSK" -c "SELECT count(*) || '/' || count(answer) FROM bk_answers_seen")"
[ "$(sql "$DESK" -c "SELECT string_agg(question_id || '=' || answer, ',' ORDER BY question_id) FROM bk_answers_seen")" = "1=0,2=1,3=0,4=0" ] ||
    fail "desk1 does not read its ticket's answers (only): $(sql "$DESK" -c "SELECT string_agg(ticket_id || ':' || question_id || '=' || answer, ',') FROM bk_answers_seen")"
[ "$(sql "$(uri desk2)" -c "SELECT count(*) FROM bk_answers_seen WHERE ticket_id = $T1")" = 0 ] ||
    fail "desk2 reads another officer's ticket's answers"
[ "$(sql "$REC" -c "SELECT count(answer) FROM bk_answers_seen")" = 8 ] || fail "reception reads fewer answers"
# every product role reads the questions (the kiosk asks them, the desk names them)
for r in kiosk1 desk1 rec1 board1; do
    [ "$(sql "$(uri $r)" -c "SELECT count(*) FROM report_questions")" -ge 4 ] ||
        fail "$r cannot read the questions"
done
echo "answers: the rule refused every forged answer"

# ---- the office keeps working while attackers hold what they can ---------------
# read1 holds the advisory key schemas 1-2 serialised writers with, board1
# holds a read transaction with share locks on the tables, kiosk1 holds
# that key in an open transaction too; each for 30 s.
hold() { # LOGIN SQL
    psql -X -q "$(uri "$1")" -c "$2" >/dev/null 2>&1 &
    pids="$pids $!"
}
hold read1 "SELECT pg_advisory_lock(1111642177), pg_sleep(30)"
hold board1 "BEGIN; LOCK TABLE tickets, officers IN ACCESS SHARE MODE; SELECT count(*) FROM tickets; SELECT pg_sleep(30); COMMIT"
hold kiosk1 "BEGIN; SELECT pg_advisory_xact_lock(1111642177); SELECT pg_sleep(30); COMMIT"
sleep 1
held=$(sql "$SUPER" -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
[ "$held" -ge 1 ] || fail "the attackers hold no advisory lock"
# A check-in and a call-next, at the same time, in two processes.
sql "$OWNER" -c "DELETE FROM client_locks" >/dev/null
$B --db "$KIOSK" checkin "$C2" --birth "$B2" --purpose counseling >"$D/ck.out" 2>&1 &
ck=$!
$B --db "$(uri desk2)" call-next --officer "$O2" >"$D/cn.out" 2>&1 &
cn=$!
wait $ck || fail "check-in while attackers hold locks: $(cat "$D/ck.out")"
wait $cn || fail "call-next while attackers hold locks: $(cat "$D/cn.out")"
grep -q "called" "$D/cn.out" || fail "call-next called nothing: $(cat "$D/cn.out")"
echo "office works while held: $(head -n1 "$D/ck.out"); $(head -n1 "$D/cn.out")"
# ---- a session idle in a transaction is ended -----------------------------------
# kiosk1 calls a write function inside a transaction it leaves open: it holds
# the writer lock until the server ends it (pg-roles.sql: 10 s idle), then
# the office goes on. (Waited for by polling, up to 60 s: no timed assertion.)
[ "$(sql "$KIOSK" -c "SHOW idle_in_transaction_session_timeout")" = 10s ] ||
    fail "the product logins have no idle_in_transaction_session_timeout"
( echo "BEGIN; SELECT result FROM bk_act_close_stale('IDLEHOLDERAAAAAAAAAAAAAAAA', NULL);"
  sleep 60; echo "COMMIT;" ) | psql -X -q "$KIOSK" >"$D/idle.out" 2>&1 &
pids="$pids $!"
idle() {
    sql "$SUPER" -c "SELECT count(*) FROM pg_stat_activity WHERE usename = 'kiosk1'
                       AND state = 'idle in transaction'"
}
i=0
while [ "$(idle)" = 0 ]; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "the idle holder never got the writer lock"; sleep 0.1
done
i=0
while [ "$(idle)" != 0 ]; do
    i=$((i + 1)); [ $i -lt 600 ] || fail "a session idle in a transaction for 60 s was not ended"; sleep 0.1
done
$B --db "$KIOSK" checkin "$C1" --birth "$B1" --purpose counseling >"$D/ck.out" 2>&1 ||
    fail "check-in after the idle holder was ended: $(cat "$D/ck.out")"
n_refused=$((n_refused + 1))
echo "idle holder ended; then: $(head -n1 "$D/ck.out")"

# ---- old request keys are pruned by the calls themselves (schema 4) -------------
sql "$OWNER" -c "INSERT INTO bk_request(key, action, at, result)
                 SELECT 'OLD' || i, 'checkin', '2020-01-01T00:00:00Z', 'ok' FROM generate_series(1, 12) i" ||
    fail "cannot add old request keys"
sql "$REC" -c "SELECT result FROM bk_act_unlock('PRUNEAAAAAAAAAAAAAAAAAAAAA', NULL, '$C1')" >/dev/null ||
    fail "reception unlock (prune)"
[ "$(sql "$OWNER" -c "SELECT count(*) FROM bk_request WHERE key LIKE 'OLD%'")" = 4 ] ||
    fail "one call did not prune 8 old request keys: $(sql "$OWNER" -c "SELECT count(*) FROM bk_request WHERE key LIKE 'OLD%'") left"

# ---- a full disk and a read-only server have their own errors ------------------
# (SQLSTATE 53100 and 25006; before schema 4's store they were "io" and "internal")
sql "$OWNER" -c "CREATE FUNCTION t_full() RETURNS trigger LANGUAGE plpgsql AS
                 \$\$BEGIN RAISE EXCEPTION 'no space' USING ERRCODE = 'disk_full'; END\$\$" \
    -c "CREATE TRIGGER t_full BEFORE INSERT ON bk_request FOR EACH ROW EXECUTE FUNCTION t_full()" ||
    fail "cannot install the disk-full trigger"
$B --db "$KIOSK" --json checkin "$C2" --birth "$B2" --purpose other >"$D/full.out" 2>&1 &&
    fail "a check-in on a full disk succeeded"
grep -q '"disk_full"' "$D/full.out" || fail "a full disk is not disk_full: $(cat "$D/full.out")"
sql "$OWNER" -c "DROP TRIGGER t_full ON bk_request" -c "DROP FUNCTION t_full()" >/dev/null
sql "$SUPER" -c "ALTER ROLE kiosk1 SET default_transaction_read_only = on" >/dev/null
$B --db "$KIOSK" --json checkin "$C2" --birth "$B2" --purpose other >"$D/ro.out" 2>&1 &&
    fail "a check-in on a read-only server succeeded"
grep -q '"read_only"' "$D/ro.out" || fail "a read-only server is not read_only: $(cat "$D/ro.out")"
sql "$SUPER" -c "ALTER ROLE kiosk1 RESET default_transaction_read_only" >/dev/null

echo "attack: $n_refused attacks refused, nothing changed; check-in and call-next went on"
