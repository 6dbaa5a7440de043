#!/bin/sh
# test_shared_db.sh BAPASCTL KIOSK — two real users share the office database,
# as deploy/README.md sets it up: the kiosk's service user (owner of the data
# directory, mode 2770 setgid, its own group) and the IT person, a member of
# that group. The service user creates the database (`init`, umask 022, as
# a package's postinst does); then they alternate in separate processes:
# check-ins as the service user, queue and call-next as the member (and
# root, as `sudo bapasctl`), while the -wal and -shm files are removed when
# the last connection closes and made again by whoever opens next. No write
# may fail, and the kiosk itself (as the service user) checks a client in at
# the end. Fails without 0660 on the new database file: SQLite gives -wal
# and -shm the database file's mode, so a 0644 file makes the member's
# connection read-only and leaves -wal/-shm the service user cannot write.
#
# Needs root and useradd (makes two throwaway users); exit 77 otherwise.
set -u
ctl=$1
kiosk=$2
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null 2>&1 || ! command -v runuser >/dev/null 2>&1; then
    echo "SKIP: needs root, useradd and runuser (it creates two users)"
    exit 77
fi
svc=bkt$$s
it=bkt$$i
tmp=$(mktemp -d /tmp/bk-shared-XXXXXX)
cleanup() {
    userdel "$it" 2>/dev/null
    userdel "$svc" 2>/dev/null
    groupdel "$it" 2>/dev/null
    groupdel "$svc" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
if ! useradd --system --user-group --no-create-home --home-dir "$tmp" --shell /usr/sbin/nologin "$svc" ||
    ! useradd --user-group --no-create-home --groups "$svc" --shell /bin/sh "$it"; then
    echo "SKIP: useradd failed here"
    exit 77
fi
chmod 755 "$tmp"
S=$tmp/data
mkdir "$S"
chown "$svc:$svc" "$S"
chmod 2770 "$S"
db=$S/bapas.db
cp "$ctl" "$tmp/bapasctl" # readable by both users wherever the build tree is
cp "$kiosk" "$tmp/bapas-kiosk"
chmod 755 "$tmp/bapasctl" "$tmp/bapas-kiosk"
# the assets too: the checkout may be where the two users cannot read (/root)
if [ -n "${BAPAS_ASSETS:-}" ] && [ -d "$BAPAS_ASSETS" ]; then
    cp -R "$BAPAS_ASSETS" "$tmp/assets"
    chmod -R a+rX "$tmp/assets"
    BAPAS_ASSETS=$tmp/assets
fi
ctl=$tmp/bapasctl
kiosk=$tmp/bapas-kiosk
pass=0
fail=0
ok() {
    pass=$((pass + 1))
    echo "ok - $1"
}
bad() {
    fail=$((fail + 1))
    echo "not ok - $1"
    [ ! -f "$tmp/out" ] || sed 's/^/    | /' "$tmp/out" | tail -10
}
# as USER COMMAND...: bapasctl as that user (umask 022, a login's default)
as() {
    u=$1
    shift
    if [ "$u" = root ]; then
        (umask 022 && cd "$tmp" && env BAPAS_CONFIG=/dev/null "$ctl" --db "$db" "$@") > "$tmp/out" 2>&1
    else
        runuser -u "$u" -- sh -c 'umask 022; cd "$1" && shift && exec env BAPAS_CONFIG=/dev/null "$@"' sh \
            "$tmp" "$ctl" --db "$db" "$@" > "$tmp/out" 2>&1
    fi
}
modes() { stat -c '%n %U:%G %a' "$db" "$db-wal" "$db-shm" 2>/dev/null | sed "s|$S/||" | tr '\n' ' '; }

as "$svc" init --demo
if [ $? -eq 0 ] && [ "$(stat -c %U:%G:%a "$db")" = "$svc:$svc:660" ]; then
    ok "the service user creates the database: $svc:$svc 0660"
else
    bad "init by the service user: $(modes)"
fi

# births of demo clients (README)
set -- 240001:2001-11-09:PK01 240002:1997-06-17:PK02 240004:1981-10-22:PK04 \
    240005:1977-09-03:PK05 240010:1989-01-13:PK02
round=0
writes_failed=0
for c in "$@"; do
    round=$((round + 1))
    no=${c%%:*}
    rest=${c#*:}
    birth=${rest%%:*}
    pk=${rest#*:}
    # the member looks first: -wal/-shm are made by the member
    as "$it" queue
    [ $? -eq 0 ] || { bad "round $round: queue as the member"; writes_failed=1; }
    left=$(modes)
    # the service user checks in (a write over whatever the member left)
    as "$svc" checkin "$no" --birth "$birth" --purpose report
    if [ $? -ne 0 ]; then
        bad "round $round: checkin $no as the service user after the member's queue (left: $left)"
        writes_failed=1
    fi
    # the member calls (a write), root looks (sudo bapasctl), the service user looks
    as "$it" call-next --officer "$pk"
    if [ $? -ne 0 ]; then
        bad "round $round: call-next --officer $pk as the member ($(modes))"
        writes_failed=1
    fi
    as root queue --all
    [ $? -eq 0 ] || { bad "round $round: queue as root"; writes_failed=1; }
    as "$svc" walkin --purpose other
    if [ $? -ne 0 ]; then
        bad "round $round: walkin as the service user after root's queue ($(modes))"
        writes_failed=1
    fi
    # the last connection closed: SQLite removed -wal and -shm (made again next round)
    if [ -e "$db-wal" ] || [ -e "$db-shm" ]; then
        bad "round $round: -wal/-shm left after every process ended: $(modes)"
        writes_failed=1
    fi
done
[ $writes_failed -ne 0 ] || ok "$round rounds of alternating writes by the service user, the member and root: none failed"

# -wal/-shm while a connection holds them: made by the member, written by the service user
mkfifo "$tmp/hold"
chmod 666 "$tmp/hold"
# a held read connection: the sqlite3 shell as the member, blocked on the fifo
if command -v sqlite3 >/dev/null 2>&1; then
    runuser -u "$it" -- sh -c 'umask 022; { echo "select count(*) from tickets;"; cat "$2"; } | sqlite3 "$1" > /dev/null' sh "$db" "$tmp/hold" &
    holder=$!
    n=0
    while [ ! -e "$db-shm" ] && [ $n -lt 50 ]; do
        sleep 0.1
        n=$((n + 1))
    done
    m=$(modes)
    if [ ! -e "$db-wal" ] || [ ! -e "$db-shm" ] ||
        stat -c '%U:%G %a' "$db-wal" "$db-shm" | grep -qvx "$it:$svc 660"; then
        bad "-wal/-shm made by the member are not $it:$svc 0660: $m"
    else
        ok "-wal/-shm made by the member while it holds them: $it:$svc 0660"
    fi
    as "$svc" checkin 240003 --birth 1993-04-06 --purpose report
    if [ $? -eq 0 ]; then ok "the service user writes through the member's -wal/-shm"; else bad "checkin as the service user with the member's -wal/-shm held ($m)"; fi
    echo > "$tmp/hold"
    wait $holder
fi

# the kiosk itself, as the service user, checks a client in (another client
# of PK04: 240004's counseling would join its open, called visit)
printf 'expect welcome\ntype 240012\\n\nexpect verify\ntype 17101973\\n\nexpect purpose\ntap purpose-counseling\nexpect ticket\ndump\n' > "$tmp/checkin.script"
chmod 644 "$tmp/checkin.script"
as "$it" queue
runuser -u "$svc" -- env SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy BAPAS_CONFIG=/dev/null \
    BAPAS_ASSETS="${BAPAS_ASSETS:-}" "$kiosk" --db "$db" --windowed 800x480 --script "$tmp/checkin.script" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^screen=ticket" "$tmp/out" && ! grep -q "busy\|sibuk" "$tmp/out"; then
    ok "the kiosk (service user) checks a client in after the member's queue"
else
    bad "the kiosk's check-in: exit $rc"
fi
as "$it" call-next --officer PK04
if [ $? -eq 0 ]; then ok "the member calls the kiosk's ticket"; else bad "call-next as the member after the kiosk"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
