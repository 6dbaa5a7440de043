#!/bin/sh
# test_pg_restore.sh SRC BAPASCTL — run by tests/store/pg_cluster.sh with
# BK_TEST_PG_TLS=1 (a throwaway cluster on localhost with TLS and a CA).
#
# deploy/README.md as written, on PostgreSQL:
#   - the nightly backup (bapas-backup.sh with BAPAS_DB from backup.env, 8.1)
#     writes a pg_dump archive;
#   - the restore commands of 9.1, taken from the README between the
#     pg-restore markers and run as they stand (only the host, the CA file,
#     the archive's name and sudo are replaced, and the systemctl lines are
#     skipped: no systemd here): the office's database is the backup again,
#     the replaced one is kept, the machines' roles still connect and work,
#     and the owner's check (OWNER of 18.3, with sslrootcert) passes;
#   - the package upgrade's pre-upgrade copy of a PostgreSQL office (the
#     preinst's backup_database, reading backup.env), and that a failing
#     copy stops the upgrade;
#   - bapas-restore refuses the archive and points to 9.1.
# shellcheck disable=SC2016,SC2034,SC2086,SC2119,SC2120,SC1091 # eval of single-quoted checks, word lists
set -u
src=$1
B=$2
readme=$src/deploy/README.md
fail() { echo "not ok - $*"; echo "0 passed, 1 failed"; exit 1; }
command -v psql >/dev/null 2>&1 || { echo "SKIP: psql missing"; exit 77; }
command -v pg_dump >/dev/null 2>&1 || { echo "SKIP: pg_dump missing (postgresql-client)"; exit 77; }
[ -n "${BK_TEST_PG_TLS_CA:-}" ] || { echo "SKIP: needs BK_TEST_PG_TLS=1"; exit 77; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: runs the guide's sudo -u postgres commands: needs root"; exit 77; }
D=$(mktemp -d /tmp/bk-pgrestore.XXXXXX)
chmod 755 "$D"
trap 'rm -rf "$D"' EXIT
pass=0
nfail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { nfail=$((nfail + 1)); echo "not ok - $1"; [ ! -f "$D/out" ] || sed 's/^/    | /' "$D/out" | tail -30; }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }
SUPER=$BK_TEST_DB_URI
PORT=$BK_TEST_PG_PORT
sql() { psql -X -q -v ON_ERROR_STOP=1 -A -t "$@"; }
export PGHOST=$BK_TEST_PG_DIR PGPORT=$PORT # for the guide's sudo -u postgres lines

# ---- the office as sections 18.1 to 18.4 set it up -------------------------
sql "$SUPER" -c "CREATE ROLE bapas LOGIN" -c "CREATE DATABASE bapas OWNER bapas" ||
    fail "cannot create the owner role and database"
# OWNER exactly as 18.3 writes it, on this cluster's host name, port and CA
owner_line=$(grep -m1 "^OWNER='postgresql://bapas@db.office.lan/bapas?sslmode=verify-full&sslrootcert=/etc/bapas-kiosk/db-ca.crt'$" "$readme")
check '[ -n "$owner_line" ]' "18.3 defines OWNER with verify-full and sslrootcert"
eval "$(echo "$owner_line" | sed "s|db.office.lan|localhost:$PORT|; s|/etc/bapas-kiosk/db-ca.crt|$BK_TEST_PG_TLS_CA|")"
[ -n "${OWNER:-}" ] || fail "OWNER not set"
"$B" --db "$OWNER" init --demo > "$D/out" 2>&1 || fail "init --demo as the owner: $(cat "$D/out")"
sql "$SUPER" -c "ALTER DATABASE bapas OWNER TO bapas" > /dev/null
sql "postgresql:///bapas?host=$PGHOST&port=$PORT&user=postgres" -f "$src/deploy/pg-roles.sql" > "$D/out" 2>&1 ||
    fail "pg-roles.sql: $(cat "$D/out")"
sql "$SUPER" -c "CREATE ROLE kiosk_lobby LOGIN IN ROLE bapas_kiosk" > /dev/null || fail "login role"
KIOSK="postgresql://kiosk_lobby@localhost:$PORT/bapas?sslmode=verify-full&sslrootcert=$BK_TEST_PG_TLS_CA"
client=$(sql "postgresql:///bapas?host=$PGHOST&port=$PORT&user=postgres" -F ' ' \
    -c "SELECT no, birth_date FROM clients WHERE active = 1 ORDER BY no LIMIT 3")
