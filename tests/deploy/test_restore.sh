#!/bin/sh
# test_restore.sh BAPAS_RESTORE_SH BAPASCTL
# deploy/bapas-restore.sh puts a backup in place of the database, keeps the
# replaced one, and refuses (changing nothing) a file that is not a healthy
# database. (No systemd here: the service stop/start part is skipped.)
set -u
script=$1
bapasctl=$2
tmp=$(mktemp -d /tmp/bk-restore-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ ! -f "$tmp/out" ] || sed 's/^/    | /' "$tmp/out"; }
export BAPAS_RESTORE_NOT_ROOT=1 BAPASCTL="$bapasctl"

live=$tmp/data/bapas.db
mkdir -p "$tmp/data"
cfg=$tmp/kiosk.ini
printf '[database]\n# the path is read from here by bapas-restore\npath = %s   ; a note\n' "$live" > "$cfg"
"$bapasctl" --config "$cfg" init > /dev/null 2>&1 || { echo "init failed"; exit 1; }
cp "$live" "$tmp/backup.db"                   # the "nightly copy": empty office
"$bapasctl" --config "$cfg" init --demo > /dev/null 2>&1 # live data diverges
if cmp -s "$live" "$tmp/backup.db"; then echo "setup: the databases should differ"; exit 1; fi
cp "$live" "$tmp/live-before.db"

sh "$script" --config "$cfg" "$tmp/backup.db" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "restore succeeds"; else bad "restore: exit $rc"; fi
if cmp -s "$live" "$tmp/backup.db"; then ok "the database is now the backup (path read from the config)"; else bad "the database is not the backup"; fi
aside=$(find "$tmp/data/backups" -name 'before-restore-*.db' 2>/dev/null | head -1)
if [ -n "$aside" ] && cmp -s "$aside" "$tmp/live-before.db"; then
    ok "the replaced database is kept as backups/before-restore-*.db"
else
    bad "the replaced database was not kept"
fi
if [ "$(stat -c %a "$live")" = 660 ]; then ok "restored file mode 660"; else bad "mode $(stat -c %a "$live")"; fi
if "$bapasctl" --config "$cfg" doctor --check database > "$tmp/out" 2>&1; then ok "doctor passes after the restore"; else bad "doctor fails after the restore"; fi

cp "$live" "$tmp/current.db"
echo "just some text" > "$tmp/notadb.db"
sh "$script" --config "$cfg" "$tmp/notadb.db" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "is not a SQLite database file" "$tmp/out"; then ok "a text file is refused"; else bad "text file: exit $rc"; fi
cp "$tmp/backup.db" "$tmp/damaged.db"
dd if=/dev/urandom of="$tmp/damaged.db" bs=4096 seek=2 count=6 conv=notrunc 2>/dev/null
sh "$script" --config "$cfg" "$tmp/damaged.db" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "does not pass the database check; nothing was changed" "$tmp/out"; then
    ok "a damaged copy is refused"
else
    bad "damaged copy: exit $rc"
fi
if cmp -s "$live" "$tmp/current.db"; then ok "refusals left the database alone"; else bad "the database changed on a refusal"; fi
sh "$script" --config "$cfg" "$tmp/nonexistent.db" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ]; then ok "a missing file is refused"; else bad "missing file: exit $rc"; fi
sh "$script" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok "no file: usage (exit 2)"; else bad "no argument: exit $rc"; fi

# a pg_dump archive (the nightly copy of a PostgreSQL office) is not restored
# here but on the server: the message says where to read how (9.1)
printf 'PGDMP\001\016\000rest of an archive' > "$tmp/archive.db"
sh "$script" --config "$cfg" "$tmp/archive.db" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "pg_dump archive" "$tmp/out" && grep -q "section 9.1" "$tmp/out" &&
    cmp -s "$live" "$tmp/current.db"; then
    ok "a pg_dump archive is refused, pointing to 9.1"
else
    bad "pg_dump archive: exit $rc"
fi
pgcfg=$tmp/pg.ini
printf '[database]\npath = postgresql://kiosk@db.office.lan/bapas?sslmode=verify-full\n' > "$pgcfg"
sh "$script" --config "$pgcfg" "$tmp/backup.db" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "is a PostgreSQL server" "$tmp/out" && ! grep -q "db.office.lan" "$tmp/out"; then
    ok "a PostgreSQL office: refused without printing the URI"
else
    bad "PostgreSQL config: exit $rc"
fi

# --db beats the config
other=$tmp/other.db
sh "$script" --config "$cfg" --db "$other" "$tmp/backup.db" > "$tmp/out" 2>&1
if cmp -s "$other" "$tmp/backup.db"; then ok "--db names the database to replace"; else bad "--db ignored"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
