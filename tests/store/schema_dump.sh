#!/bin/sh
# schema_dump.sh BAPASCTL OUTDIR — the schema a fresh database gets, on both
# backends, as text to diff between two builds (not a CTest test):
#   OUTDIR/sqlite.txt  every sqlite_master row in creation order (the stored
#                      CREATE text, byte for byte)
#   OUTDIR/pg.txt      pg_dump --schema-only, without its comment and SET
#                      lines (only with BK_TEST_DB_URI: run it under
#                      pg_cluster.sh)
# Used to show that restructuring db/ left the schema unchanged:
#   tests/store/pg_cluster.sh tests/store/schema_dump.sh OLD/bapasctl /tmp/a
#   tests/store/pg_cluster.sh tests/store/schema_dump.sh NEW/bapasctl /tmp/b
#   diff -r /tmp/a /tmp/b
set -eu
B=$1
O=$2
mkdir -p "$O"
T=$(mktemp -d /tmp/bk-schema.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$B" --db "$T/fresh.db" init >/dev/null
sqlite3 "$T/fresh.db" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid;
                       PRAGMA user_version" >"$O/sqlite.txt"
if [ -n "${BK_TEST_DB_URI:-}" ]; then
    "$B" --db "$BK_TEST_DB_URI" init >/dev/null
    pg_dump --schema-only --no-owner --no-privileges "$BK_TEST_DB_URI" |
        grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog.set_config' -e '^\\' |
        cat -s >"$O/pg.txt"
fi
