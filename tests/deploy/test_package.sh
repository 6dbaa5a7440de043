#!/bin/sh
# test_package.sh SRC BUILD_DIR DEB_VERSION EXPECT_KIOSK DEPLOY_HELPER
# Build the .deb (deploy/build-deb.sh, reusing BUILD_DIR), check its metadata
# and file list, unpack it into a scratch root with dpkg -x and run what it
# installed: bapasctl --version, doctor against a scratch database (assets
# from the scratch root), the backup script, systemd-analyze verify on the
# unpacked units, and that the packaged binaries have no test hooks (script
# exec, BK_FAULT_LOST_ACK, BAPAS_NOW: built with BK_TEST_HOOKS=OFF).
# Exit 77 (skipped) without dpkg-deb/dpkg-shlibdeps/fakeroot.
# shellcheck disable=SC2015 # ok() never fails
set -u
src=$1
build=$2
version=$3
expect_kiosk=$4
helper=$5
upstream=${version%-*}
for tool in dpkg-deb dpkg-shlibdeps fakeroot cpack; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (Debian packages: dpkg-dev fakeroot cmake)"
        exit 77
    fi
done
tmp=$(mktemp -d /tmp/bk-package-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ ! -f "$tmp/out" ] || sed 's/^/    | /' "$tmp/out" | head -40; }

start=$(date +%s)
if ! sh "$src/deploy/build-deb.sh" --build-dir "$build" --out "$tmp/out-deb" > "$tmp/out" 2>&1; then
    bad "build-deb.sh builds the package"
    echo "$pass passed, $fail failed"
    exit 1
fi
deb=$(tail -1 "$tmp/out")
ok "build-deb.sh built $(basename "$deb") in $(($(date +%s) - start)) s"
arch=$(dpkg --print-architecture)
if [ "$(basename "$deb")" = "bapas-kiosk_${version}_${arch}.deb" ]; then ok "file name"; else bad "file name $(basename "$deb")"; fi

# ---- metadata ----------------------------------------------------------------------
dpkg-deb -I "$deb" > "$tmp/info"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = bapas-kiosk ] && ok "Package: bapas-kiosk" || bad "Package: $(field Package)"
[ "$(field Version)" = "$version" ] && ok "Version: $version" || bad "Version: $(field Version)"
[ "$(field Architecture)" = "$arch" ] && ok "Architecture: $arch" || bad "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] && ok "Maintainer set" || bad "no Maintainer"
field Depends > "$tmp/out"
for dep in adduser debconf libegl1 libgles2 libgbm1 libc6 libsqlite3-0 libsdl2-2.0-0 libsdl2-ttf-2.0-0 libjansson4 libinih1 libpng16-16 libargon2-1 libmicrohttpd12; do
    if tr ',' '\n' < "$tmp/out" | grep -q "^ *$dep\( \|$\)"; then ok "Depends: $dep"; else bad "Depends lacks $dep"; fi
    if [ "$(tr ',' '\n' < "$tmp/out" | grep -c "^ *$dep\( \|$\)")" -le 1 ]; then ok "Depends: $dep once"; else bad "Depends lists $dep more than once"; fi
done
if grep -q "(>= " "$tmp/out"; then ok "library versions from dpkg-shlibdeps"; else bad "no versioned dependencies"; fi
if field Recommends | tr ',' '\n' | grep -q "^ *libgl1-mesa-dri\( \|$\)"; then
    ok "Recommends: libgl1-mesa-dri (the Mesa drivers KMSDRM needs)"
else
    bad "Recommends lacks libgl1-mesa-dri: $(field Recommends)"
fi
mkdir "$tmp/control"
dpkg-deb -e "$deb" "$tmp/control"
for s in preinst postinst prerm postrm config; do
    if [ -x "$tmp/control/$s" ] && sh -n "$tmp/control/$s"; then ok "maintainer script $s"; else bad "maintainer script $s missing or broken"; fi
done
if [ -f "$tmp/control/templates" ] && grep -q '^Template: bapas-kiosk/role$' "$tmp/control/templates" &&
    [ "$(stat -c %a "$tmp/control/templates")" = 644 ]; then
    ok "debconf templates: bapas-kiosk/role"
else
    bad "no debconf template for the role"
fi
if grep -q "$version" "$tmp/control/preinst"; then ok "preinst knows its version"; else bad "preinst lacks the version"; fi
if [ "$(cat "$tmp/control/conffiles")" = /etc/bapas-kiosk/kiosk.ini ]; then ok "conffiles: /etc/bapas-kiosk/kiosk.ini"; else bad "conffiles: $(cat "$tmp/control/conffiles")"; fi

