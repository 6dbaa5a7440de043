#!/bin/sh
# test_backup.sh BAPAS_BACKUP_SH BAPASCTL
# deploy/bapas-backup.sh: one copy per run, rotation keeps the newest N
# nightly copies and nothing else is deleted, a failed backup leaves the set
# alone; then the same with the real `bapasctl backup`.
# shellcheck disable=SC2012 # ls of our own test files is fine
set -u
script=$1
bapasctl=$2
tmp=$(mktemp -d /tmp/bk-backup-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ ! -f "$tmp/out" ] || sed 's/^/    | /' "$tmp/out"; }
nightly() { find "$1" -maxdepth 1 -name 'bapas-*.db' | wc -l; }

# A stand-in bapasctl: `backup FILE` writes FILE (or fails when asked to).
stub=$tmp/stub-bapasctl
cat > "$stub" <<'STUB'
#!/bin/sh
[ "$1" = backup ] || exit 2
[ -z "${STUB_FAIL:-}" ] || { echo "stub: failing on purpose" >&2; exit 1; }
[ -z "${STUB_EMPTY:-}" ] || { : > "$2"; exit 0; }
echo "copy of the database" > "$2"
STUB
chmod +x "$stub"

dir=$tmp/backups
mkdir -p "$dir"
for d in 01 02 03 04 05; do
    echo old > "$dir/bapas-202501$d-023000.db"
done
echo keep > "$dir/pre-upgrade-from-0.1.0-1-20250101-000000.db"
echo keep > "$dir/before-restore-20250101-000000.db"
echo keep > "$dir/notes.txt"

BAPASCTL=$stub sh "$script" --dir "$dir" --keep 3 > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "a backup run succeeds"; else bad "backup run: exit $rc"; fi
if [ "$(nightly "$dir")" -eq 3 ]; then ok "3 nightly copies kept"; else bad "$(nightly "$dir") nightly copies"; fi
if [ -f "$dir/bapas-20250104-023000.db" ] && [ -f "$dir/bapas-20250105-023000.db" ] &&
   [ ! -e "$dir/bapas-20250103-023000.db" ] && [ ! -e "$dir/bapas-20250101-023000.db" ]; then
    ok "the oldest copies went, the newest stayed"
else
    bad "wrong copies removed: $(ls "$dir" | tr '\n' ' ')"
fi
newest=$(find "$dir" -maxdepth 1 -name "bapas-$(date +%Y%m%d)-*.db" | head -1)
if [ -n "$newest" ] && grep -q "copy of the database" "$newest"; then ok "today's copy written"; else bad "no copy for today"; fi
if [ -f "$dir/pre-upgrade-from-0.1.0-1-20250101-000000.db" ] && [ -f "$dir/before-restore-20250101-000000.db" ] &&
   [ -f "$dir/notes.txt" ]; then
    ok "pre-upgrade, before-restore and other files untouched"
else
    bad "other files were deleted"
fi
if [ -n "$(find "$dir" -name '*partial*')" ]; then bad "a partial file was left"; else ok "no partial file left"; fi
if [ "$(stat -c %a "$newest")" = 640 ]; then ok "copies are not world-readable (640)"; else bad "mode $(stat -c %a "$newest")"; fi

before=$(ls "$dir" | sort)
STUB_FAIL=1 BAPASCTL=$stub sh "$script" --dir "$dir" --keep 1 > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ]; then ok "a failing bapasctl: exit 1"; else bad "failing bapasctl: exit $rc"; fi
if [ "$(ls "$dir" | sort)" = "$before" ]; then ok "a failed backup deletes nothing (not even with --keep 1)"; else bad "the set changed after a failure"; fi
STUB_EMPTY=1 BAPASCTL=$stub sh "$script" --dir "$dir" --keep 1 > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(ls "$dir" | sort)" = "$before" ]; then ok "an empty copy counts as a failure"; else bad "empty copy: exit $rc"; fi

for k in 0 -1 x ''; do
    BAPASCTL=$stub sh "$script" --dir "$dir" --keep "$k" > "$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 2 ]; then ok "--keep '$k' is a usage error"; else bad "--keep '$k': exit $rc"; fi
done
BAPAS_BACKUP_KEEP=1 BAPAS_BACKUP_DIR=$dir BAPASCTL=$stub sh "$script" > "$tmp/out" 2>&1
if [ "$(nightly "$dir")" -eq 1 ]; then ok "BAPAS_BACKUP_KEEP/BAPAS_BACKUP_DIR from the environment (the unit's way)"; else bad "env settings ignored"; fi

# The real bapasctl backup, checked with doctor.
if "$bapasctl" --help 2>/dev/null | grep -q '^  backup '; then
    cfg=$tmp/kiosk.ini
    printf '[database]\npath = %s/live.db\n' "$tmp" > "$cfg"
    "$bapasctl" --config "$cfg" init --demo > /dev/null 2>&1
    real=$tmp/real
    BAPAS_CONFIG=$cfg BAPASCTL=$bapasctl sh "$script" --dir "$real" --keep 2 > "$tmp/out" 2>&1
    rc=$?
    copy=$(find "$real" -maxdepth 1 -name 'bapas-*.db' | head -1)
    if [ $rc -eq 0 ] && [ -n "$copy" ]; then ok "real bapasctl backup into the set"; else bad "real backup: exit $rc"; fi
    if [ -n "$copy" ] && "$bapasctl" --config "$cfg" --db "$copy" doctor --check database > "$tmp/out" 2>&1; then
        ok "the copy passes doctor --check database"
    else
        bad "the copy fails the database check"
    fi
else
    echo "# skipped: this bapasctl has no backup command"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