set -- $client
C1=$1 B1=$2 C2=$3 B2=$4 C3=$5 B3=$6
tickets() { sql "postgresql:///${1:-bapas}?host=$PGHOST&port=$PORT&user=postgres" -c "SELECT count(*) FROM tickets"; }
"$B" --db "$KIOSK" checkin "$C1" --birth "$B1" --purpose report > "$D/out" 2>&1
check '[ $? -eq 0 ]' "the kiosk's role checks in (before the backup)"
t_backup=$(tickets)

# ---- the nightly backup of 8.1: BAPAS_DB in /etc/bapas-kiosk/backup.env ------------
# the line of 8.1 as written (host, CA and where it goes replaced; no passfile
# here: the cluster trusts its local connections)
env_line=$(grep -m1 "^echo \"BAPAS_DB='postgresql://bapas@db.office.lan/bapas?sslmode=verify-full&sslrootcert=/etc/bapas-kiosk/db-ca.crt&passfile=/etc/bapas-kiosk/pgpass-owner'\" | sudo tee /etc/bapas-kiosk/backup.env >/dev/null$" "$readme")
check '[ -n "$env_line" ]' "8.1 writes BAPAS_DB (owner, verify-full, sslrootcert, passfile) to backup.env"
echo "$env_line" | sed -e "s|db.office.lan|localhost:$PORT|; s|/etc/bapas-kiosk/db-ca.crt|$BK_TEST_PG_TLS_CA|" \
    -e "s|&passfile=/etc/bapas-kiosk/pgpass-owner||; s/| sudo tee .*$/> \"\$D\/backup.env\"/" > "$D/env.sh"
D=$D sh "$D/env.sh"
check 'grep -q "^BAPAS_DB=.postgresql://bapas@localhost:$PORT/bapas?sslmode=verify-full&sslrootcert=" "$D/backup.env"' "backup.env written"
mkdir "$D/backups"
( set -a; . "$D/backup.env"; BAPASCTL=$B sh "$src/deploy/bapas-backup.sh" --dir "$D/backups" --keep 3 ) > "$D/out" 2>&1
check '[ $? -eq 0 ]' "bapas-backup with BAPAS_DB from backup.env backs the server up"
archive=$(find "$D/backups" -name 'bapas-*.db' | head -1)
check '[ -n "$archive" ] && [ "$(head -c 5 "$archive")" = PGDMP ]' "the copy is a pg_dump archive"
check '[ "$(stat -c %a "$archive")" = 640 ]' "the copy is mode 640"

# the day goes on after the backup: another check-in
"$B" --db "$KIOSK" checkin "$C2" --birth "$B2" --purpose report > "$D/out" 2>&1
check '[ $? -eq 0 ] && [ "$(tickets)" -gt "$t_backup" ]' "a check-in after the backup"
t_live=$(tickets)

# ---- bapas-restore refuses the archive, pointing to 9.1 ----------------------
BAPAS_RESTORE_NOT_ROOT=1 BAPASCTL=$B sh "$src/deploy/bapas-restore.sh" --db "$D/x.db" "$archive" > "$D/out" 2>&1
check '[ $? -eq 1 ] && grep -q "pg_dump archive" "$D/out" && grep -q "9.1" "$D/out"' \
    "bapas-restore refuses a pg_dump archive and points to 9.1"

# ---- 9.1 as written --------------------------------------------------------
sed -n '/^<!-- pg-restore:begin -->$/,/^<!-- pg-restore:end -->$/p' "$readme" |
    sed '1,2d;$d' | sed '$d' > "$D/guide.sh" # drop the markers and the fence
