#!/bin/sh
# test_doctor.sh BAPASCTL DEPLOY_HELPER
# `bapasctl doctor` against scratch databases, configs, printers and
# environments: OK/WARN/FAIL per check, exit 1 exactly when something FAILs.
set -u
bapasctl=$1
helper=$2
tmp=$(mktemp -d /tmp/bk-doctor-XXXXXX)
listener=
cleanup() {
    [ -z "$listener" ] || kill "$listener" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() {
    fail=$((fail + 1))
    echo "not ok - $1"
    [ ! -f "$tmp/out" ] || sed 's/^/    | /' "$tmp/out"
}

cfg=$tmp/kiosk.ini
printf '[office]\nname = Test\n[printer]\ntarget = none\n' > "$cfg"
db=$tmp/bapas.db

# run ARGS...: doctor with our config; output in $tmp/out, exit code in $rc
run() {
    "$bapasctl" --config "$cfg" "$@" > "$tmp/out" 2>&1
    rc=$?
}
# expect_rc N WHAT
expect_rc() {
    if [ "$rc" -eq "$1" ]; then ok "$2 (exit $1)"; else bad "$2: exit $rc, wanted $1"; fi
}
# has REGEX WHAT: a line of the output matches
has() {
    if grep -Eq -- "$1" "$tmp/out"; then ok "$2"; else bad "$2 [no line /$1/]"; fi
}
hasnt() {
    if grep -Eq -- "$1" "$tmp/out"; then bad "$2 [line /$1/ found]"; else ok "$2"; fi
}

"$bapasctl" --config "$cfg" --db "$db" init >/dev/null 2>&1 || { echo "init failed"; exit 1; }

# ---- a healthy scratch installation -------------------------------------------
cp "$db" "$tmp/before.db"
run --db "$db" doctor
expect_rc 0 "healthy database: doctor passes"
has '^OK +config +.*kiosk.ini: no problems' "config OK"
has '^OK +database +.*bapas.db opens' "database OK"
has '^OK +schema +version [0-9]+, the newest' "schema OK"
has '^OK +integrity +quick_check: ok' "integrity OK"
has '^OK +(wal|disk) ' "wal/disk lines"
has '^OK +fonts +[1-9][0-9]* font file' "fonts found"
has '^OK +assets +.*texts id \([0-9]+\) and en' "texts found"
has '^OK +printer +none: printing is turned off' "printer none is OK"
has '^WARN +display +SDL_VIDEODRIVER=dummy' "display: the dummy driver is a warning"
has '^WARN +service-user +there is no user bk-test-no-such-user' "no service user: warning"
has '^WARN +backups ' "no backups yet: warning"
has '^[0-9]+ OK, [0-9]+ WARN, 0 FAIL: healthy' "summary line"
has '^WARN +office +the office is empty: no officers and no clients' "an empty office is a warning, not healthy-OK"
has '^ +no officers: sudo bapasctl import officers ' "empty office: how to import officers"
has '^ +no clients: sudo bapasctl import clients ' "empty office: how to import clients"
hasnt '^ +the office name is the default' "a named office: no name advice"
if cmp -s "$db" "$tmp/before.db"; then ok "doctor changed nothing in the database"; else bad "the database file changed"; fi

run --db "$db" --json doctor
expect_rc 0 "--json"
cp "$tmp/out" "$tmp/doctor.json"
if "$helper" doctor-json "$tmp/doctor.json" > "$tmp/out"; then
    ok "--json is one well-formed report"
else
    bad "--json malformed"
fi
has '^healthy=1$' "--json: healthy"
n=$(grep -c -E ' (ok|warn|fail)$' "$tmp/out")
# db-files is checked for the user running doctor even without the service user;
# office counts officers and clients, calendar the holidays
if [ "$n" -eq 16 ]; then ok "16 checks reported"; else bad "$n checks reported, wanted 16"; fi

run --db "$db" doctor --check database
expect_rc 0 "--check database"
n=$(grep -c -E '^(OK|WARN|FAIL) ' "$tmp/out")
if [ "$n" -eq 4 ]; then ok "--check database runs its 4 checks"; else bad "--check database ran $n checks"; fi
run --db "$db" doctor --check printer,clock
n=$(grep -c -E '^(OK|WARN|FAIL) ' "$tmp/out")
if [ "$n" -eq 2 ]; then ok "--check printer,clock runs 2 checks"; else bad "--check printer,clock ran $n"; fi
run --db "$db" doctor --check bogus
expect_rc 2 "--check with an unknown name is a usage error"

# ---- the office ---------------------------------------------------------------------
"$bapasctl" --config "$cfg" --db "$tmp/demo.db" init --demo >/dev/null 2>&1 || bad "init --demo"
run --db "$tmp/demo.db" doctor --check office
expect_rc 0 "the demo office"
has '^OK +office +Test: 8 officer\(s\), 60 client\(s\)' "a set-up office is OK, with its counts"
printf '[printer]\ntarget = none\n' > "$tmp/noname.ini"
"$bapasctl" --config "$tmp/noname.ini" --db "$tmp/demo.db" doctor --check office > "$tmp/out" 2>&1
has '^WARN +office +Balai Pemasyarakatan: 8 officer' "the default office name is a warning"
has 'set \[office\] name = \.\.\. in .*noname.ini' "default name: where to set it"
run --db "$tmp/none.db" doctor --check office
hasnt 'office' "no database: the office check leaves it to the database check"
if [ -e "$tmp/none.db" ]; then bad "the office check created a database"; else ok "no database created"; fi

# ---- the office calendar (holidays for the next report date) -----------------------
# (the instant is pinned with the BAPAS_NOW test hook: the years are in the lines)
if [ "${BK_TEST_HOOKS:-1}" = 1 ]; then
templates=$(dirname "$0")/../../db/templates
BAPAS_NOW=2026-06-10T03:00:00Z run --db "$tmp/demo.db" doctor --check calendar
expect_rc 0 "no holidays is not a FAIL"
has '^WARN +calendar +holidays: 0 in 2026, 0 in 2027: next report dates may fall' "no holidays: a warning that names the years"
has 'sudo bapasctl holidays import FILE' "no holidays: what to run"
"$bapasctl" --config "$cfg" --db "$tmp/demo.db" holidays import "$templates/holidays-2026-2027.csv" >/dev/null 2>&1 ||
    bad "holidays import of the shipped list"
BAPAS_NOW=2026-06-10T03:00:00Z run --db "$tmp/demo.db" doctor --check calendar
has '^OK +calendar +holidays: [1-9][0-9]* in 2026, [1-9][0-9]* in 2027' "the shipped list: OK with both years counted"
BAPAS_NOW=2027-11-20T03:00:00Z run --db "$tmp/demo.db" doctor --check calendar
has '^WARN +calendar +holidays: [1-9][0-9]* in 2027, 0 in 2028' "from November next year's list is wanted too"
BAPAS_NOW=2027-06-20T03:00:00Z run --db "$tmp/demo.db" doctor --check calendar
has '^OK +calendar' "in June next year's list is not wanted yet"
run --db "$tmp/demo.db" doctor --check office
n=$(grep -cE '^(OK|WARN|FAIL|SKIP) ' "$tmp/out")
if [ "$n" -eq 2 ]; then ok "--check office runs office and calendar"; else bad "--check office ran $n checks"; fi
run --db "$tmp/none.db" doctor --check calendar
hasnt 'calendar' "no database: the calendar check leaves it to the database check"
BAPAS_NOW=2026-06-10T03:00:00Z LANG=id_ID.UTF-8 "$bapasctl" --config "$cfg" --db "$db" doctor --check calendar > "$tmp/out" 2>&1
has '^WARN +calendar +hari libur: 0 pada 2026' "LANG=id: the calendar line in Indonesian"
has '^ +impor daftar resmi' "LANG=id: the calendar advice in Indonesian"
else echo "# skipped: the calendar checks pin the date with BAPAS_NOW, a test hook"; fi

# ---- the doctor in Indonesian ------------------------------------------------------
LANG=id_ID.UTF-8 "$bapasctl" --config "$cfg" --db "$db" doctor --check office,printer > "$tmp/out" 2>&1
has '^WARN +office +kantor masih kosong: belum ada petugas dan klien' "LANG=id: the office line in Indonesian"
has '^ +belum ada petugas: sudo bapasctl import officers' "LANG=id: the advice in Indonesian"
has '^[0-9]+ OK, [0-9]+ WARN, 0 FAIL: sehat, tetapi periksa baris WARN' "LANG=id: the summary in Indonesian"
printf '[office]\nname = Test\nlanguage = id\n[printer]\ntarget = lp0\n' > "$tmp/id.ini"
LANG=C "$bapasctl" --config "$tmp/id.ini" --db "$db" doctor --check printer > "$tmp/out" 2>&1
has '^FAIL +printer +\[printer\] target "lp0" bukan tujuan printer' "[office] language = id: the printer line in Indonesian"
has '^ +yang diterima: none, /dev/usb/lp0' "[office] language = id: the accepted forms"
LANG=C "$bapasctl" --config "$tmp/id.ini" --db "$db" --json doctor --check printer > "$tmp/out" 2>&1
has '"status": "fail"' "JSON status keeps its English value"
has '"message": "\[printer\] target \\"lp0\\" bukan tujuan printer' "JSON message translated"

# ---- backups ----------------------------------------------------------------------
mkdir -p "$tmp/backups"
touch "$tmp/backups/bapas-20260101-023000.db"
echo x > "$tmp/backups/bapas-20260101-023000.db"
touch "$tmp/backups/pre-upgrade-from-0.1.0-1-20260101-000000.db"
run --db "$db" doctor --check backups
has '^OK +backups +1 nightly copy in .*bapas-20260101-023000.db' "a fresh backup is OK"
has 'other copies \(pre-upgrade' "pre-upgrade copies are counted apart"
touch -d '3 days ago' "$tmp/backups/bapas-20260101-023000.db"
run --db "$db" doctor --check backups
has '^WARN +backups +the newest backup .* is 3 days old' "an old backup is a warning"
expect_rc 0 "an old backup is not a FAIL"

# ---- the database --------------------------------------------------------------------
run --db "$tmp/none.db" doctor
expect_rc 1 "no database: FAIL"
has '^FAIL +database +no database at .*none.db' "no database: the line says so"
if [ -e "$tmp/none.db" ]; then bad "doctor created a database"; else ok "doctor did not create a database"; fi

# user_version lives at byte 60 of the header (big-endian)
set_version() { # FILE N(0-255)
    oct=$(printf '%03o' "$2")
    # shellcheck disable=SC2059 # the octal escape is built on purpose
    printf "\\000\\000\\000\\$oct" | dd of="$1" bs=1 seek=60 conv=notrunc 2>/dev/null
}
cp "$db" "$tmp/newer.db"
set_version "$tmp/newer.db" 99
run --db "$tmp/newer.db" doctor --check database
expect_rc 1 "schema newer than the program: FAIL"
has '^FAIL +schema +version 99 is newer than this program' "newer schema explained"
cp "$db" "$tmp/older.db"
set_version "$tmp/older.db" 1
run --db "$tmp/older.db" doctor --check database
has '^WARN +schema +version 1, this program.s is [0-9]+' "older schema: warning (migrated at start)"
expect_rc 0 "older schema is not a FAIL"

cp "$db" "$tmp/bad.db"
dd if=/dev/urandom of="$tmp/bad.db" bs=4096 seek=2 count=6 conv=notrunc 2>/dev/null
run --db "$tmp/bad.db" doctor --check database
expect_rc 1 "damaged database: FAIL"
has '^FAIL +(integrity|database) ' "damage reported"
has 'restore the newest backup' "the fix is named"

echo "not a database at all, just text" > "$tmp/text.db"
run --db "$tmp/text.db" doctor --check database
expect_rc 1 "a text file: FAIL"

cp "$db" "$tmp/wal.db"
truncate -s 65M "$tmp/wal.db-wal"
run --db "$tmp/wal.db" doctor --check wal
has '^WARN +wal +.*wal.db-wal is 65.0 MiB' "a 65 MiB WAL is a warning"
truncate -s 1100M "$tmp/wal.db-wal"
run --db "$tmp/wal.db" doctor --check wal
has '^FAIL +wal +.*is 1.1 GiB' "a 1.1 GiB WAL is a FAIL"
expect_rc 1 "huge WAL: exit 1"
rm -f "$tmp/wal.db-wal" "$tmp/wal.db-shm"

# ---- config --------------------------------------------------------------------------
printf '[office]\ntimezone = Mars\n[kiosk]\nrotaton = 90\n' > "$tmp/fatal.ini"
"$bapasctl" --config "$tmp/fatal.ini" --db "$db" doctor > "$tmp/out" 2>&1
rc=$?
expect_rc 1 "fatal config: doctor still runs and FAILs"
has '^FAIL +config +.*fatal.ini: 1 error\(s\): the kiosk refuses to start' "config FAIL line"
has '^ +line 2: error: office.timezone: unknown zone "Mars"' "fatal issue with its line"
has '^ +line 4: unknown key "rotaton" in section \[kiosk\]; ignored' "warning with its line"
has '^OK +integrity' "the other checks ran too"
printf '[kiosk]\nidle_seconds = 1\n' > "$tmp/warn.ini"
"$bapasctl" --config "$tmp/warn.ini" --db "$db" doctor --check config > "$tmp/out" 2>&1
rc=$?
expect_rc 0 "config warnings: not a FAIL"
has '^WARN +config +.*1 problem\(s\)' "config WARN line"
"$bapasctl" --config "$tmp/missing.ini" --db "$db" doctor --check config > "$tmp/out" 2>&1
rc=$?
expect_rc 1 "unreadable --config: FAIL"
has '^FAIL +config +cannot read .*missing.ini' "unreadable config named"

# ---- printer ---------------------------------------------------------------------------
pcfg() { printf '[printer]\ntarget = %s\n' "$1" > "$tmp/p.ini"; }
pcfg "$tmp/printer.out"
: > "$tmp/printer.out"
"$bapasctl" --config "$tmp/p.ini" --db "$db" doctor --check printer > "$tmp/out" 2>&1
has '^WARN +printer +.*printer.out is a file, not a printer' "a plain file target is a warning"
for t in lp0 usb/lp0 printer.local 'cups:a b' 'host:99999'; do
    pcfg "$t"
    "$bapasctl" --config "$tmp/p.ini" --db "$db" doctor --check printer,config > "$tmp/out" 2>&1
    rc=$?
    expect_rc 1 "mistyped target '$t': FAIL, not 'OK none'"
    has "^FAIL +printer +\\[printer\\] target \"$t\" is not a printer target" "'$t' named"
    has '^ +accepted: none, /dev/usb/lp0 .*HOST:9100 or cups:QUEUE' "'$t': the accepted forms"
    hasnt '^OK +printer +none' "'$t' is not read as none"
done
pcfg /dev/usb/bk-no-such-lp9
"$bapasctl" --config "$tmp/p.ini" --db "$db" doctor --check printer > "$tmp/out" 2>&1
rc=$?
expect_rc 1 "a missing printer device: FAIL"
has 'plugged in' "missing device: what to look at"
"$helper" listen "$tmp/port" 20 &
listener=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")
pcfg "127.0.0.1:$port"
"$bapasctl" --config "$tmp/p.ini" --db "$db" doctor --check printer > "$tmp/out" 2>&1
rc=$?
expect_rc 0 "a listening network printer"
has "^OK +printer +network printer 127.0.0.1:$port answers" "network printer answers"
kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null
listener=
pcfg "127.0.0.1:$port"
"$bapasctl" --config "$tmp/p.ini" --db "$db" doctor --check printer > "$tmp/out" 2>&1
rc=$?
expect_rc 1 "nobody listening: FAIL"
has "^FAIL +printer +network printer 127.0.0.1:$port: Connection refused" "refused connection named"

# ---- service user, files ------------------------------------------------------------------
if id nobody >/dev/null 2>&1 && ! id -nG nobody | grep -qw lp; then
    BAPAS_SERVICE_USER=nobody "$bapasctl" --config "$cfg" --db "$db" doctor --check files,service > "$tmp/out" 2>&1
    rc=$?
    expect_rc 1 "a user outside the groups: FAIL"
    has '^FAIL +service-user +nobody is not in group\(s\): lp' "missing groups listed"
    has 'fix: sudo adduser nobody lp' "the fix command is given"
    if [ "$(id -u)" -eq 0 ] || [ "$(stat -c %u "$db")" != "$(id -u nobody)" ]; then
        has '^FAIL +db-files +the kiosk.s user nobody cannot write' "database not writable by the user"
        has 'fix: sudo chown nobody:nobody' "chown fix given"
    fi
else
    echo "# skipped: no user 'nobody' outside group lp"
fi

# ---- display ---------------------------------------------------------------------------
SDL_VIDEODRIVER=x11 DISPLAY='' "$bapasctl" --config "$cfg" --db "$db" doctor --check display > "$tmp/out" 2>&1
has '^FAIL +display +SDL_VIDEODRIVER=x11 but DISPLAY is not set' "x11 without DISPLAY: FAIL"
SDL_VIDEODRIVER=x11 DISPLAY=:99 "$bapasctl" --config "$cfg" --db "$db" doctor --check display > "$tmp/out" 2>&1
has '^OK +display +SDL_VIDEODRIVER=x11, DISPLAY=:99' "x11 with DISPLAY: OK (no window opened)"
env -u SDL_VIDEODRIVER -u DISPLAY -u WAYLAND_DISPLAY "$bapasctl" --config "$cfg" --db "$db" doctor --check display > "$tmp/out" 2>&1
has '^(OK|WARN|FAIL) +display +kmsdrm \(as bapas-kiosk.service\)' "no session: the service's kmsdrm is checked"

# The libraries KMSDRM draws with: looked at wherever kmsdrm would be used.
kms() { env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=kmsdrm "$@" "$bapasctl" --config "$cfg" --db "$db" doctor --check display > "$tmp/out" 2>&1; }
kms
if ldconfig -p 2>/dev/null | grep -q 'libEGL.so.1 ' && ldconfig -p | grep -q 'libGLESv2.so.2 ' && ldconfig -p | grep -q 'libgbm.so.1 ' &&
   ls /usr/lib/*/dri/*_dri.so >/dev/null 2>&1; then
    has '^ +EGL, OpenGL ES 2, GBM and a Mesa driver are installed' "kmsdrm: the GL libraries found here"
else
    has 'sudo apt install' "kmsdrm: this machine lacks GL libraries, and the packages are named"
fi
if [ "${BK_TEST_HOOKS:-1}" = 1 ]; then # other library names: a test hook
    kms BAPAS_TEST_GL_LIBS=libEGL-bk-missing.so.1:libGLESv2.so.2:libgbm-bk-missing.so.1 BAPAS_TEST_DRI_GLOB="$tmp/nodri/*_dri.so"
    rc=$?
    expect_rc 1 "kmsdrm without EGL/GBM/Mesa: FAIL"
    has '^ +EGL \(libEGL-bk-missing.so.1\) cannot be loaded' "the missing EGL is named"
    has '^ +GBM \(libgbm-bk-missing.so.1\) cannot be loaded' "the missing GBM is named"
    hasnt 'OpenGL ES 2 \(libGLESv2.so.2\) cannot' "the GLES that is there is not called missing"
    has '^ +no Mesa graphics driver' "no Mesa driver named"
    has 'blank screen: sudo apt install libegl1 libgbm1 libgl1-mesa-dri$' "the Debian packages to install"
    env -u SDL_VIDEODRIVER -u WAYLAND_DISPLAY DISPLAY=:99 BAPAS_TEST_GL_LIBS=libEGL-bk-missing.so.1 \
        "$bapasctl" --config "$cfg" --db "$db" doctor --check display > "$tmp/out" 2>&1
    hasnt 'cannot be loaded' "an X11 session: the kmsdrm libraries are not asked for"
else echo "# skipped: missing GL libraries need the test hooks"; fi

# ---- clock -----------------------------------------------------------------------------
if [ "${BK_TEST_HOOKS:-1}" = 1 ]; then # BAPAS_NOW is a test hook
BAPAS_NOW=2020-01-01T00:00:00Z "$bapasctl" --config "$cfg" --db "$db" doctor --check clock > "$tmp/out" 2>&1
rc=$?
expect_rc 1 "a clock in 2020: FAIL"
has '^FAIL +clock +the clock says 2020-01-01 07:00 \(Asia/Jakarta\)' "clock shown in office time"
else echo "# skipped: the clock check with BAPAS_NOW needs the test hooks"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