# ---- file list -------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $1, $6}' > "$tmp/list"
want="./usr/bin/bapasctl ./etc/bapas-kiosk/kiosk.ini ./var/lib/bapas-kiosk/
./lib/systemd/system/bapas-kiosk.service ./lib/systemd/system/bapas-board.service
./lib/systemd/system/bapas-kiosk-cage.service ./lib/systemd/system/bapas-backup.service
./lib/systemd/system/bapas-backup.timer ./lib/systemd/system/bapas-web.service ./usr/bin/bapas-web
./usr/lib/bapas-kiosk/bapas-backup ./usr/sbin/bapas-restore
./usr/share/bapas-kiosk/assets/i18n/id.txt ./usr/share/bapas-kiosk/assets/i18n/en.txt
./usr/share/bapas-kiosk/pg-roles.sql
./usr/share/bapas-kiosk/templates/officers.csv ./usr/share/bapas-kiosk/templates/clients.csv
./usr/share/bapas-kiosk/templates/officers.example.csv ./usr/share/bapas-kiosk/templates/clients.example.csv
./usr/share/bapas-kiosk/templates/holidays-2026-2027.csv ./usr/share/bapas-kiosk/templates/README.md
./usr/share/doc/bapas-kiosk/README.md ./usr/share/doc/bapas-kiosk/kiosk.example.ini
./usr/share/doc/bapas-kiosk/copyright"
[ "$expect_kiosk" = 1 ] && want="$want ./usr/bin/bapas-kiosk"
for f in $want; do
    if awk '{print $2}' "$tmp/list" | grep -qx -- "$f"; then ok "contains $f"; else bad "missing $f"; fi
done
for f in ./usr/bin/bapasctl ./usr/lib/bapas-kiosk/bapas-backup ./usr/sbin/bapas-restore; do
    if grep -q "^-rwxr-xr-x $f\$" "$tmp/list"; then ok "$f is executable"; else bad "$f is not 0755"; fi
done
if grep -q '^-rw-r--r-- ./etc/bapas-kiosk/kiosk.ini$' "$tmp/list"; then ok "kiosk.ini is 0644"; else bad "kiosk.ini mode"; fi
if grep -q '\./usr/share/bapas-kiosk/assets/fonts/.*\.\(ttf\|otf\)$' "$tmp/list"; then ok "fonts packaged"; else bad "no fonts"; fi
if grep -Eq ' \./(usr/local|home|work|tmp)/|\.py$' "$tmp/list"; then bad "stray files in the package"; else ok "nothing outside the Debian layout"; fi

# ---- unpack and run ------------------------------------------------------------------------
root=$tmp/root
dpkg -x "$deb" "$root"
ctl=$root/usr/bin/bapasctl
if [ "$("$ctl" --version)" = "bapasctl $upstream" ]; then ok "installed bapasctl --version"; else bad "bapasctl --version: $("$ctl" --version)"; fi
if grep -aq "/usr/share/bapas-kiosk/assets" "$ctl" && ! grep -aq "$src/assets" "$ctl"; then
    ok "assets looked up in /usr/share/bapas-kiosk/assets, not the source tree"
else
    bad "the binary's compiled-in assets path is not the installed one"
fi
if [ "$expect_kiosk" = 1 ]; then
    if "$root/usr/bin/bapas-kiosk" --help > "$tmp/out" 2>&1; then ok "installed bapas-kiosk runs"; else bad "installed bapas-kiosk --help fails"; fi
fi
db=$tmp/bapas.db
cfg=$root/etc/bapas-kiosk/kiosk.ini
export BAPAS_ASSETS="$root/usr/share/bapas-kiosk/assets"
if "$ctl" --config "$cfg" --db "$db" init > "$tmp/out" 2>&1; then ok "installed bapasctl creates a database"; else bad "init failed"; fi
"$ctl" --config "$cfg" --db "$db" doctor > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "doctor on the scratch database passes"; else bad "doctor: exit $rc"; fi
grep -Eq "^OK +config +$cfg: no problems" "$tmp/out" && ok "the packaged kiosk.ini has no problems" || bad "packaged config has problems"
grep -Eq "^OK +assets +$BAPAS_ASSETS: texts" "$tmp/out" && ok "doctor finds the packaged texts" || bad "texts not found in the package"
grep -Eq "^OK +fonts +[1-9]" "$tmp/out" && ok "doctor finds the packaged fonts" || bad "fonts not found in the package"
"$ctl" --config "$cfg" --db "$db" --json doctor > "$tmp/doctor.json" 2>/dev/null
if "$helper" doctor-json "$tmp/doctor.json" > "$tmp/out" && grep -qx 'healthy=1' "$tmp/out"; then
    ok "doctor --json: healthy"
