#!/bin/sh
# migrate-to round trip (run by pg_cluster.sh): the SQLite demo office, with
# some queue activity, is copied to PostgreSQL by `bapasctl migrate-to`; the
# reports, the queue, the officers and the audit trail must come out
# identical on both, and PostgreSQL must go on numbering where SQLite stopped.
# Usage: test_migrate.sh BAPASCTL
set -eu
B=$1
D=$(mktemp -d /tmp/bk-migrate.XXXXXX)
trap 'rm -rf "$D"' EXIT
PG=$BK_TEST_DB_URI
fail() { echo "FAIL: $*" >&2; exit 1; }

$B --db "$D/o.db" init --demo >/dev/null
$B --db "$D/o.db" walkin --purpose other >/dev/null
$B --db "$D/o.db" walkin --purpose report --name "Ma'ruf; DROP TABLE x;--" >/dev/null
$B --db "$D/o.db" call-next --officer reception >/dev/null
$B --db "$D/o.db" --json migrate-to "$PG" >"$D/mig.json" || fail "migrate-to failed: $(cat "$D/mig.json")"
grep -q '"verified": true' "$D/mig.json" || fail "not verified"

for cmd in "report daily" "report missed" "report outcomes" "report waits" "queue --all" "officer list"; do
    # (generated_at is the clock of the run, not data)
    $B --db "$D/o.db" --json $cmd | grep -v '"generated_at"' >"$D/a.json"
    $B --db "$PG" --json $cmd | grep -v '"generated_at"' >"$D/b.json"
    [ -s "$D/a.json" ] || fail "$cmd: no output"
    cmp -s "$D/a.json" "$D/b.json" || { diff "$D/a.json" "$D/b.json" | head -20 >&2; fail "$cmd differs"; }
done
# The views other systems read: the same columns and the same rows.
if command -v sqlite3 >/dev/null && command -v psql >/dev/null; then
    for q in "SELECT * FROM v_queue_today ORDER BY code" \
             "SELECT * FROM v_visits ORDER BY id" \
             "SELECT * FROM v_officer_presence ORDER BY office_day, officer"; do
        sqlite3 -header -separator '|' "$D/o.db" "$q" >"$D/a.txt"
        psql -X -q -A -F '|' -P footer=off "$PG" -c "$q" >"$D/b.txt"
        [ "$(wc -l <"$D/a.txt")" -gt 1 ] || fail "$q: no rows"
        cmp -s "$D/a.txt" "$D/b.txt" || { diff "$D/a.txt" "$D/b.txt" | head -10 >&2; fail "$q differs"; }
    done
else
    echo "test_migrate: note: sqlite3 or psql missing, views compared by row count only" >&2
fi

# The audit trail: the same rows, plus the migration's own row on PostgreSQL.
$B --db "$D/o.db" --json audit >"$D/a.json"
$B --db "$PG" --json audit >"$D/b.json"
na=$(grep -c '"action"' "$D/a.json"); nb=$(grep -c '"action"' "$D/b.json")
[ "$nb" -eq $((na + 1)) ] || fail "audit rows: $na on SQLite, $nb on PostgreSQL"
grep -q '"action": "migrate"' "$D/b.json" || fail "no migrate audit row"

# Numbering and ids go on after the copied ones.
a=$($B --db "$D/o.db" --json walkin --purpose other | grep '"code"')
b=$($B --db "$PG" --json walkin --purpose other | grep '"code"')
[ "$a" = "$b" ] || fail "next walk-in code: SQLite $a, PostgreSQL $b"

# A second copy into the now non-empty database is refused, changing nothing.
if $B --db "$D/o.db" migrate-to "$PG" 2>/dev/null; then fail "second migrate-to accepted"; fi
echo "migrate-to: reports, queue, officers and audit identical; numbering continues"
