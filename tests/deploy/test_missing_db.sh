#!/bin/sh
# test_missing_db.sh BAPASCTL KIOSK — a mistyped database path never becomes a
# new, empty office. Every bapasctl command but `init` given a missing file
# (by --db, $BAPAS_DB or [database] path) exits 3 with a message in
# Indonesian and English, and leaves no file (nor -wal, -shm, -journal).
# `init` and the kiosk's --demo create it, mode 0660 whatever the umask. The
# kiosk given a missing file creates nothing and says so (it keeps running,
# sending clients to reception, as when the file goes away later:
# README "keep running (with a banner) while the database is locked or
# missing").
set -u
ctl=$1
kiosk=$2
tmp=$(mktemp -d /tmp/bk-missing-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
umask 022
pass=0
fail=0
ok() {
    pass=$((pass + 1))
    echo "ok - $1"
}
bad() {
    fail=$((fail + 1))
    echo "not ok - $1"
    [ ! -f out ] || sed 's/^/    | /' out | tail -10
}
nothing_created() { [ -z "$(ls -A "$tmp/data")" ]; }
mkdir data
printf '[database]\npath = %s/data/typo.db\n' "$tmp" > typo.ini

# every command that opens the database (arguments that pass the parsing)
while IFS= read -r args; do
    [ -n "$args" ] || continue
    # shellcheck disable=SC2086 # args is a list of words
    "$ctl" --config /dev/null --db data/typo.db $args > out 2>&1
    rc=$?
    if [ $rc -eq 3 ] && grep -q "the database data/typo.db does not exist" out &&
        grep -q "bapasctl --db data/typo.db init" out &&
        nothing_created; then
        ok "$args: exit 3, says so, creates nothing"
    else
        bad "$args: exit $rc (want 3), files: $(ls -A data | tr '\n' ' ')"
        rm -f data/*
    fi
done <<'EOF'
queue
queue --officer PK01 --all
checkin 240001 --birth 2001-11-09 --purpose report
walkin --purpose other
call-next --officer PK01
recall A-001
start A-001
done A-001 --outcome counseled
no-show A-001
cancel A-001
priority A-001
transfer A-001 --to PK02
show A-001
close-day
officer list
officer add --id PK09 --name Budi --room R9
client show 240001
roster list
report daily
audit
backup copy.db
slip A-001 --png slip.png
EOF

# in Indonesian (the locale, or [office] language = id): the same message from the catalog
LANG=id_ID.UTF-8 "$ctl" --config /dev/null --db data/typo.db queue > out 2>&1
rc=$?
if [ $rc -eq 3 ] && grep -q "basis data data/typo.db tidak ada (salah ketik --db?); buat dengan: bapasctl --db data/typo.db init" out &&
    ! grep -q "does not exist" out && nothing_created; then
    ok "LANG=id: the message in Indonesian only"
else
    bad "LANG=id: exit $rc: $(cat out)"
fi

# the same through $BAPAS_DB and the config file, and as JSON
BAPAS_DB=data/typo.db "$ctl" --config /dev/null queue > out 2>&1
rc=$?
if [ $rc -eq 3 ] && grep -q "does not exist" out && nothing_created; then ok "\$BAPAS_DB: exit 3"; else bad "\$BAPAS_DB: exit $rc"; fi
env -u BAPAS_DB "$ctl" --config typo.ini queue > out 2>&1
rc=$?
if [ $rc -eq 3 ] && grep -q "does not exist" out && nothing_created; then ok "[database] path: exit 3"; else bad "[database] path: exit $rc"; fi
"$ctl" --config /dev/null --db data/typo.db --json queue > out 2>/dev/null
rc=$?
if [ $rc -eq 3 ] && grep -q '"error": *"not_found"' out && grep -q '"exit_code": *3' out && nothing_created; then
    ok "--json: one error object, exit_code 3"
else
    bad "--json: exit $rc"
fi
# a missing directory too
"$ctl" --config /dev/null --db data/nodir/typo.db queue > out 2>&1
rc=$?
if [ $rc -eq 3 ] && nothing_created; then ok "missing directory: exit 3"; else bad "missing directory: exit $rc"; fi

# doctor reports it and creates nothing
"$ctl" --config /dev/null --db data/typo.db doctor --check database > out 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "^FAIL" out && nothing_created; then ok "doctor: FAIL, creates nothing"; else bad "doctor: exit $rc"; fi

# the kiosk: nothing created, a clear message, clients sent to reception
printf 'wait 300\ndump\n' > idle.script
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$kiosk" --config /dev/null --db data/typo.db \
    --windowed 800x480 --script idle.script > out 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "basis data data/typo.db tidak ada / the database data/typo.db does not exist" out &&
    nothing_created; then
    ok "kiosk: says the database does not exist, creates nothing"
else
    bad "kiosk: exit $rc, files: $(ls -A data | tr '\n' ' ')"
fi
for m in board reception; do
    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$kiosk" --mode $m --config /dev/null \
        --db data/typo.db --windowed 800x480 --script idle.script > out 2>&1
    rc=$?
    if [ $rc -eq 0 ] && grep -q "does not exist" out && nothing_created; then
        ok "--mode $m: says so, creates nothing"
    else
        bad "--mode $m: exit $rc, files: $(ls -A data | tr '\n' ' ')"
    fi
done

# init creates it, 0660 under umask 022; then the commands work
"$ctl" --config /dev/null --db data/new.db init > out 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(stat -c %a data/new.db)" = 660 ]; then ok "init creates the database, mode 0660"; else bad "init: exit $rc, mode $(stat -c %a data/new.db 2>&1)"; fi
"$ctl" --config /dev/null --db data/new.db queue > out 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "queue on the new database"; else bad "queue on the new database: exit $rc"; fi
# an existing database keeps its mode (init does not chmod what it did not create)
chmod 640 data/new.db
"$ctl" --config /dev/null --db data/new.db init > out 2>&1
if [ "$(stat -c %a data/new.db)" = 640 ]; then ok "init leaves an existing file's mode"; else bad "init changed the mode of an existing file"; fi
rm -f data/*

# --demo creates the demo office, 0660
printf 'expect welcome\n' > welcome.script
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$kiosk" --config /dev/null --demo --db data/demo.db \
    --windowed 800x480 --script welcome.script > out 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(stat -c %a data/demo.db 2>/dev/null)" = 660 ]; then
    ok "kiosk --demo creates the demo database, mode 0660"
else
    bad "kiosk --demo: exit $rc"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