else
    bad "doctor --json"
fi
# the packaged import templates are the ones bapasctl reads
tdb=$tmp/templates.db
troot=$root/usr/share/bapas-kiosk/templates
if "$ctl" --config "$cfg" --db "$tdb" init > "$tmp/out" 2>&1 &&
    "$ctl" --config "$cfg" --db "$tdb" import officers "$troot/officers.example.csv" >> "$tmp/out" 2>&1 &&
    "$ctl" --config "$cfg" --db "$tdb" import clients "$troot/clients.example.csv" >> "$tmp/out" 2>&1 &&
    [ "$("$ctl" --config "$cfg" --db "$tdb" --json officer list | grep -c '"id"')" -ge 1 ]; then
    ok "the packaged example templates import"
else
    bad "the packaged example templates do not import"
fi
if cmp -s "$troot/officers.csv" "$src/db/templates/officers.csv" && cmp -s "$troot/clients.csv" "$src/db/templates/clients.csv"; then
    ok "the packaged empty templates are db/templates'"
else
    bad "the packaged templates differ from db/templates"
fi
mkdir -p "$tmp/backups"
if BAPASCTL=$ctl BAPAS_CONFIG=$cfg BAPAS_DB=$db sh "$root/usr/lib/bapas-kiosk/bapas-backup" --dir "$tmp/backups" --keep 2 > "$tmp/out" 2>&1 &&
    [ -n "$(find "$tmp/backups" -name 'bapas-*.db')" ]; then
    ok "the installed backup script makes a copy"
else
    bad "the installed backup script failed"
fi

# ---- no test hooks in the packaged binaries (BK_TEST_HOOKS=OFF, kiosk/AUTOMATION.md) --------
# The fault hook: every commit of the connection "loses its answer" in a test build;
# the packaged bapasctl must not read it, so a check-in succeeds normally.
fdb=$tmp/fault.db
all=$(seq -s, 1 64)
if "$ctl" --config "$cfg" --db "$fdb" init --demo > "$tmp/out" 2>&1 &&
    BK_FAULT_LOST_ACK=$all "$ctl" --config "$cfg" --db "$fdb" --json checkin 240001 --birth 2001-11-09 \
        --purpose report > "$tmp/out" 2>&1 && grep -q '"code"' "$tmp/out"; then
    ok "packaged bapasctl ignores BK_FAULT_LOST_ACK: the check-in succeeds"
else
    bad "packaged bapasctl honours BK_FAULT_LOST_ACK (or the check-in failed)"
fi
BAPAS_NOW=2026-12-07T03:00:00Z "$ctl" --config "$cfg" --db "$fdb" queue > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "BAPAS_NOW is a test aid, not in this build" "$tmp/out"; then
    ok "packaged bapasctl refuses BAPAS_NOW (exit 2)"
else
    bad "packaged bapasctl BAPAS_NOW: exit $rc"
fi
if [ "$expect_kiosk" = 1 ]; then
    printf 'exec touch %s\nquit\n' "$tmp/exec-ran" > "$tmp/exec.script"
    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy BAPAS_SCRIPT_EXEC=1 timeout 60 \
        "$root/usr/bin/bapas-kiosk" --config "$cfg" --db "$fdb" --windowed 800x480 \
        --script "$tmp/exec.script" > "$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 1 ] && grep -q "exec is a test-only extension, not in this build" "$tmp/out" &&
        [ ! -e "$tmp/exec-ran" ]; then
        ok "packaged bapas-kiosk refuses the script command exec (and did not run it)"
    else
        bad "packaged bapas-kiosk script exec: exit $rc$([ -e "$tmp/exec-ran" ] && echo ', the command ran')"
    fi
fi

# ---- the units as installed -----------------------------------------------------------------
sh "$(dirname "$0")/verify_units.sh" "$root/lib/systemd/system" --root "$root" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "systemd-analyze verify on the unpacked units"
elif [ $rc -eq 77 ]; then echo "# skipped: $(head -1 "$tmp/out")"
else bad "systemd-analyze verify on the unpacked units"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
