#!/bin/sh
# bapas-backup — take one backup of the Bapas Kiosk database into a rotating
# set and delete the oldest copies beyond the number to keep.
#
# Installed as /usr/lib/bapas-kiosk/bapas-backup; run every night by
# bapas-backup.timer (as the bapas-kiosk user). By hand:
#   sudo systemctl start bapas-backup.service
#
# usage: bapas-backup [--dir DIR] [--keep N]
#   --dir DIR   where the copies go   (default $BAPAS_BACKUP_DIR or /var/lib/bapas-kiosk/backups)
#   --keep N    nightly copies kept   (default $BAPAS_BACKUP_KEEP or 14)
# Other environment: BAPASCTL (default /usr/bin/bapasctl); bapasctl itself
# honours BAPAS_CONFIG and BAPAS_DB for which database to copy.
#
# Copies are named bapas-YYYYMMDD-HHMMSS.db (a plain SQLite file each: to
# restore one, see bapas-restore; when the database is a PostgreSQL server,
# a pg_dump archive each: README section 9.1). Only files named like that are rotated:
# the pre-upgrade-*.db copies made by package upgrades are never deleted here.
# Exit status: 0 done, 1 the backup failed (the older copies are untouched),
# 2 usage.
set -eu
export LC_ALL=C # file name order = time order

dir=${BAPAS_BACKUP_DIR:-/var/lib/bapas-kiosk/backups}
keep=${BAPAS_BACKUP_KEEP:-14}
bapasctl=${BAPASCTL:-/usr/bin/bapasctl}

usage() {
    echo "usage: bapas-backup [--dir DIR] [--keep N]" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
    --dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --keep) [ $# -ge 2 ] || usage; keep=$2; shift 2 ;;
    --keep=*) keep=${1#--keep=}; shift ;;
    -h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) usage ;;
    esac
done

case "$keep" in
'' | *[!0-9]*) echo "bapas-backup: --keep must be a whole number from 1 up, not \"$keep\"" >&2; exit 2 ;;
esac
if [ "$keep" -lt 1 ]; then
    echo "bapas-backup: --keep must be at least 1" >&2
    exit 2
fi

# 007 as the kiosk's: opening the database may create its -wal/-shm files,
# which the kiosk and the group must keep writing. The copies get 0640 below.
umask 007
if ! mkdir -p "$dir"; then
    echo "bapas-backup: cannot create $dir" >&2
    exit 1
fi

stamp=$(date +%Y%m%d-%H%M%S)
final="$dir/bapas-$stamp.db"
n=1
while [ -e "$final" ]; do # two runs in the same second
    final="$dir/bapas-$stamp-$n.db"
    n=$((n + 1))
done
partial="$dir/.partial-$stamp-$$.db"
trap 'rm -f "$partial"' EXIT INT TERM

if ! "$bapasctl" backup "$partial"; then
    echo "bapas-backup: bapasctl backup failed; older copies kept" >&2
    exit 1
fi
if [ ! -s "$partial" ]; then
    echo "bapas-backup: bapasctl backup wrote nothing; older copies kept" >&2
    exit 1
fi
chmod 0640 "$partial"
mv "$partial" "$final"
trap - EXIT INT TERM
echo "bapas-backup: wrote $final ($(wc -c < "$final") bytes)"

# Rotate: the names sort by time; delete the oldest beyond the newest $keep.
is_nightly() {
    case "${1##*/}" in
    bapas-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9].db) return 0 ;;
    bapas-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9]*.db) return 0 ;;
    esac
    return 1
}
total=0
for f in "$dir"/bapas-*.db; do
    if [ -f "$f" ] && is_nightly "$f"; then
        total=$((total + 1))
    fi
done
excess=$((total - keep))
for f in "$dir"/bapas-*.db; do # ascending: oldest first
    [ "$excess" -gt 0 ] || break
    if [ ! -f "$f" ] || ! is_nightly "$f"; then
        continue
    fi
    rm -f "$f" && echo "bapas-backup: removed old copy ${f##*/}"
    excess=$((excess - 1))
done
exit 0
