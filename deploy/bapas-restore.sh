#!/bin/sh
# bapas-restore — put a backup copy back as the Bapas Kiosk database.
#
# Installed as /usr/sbin/bapas-restore. Run as root:
#   sudo bapas-restore /var/lib/bapas-kiosk/backups/bapas-20260301-023000.db
#
# What it does, in order:
#   1. checks that FILE is a healthy SQLite database (bapasctl doctor --check database);
#   2. stops the kiosk, the board and the backup timer (whichever run);
#   3. moves the current database aside as before-restore-TIME.db (with its
#      -wal file) in the backup folder: nothing is deleted;
#   4. copies FILE into place, owned by the bapas-kiosk user;
#   5. checks the restored database and starts again what was running.
#
# usage: bapas-restore [--db PATH] [--config FILE] [--no-start] FILE
#   --db PATH      the database to replace (default: [database] path in the config)
#   --config FILE  default /etc/bapas-kiosk/kiosk.ini
#   --no-start     leave the services stopped afterwards
# Exit status: 0 restored, 1 failed (the current database is left in place
# or put back), 2 usage.
set -eu

config=${BAPAS_CONFIG:-/etc/bapas-kiosk/kiosk.ini}
db=${BAPAS_DB:-}
start=1
user=${BAPAS_SERVICE_USER:-bapas-kiosk}
bapasctl=${BAPASCTL:-/usr/bin/bapasctl}
units="bapas-kiosk.service bapas-kiosk-cage.service bapas-board.service bapas-backup.timer"

usage() {
    echo "usage: bapas-restore [--db PATH] [--config FILE] [--no-start] FILE" >&2
    exit 2
}

src=
while [ $# -gt 0 ]; do
    case "$1" in
    --db) [ $# -ge 2 ] || usage; db=$2; shift 2 ;;
    --config) [ $# -ge 2 ] || usage; config=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    -h|--help) sed -n '2,24s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) usage ;;
    *) [ -z "$src" ] || usage; src=$1; shift ;;
    esac
done
[ -n "$src" ] || usage

say() { echo "bapas-restore: $*"; }
die() { echo "bapas-restore: $*" >&2; exit 1; }

# [database] path from the INI file (same default as the programs).
ini_db_path() {
    [ -r "$1" ] || { echo /var/lib/bapas-kiosk/bapas.db; return; }
    awk '
        BEGIN { sec = ""; v = "/var/lib/bapas-kiosk/bapas.db" }
        /^[ \t]*[;#]/ { next }
        /^[ \t]*\[/ { s = $0; sub(/^[ \t]*\[/, "", s); sub(/\].*$/, "", s); sec = tolower(s); next }
        sec == "database" && /=/ {
            k = $0; sub(/=.*/, "", k); gsub(/[ \t]/, "", k)
            if (tolower(k) == "path") { x = $0; sub(/^[^=]*=[ \t]*/, "", x); sub(/[ \t]+;.*$/, "", x); sub(/[ \t\r]+$/, "", x); v = x }
        }
        END { print v }' "$1"
}

[ -n "$db" ] || db=$(ini_db_path "$config")
[ -f "$src" ] || die "no such file: $src"
case "$src" in /*) ;; *) src="$(pwd)/$src" ;; esac
if [ "$(head -c 5 "$src")" = PGDMP ]; then
    die "$src is a pg_dump archive (a backup of a PostgreSQL server): restore it on the server as in section 9.1 of /usr/share/doc/bapas-kiosk/README.md"
fi
if [ "$(head -c 15 "$src")" != "SQLite format 3" ]; then
    die "$src is not a SQLite database file"
fi
case "$db" in
postgresql://* | postgres://*)
    die "the database is a PostgreSQL server ([database] path in $config): restore its archive on the server as in section 9.1 of /usr/share/doc/bapas-kiosk/README.md"
    ;;
esac
if [ "$(id -u)" -ne 0 ] && [ -z "${BAPAS_RESTORE_NOT_ROOT:-}" ]; then
    die "run me as root: sudo bapas-restore $src"
fi

say "checking $src"
if ! BAPAS_CONFIG="$config" "$bapasctl" --db "$src" doctor --check database; then
    die "$src does not pass the database check; nothing was changed"
fi

have_systemd=0
[ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && have_systemd=1
was_active=
if [ "$have_systemd" = 1 ]; then
    for u in $units; do
        if systemctl is-active --quiet "$u"; then
            was_active="$was_active $u"
        fi
    done
    if [ -n "$was_active" ]; then
        say "stopping$was_active"
        # shellcheck disable=SC2086
        systemctl stop $was_active
    fi
fi

restart() {
    if [ "$start" = 1 ] && [ "$have_systemd" = 1 ] && [ -n "$was_active" ]; then
        say "starting$was_active"
        # shellcheck disable=SC2086
        systemctl start $was_active || true
    fi
}

dbdir=$(dirname "$db")
bakdir=$dbdir/backups
mkdir -p "$bakdir"
stamp=$(date +%Y%m%d-%H%M%S)
aside=
if [ -e "$db" ]; then
    aside="$bakdir/before-restore-$stamp.db"
    mv "$db" "$aside"
    [ -e "$db-wal" ] && mv "$db-wal" "$aside-wal"
    rm -f "$db-shm"
    say "the database that was in use is kept as $aside"
fi
putback() {
    rm -f "$db" "$db.restoring" "$db-wal" "$db-shm"
    if [ -n "$aside" ]; then
        mv "$aside" "$db"
        [ -e "$aside-wal" ] && mv "$aside-wal" "$db-wal"
    fi
}

if ! cp "$src" "$db.restoring"; then
    putback
    restart
    die "copy failed; the old database is back in place"
fi
if id "$user" >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    chown "$user:$user" "$db.restoring"
fi
chmod 0660 "$db.restoring"
mv "$db.restoring" "$db"

if ! BAPAS_CONFIG="$config" "$bapasctl" --db "$db" doctor --check database; then
    putback
    restart
    die "the restored database failed its check; the old database is back in place"
fi
restart
say "restored $src as $db"
exit 0