check '[ "$(grep -c . "$D/guide.sh")" -ge 10 ]' "9.1 has its commands between the markers"
check 'grep -q "sslrootcert\|\$OWNER" "$D/guide.sh"' "9.1's check connects with the CA (OWNER)"
# here: root already, postgres through runuser, no systemd, our files
sed -e 's/^sudo systemctl /: systemctl /' \
    -e "s/^sudo -u postgres /runuser -u postgres -- env PGHOST=$(echo "$PGHOST" | sed 's|/|\\/|g') PGPORT=$PORT /" \
    -e 's/^sudo //' \
    -e "s|bapas-20260301-023112.db|$archive|" \
    -e "s|/tmp/restore.dump|$D/restore.dump|g" \
    -e "s|/usr/share/bapas-kiosk/pg-roles.sql|$D/pg-roles.sql|" \
    -e "s|^bapasctl |\"\$B\" |" "$D/guide.sh" > "$D/run.sh"
# the kiosk is still connected (as if someone forgot a machine): step 4 must cope
psql -X "$KIOSK" -c "SELECT pg_sleep(120)" > /dev/null 2>&1 &
sleeper=$!
sleep 1
# postgres must read the roles file and have a working directory it may
# enter (a checkout under /root, as on a fresh system, is neither)
install -m 644 "$src/deploy/pg-roles.sql" "$D/pg-roles.sql"
( cd "$D" && export OWNER B && sh -eux "$D/run.sh" ) > "$D/out" 2>&1
rc=$?
kill "$sleeper" 2>/dev/null
check '[ $rc -eq 0 ]' "the commands of 9.1 run through"
check '[ "$(tickets)" = "$t_backup" ]' "the office's database is the backup again ($t_backup tickets)"
check '[ "$(tickets bapas_old_20260302)" = "$t_live" ]' "the replaced database is kept as bapas_old_20260302 ($t_live tickets)"
check '[ -z "$(sql "$SUPER" -c "SELECT 1 FROM pg_database WHERE datname = '"'bapas_restored'"'")" ]' "no bapas_restored left"
"$B" --db "$KIOSK" checkin "$C3" --birth "$B3" --purpose report > "$D/out" 2>&1
check '[ $? -eq 0 ] && [ "$(tickets)" -gt "$t_backup" ]' "the kiosk's role connects and checks in on the restored database"
"$B" --db "$OWNER" doctor --check database,schema,views,integrity > "$D/out" 2>&1
check '[ $? -eq 0 ]' "doctor as the owner passes after the restore"

# ---- the upgrade: the preinst's pre-upgrade copy of a PostgreSQL office ------
fn=$D/preinst-fn.sh
sed "s/@BK_DEB_VERSION@/9.9.9-1/g" "$src/deploy/debian/preinst.in" |
    sed -n '/^db_path() {/,/^}/p;/^backup_env_db() {/,/^}/p;/^backup_pg() {/,/^}/p;/^backup_database() {/,/^}/p' > "$fn"
printf '[database]\npath = %s\n' "$KIOSK" > "$D/kiosk.ini"
mkdir -p "$D/state"
run_backup() {
    CONFIG=$D/kiosk.ini STATE=$D/state BACKUP_ENV=$1 BAPASCTL=$B USER_NAME=bk-test-no-such-user \
        sh -c ". '$fn'; backup_database 0.1.0-1"
}
run_backup "$D/backup.env" > "$D/out" 2>&1
rc=$?
pre=$(find "$D/state/backups" -name 'pre-upgrade-from-0.1.0-1-*.db' 2>/dev/null | head -1)
check '[ $rc -eq 0 ] && [ -n "$pre" ] && [ "$(head -c 5 "$pre")" = PGDMP ]' "the upgrade backs the server up first (pg_dump archive)"
check '[ -n "$pre" ] && pg_restore --list "$pre" | grep -q "TABLE DATA .* tickets"' "the pre-upgrade archive holds the tickets"
check '! grep -q "postgresql://" "$D/out"' "the owner's URI is not printed"
run_backup "$D/none.env" > "$D/out" 2>&1
check '[ $? -eq 0 ] && grep -q "does not take its backups" "$D/out"' "a machine that takes no backups says where to take one"
printf "BAPAS_DB='%s'\n" "$(echo "$OWNER" | sed "s/:$PORT/:1/")" > "$D/bad.env"
run_backup "$D/bad.env" > "$D/out" 2>&1
check '[ $? -ne 0 ]' "an unreachable server: the backup fails, so the upgrade stops"
check '[ -z "$(find "$D/state/backups" -name "*.partial")" ]' "no partial copy left"

echo "$pass passed, $nfail failed"
[ "$nfail" -eq 0 ]
