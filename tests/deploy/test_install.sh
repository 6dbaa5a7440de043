#!/bin/sh
# test_install.sh SRC BUILD_DIR DEB_VERSION
# A real `dpkg -i` of the package, in a throw-away copy of this machine: a
# private mount namespace with an overlay over / (all changes land in a temp
# directory and vanish), chrooted. Checks the maintainer scripts end to end:
# first install (user, groups, directories, database, enabled units), an
# upgrade (pre-upgrade backup, local config kept, data kept), a refused
# downgrade, an allowed one, remove and purge (data kept). Needs root,
# unshare (a private mount namespace: not in a chroot) and overlayfs; exit
# 77 (skipped, with the reason) without them.
set -u
src=$1
build=$2
version=$3
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1 ||
    ! command -v fakeroot >/dev/null 2>&1; then
    echo "SKIP: needs root, unshare, dpkg-deb and fakeroot"
    exit 77
fi
# A private mount namespace needs a root that is a mount point: inside a
# chroot (a debootstrap test system, a build chroot) unshare fails with
# "cannot change root filesystem propagation". Probe before building.
if ! why=$(unshare -m --propagation private true 2>&1); then
    echo "SKIP: no private mount namespace here (in a chroot?): ${why:-unshare failed}"
    exit 77
fi
tmp=$(mktemp -d /tmp/bk-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if ! sh "$src/deploy/build-deb.sh" --build-dir "$build" --out "$tmp/debs" > "$tmp/build.log" 2>&1; then
    cat "$tmp/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
deb1=$(tail -1 "$tmp/build.log")
# The "next release": the same package as version REV+1 (control and preinst).
v2="${version%-*}-$((${version##*-} + 1))"
dpkg-deb -R "$deb1" "$tmp/pkg2"
sed -i "s/^Version: .*/Version: $v2/" "$tmp/pkg2/DEBIAN/control"
sed -i "s/$version/$v2/g" "$tmp/pkg2/DEBIAN/preinst" "$tmp/pkg2/DEBIAN/postinst" \
    "$tmp/pkg2/DEBIAN/prerm" "$tmp/pkg2/DEBIAN/postrm"
deb2=$tmp/debs/bapas-kiosk_${v2}.deb
fakeroot dpkg-deb -b "$tmp/pkg2" "$deb2" > /dev/null

cat > "$tmp/inner.sh" <<'INNER'
#!/bin/sh
# runs chrooted in the overlay copy
set -u
v1=$1; v2=$2; deb1=$3; deb2=$4
unset BAPAS_SERVICE_USER BAPAS_ASSETS BAPAS_CONFIG BAPAS_DB
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ ! -f /tmp/out ] || sed 's/^/    | /' /tmp/out | tail -30; }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }
ver() { dpkg-query -W -f '${Version}' bapas-kiosk 2>/dev/null; }
S=/var/lib/bapas-kiosk

# ---- first install
dpkg -i "$deb1" > /tmp/out 2>&1
check '[ $? -eq 0 ]' "dpkg -i $v1 (first install)"
check '[ "$(ver)" = "$v1" ]' "installed version $v1"
check 'grep -q "bapas-kiosk is installed" /tmp/out' "the first install says what to do next"
check 'getent passwd bapas-kiosk > /dev/null' "system user bapas-kiosk created"
check '[ "$(id -u bapas-kiosk)" -lt 1000 ]' "it is a system user (uid < 1000)"
check '[ "$(getent passwd bapas-kiosk | cut -d: -f6,7)" = "$S:/usr/sbin/nologin" ]' "home $S, no login shell"
for g in lp video input render audio; do
    check 'id -nG bapas-kiosk | tr " " "\n" | grep -qx $g' "bapas-kiosk is in group $g"
done
check '[ "$(stat -c %U:%G:%a $S)" = bapas-kiosk:bapas-kiosk:2770 ]' "$S is bapas-kiosk's, 2770"
check '[ "$(stat -c %U:%G:%a $S/backups)" = bapas-kiosk:bapas-kiosk:2750 ]' "$S/backups is bapas-kiosk's, 2750"
check '[ "$(stat -c %U $S/bapas.db)" = bapas-kiosk ]' "the database was created by the service user"
check '[ "$(stat -c %a $S/bapas.db)" = 660 ]' "the database is 0660 (the group can write it)"
check '[ "$(readlink /etc/systemd/system/multi-user.target.wants/bapas-kiosk.service)" = /lib/systemd/system/bapas-kiosk.service ]' "bapas-kiosk.service enabled at boot"
check '[ -L /etc/systemd/system/timers.target.wants/bapas-backup.timer ]' "bapas-backup.timer enabled"
check '[ ! -e /etc/systemd/system/multi-user.target.wants/bapas-board.service ]' "the board is not enabled"
bapasctl doctor --check config,database,files,assets,service > /tmp/out 2>&1
check '[ $? -eq 0 ]' "doctor passes on the installed system (config, database, files, assets, user)"
check 'grep -Eq "^OK +assets +/usr/share/bapas-kiosk/assets:" /tmp/out' "installed programs find /usr/share/bapas-kiosk/assets by themselves"

# ---- some data, a local config edit
runuser -u bapas-kiosk -- bapasctl init --demo > /tmp/out 2>&1
check '[ $? -eq 0 ]' "demo data loaded by the service user"
bapasctl --json officer list > /tmp/officers.json 2>/dev/null
check '[ -s /tmp/officers.json ] && grep -q "\"id\"" /tmp/officers.json' "officers are in the database"
sed -i 's/^name = Balai Pemasyarakatan$/name = Bapas Uji Coba/' /etc/bapas-kiosk/kiosk.ini
check 'grep -q "^name = Bapas Uji Coba" /etc/bapas-kiosk/kiosk.ini' "local edit of kiosk.ini"

# ---- upgrade (of a database an older version made 0644)
chmod 0644 $S/bapas.db
dpkg -i --force-confold "$deb2" > /tmp/out 2>&1
check '[ $? -eq 0 ]' "dpkg -i $v2 (upgrade)"
check '[ "$(ver)" = "$v2" ]' "installed version $v2"
check '[ "$(stat -c %a $S/bapas.db)" = 660 ]' "the upgrade made the old 0644 database 0660"
pre=$(ls $S/backups/pre-upgrade-from-$v1-*.db 2>/dev/null | head -1)
check '[ -n "$pre" ]' "the upgrade made a pre-upgrade backup"
check 'grep -q "backing up the database before the upgrade" /tmp/out' "the upgrade says it backed up"
check '[ -n "$pre" ] && bapasctl --db "$pre" doctor --check database > /tmp/out 2>&1' \
    "the pre-upgrade backup is a healthy database"
[ -z "$pre" ] || bapasctl --db "$pre" --json officer list > /tmp/officers-pre.json 2>/dev/null
check '[ -n "$pre" ] && cmp -s /tmp/officers.json /tmp/officers-pre.json' "the pre-upgrade backup has the data"
bapasctl --json officer list > /tmp/officers-after.json 2>/dev/null
check 'cmp -s /tmp/officers.json /tmp/officers-after.json' "the data survived the upgrade"
check 'grep -q "^name = Bapas Uji Coba" /etc/bapas-kiosk/kiosk.ini' "the local config edit survived the upgrade"

# ---- downgrade refused, then allowed
dpkg -i "$deb1" > /tmp/out 2>&1
check '[ $? -ne 0 ]' "dpkg -i $v1 over $v2 fails"
check 'grep -q "REFUSING TO DOWNGRADE" /tmp/out' "with the reason"
check '[ "$(ver)" = "$v2" ]' "$v2 is still installed and configured"
check '[ "$(dpkg-query -W -f "\${Status}" bapas-kiosk)" = "install ok installed" ]' "the package state is clean"
BAPAS_ALLOW_DOWNGRADE=1 dpkg -i "$deb1" > /tmp/out 2>&1
check '[ $? -eq 0 ] && [ "$(ver)" = "$v1" ]' "BAPAS_ALLOW_DOWNGRADE=1 lets the downgrade through"

# ---- remove, purge
dpkg -r bapas-kiosk > /tmp/out 2>&1
check '[ $? -eq 0 ]' "dpkg -r"
check '[ ! -e /usr/bin/bapasctl ] && [ ! -e /lib/systemd/system/bapas-kiosk.service ]' "programs and units removed"
check '[ -f /etc/bapas-kiosk/kiosk.ini ]' "the config stays after remove"
check '[ -f $S/bapas.db ]' "the database stays after remove"
dpkg -P bapas-kiosk > /tmp/out 2>&1
check '[ $? -eq 0 ]' "dpkg -P (purge)"
check '[ ! -e /etc/bapas-kiosk ]' "purge removed /etc/bapas-kiosk"
check '[ -f $S/bapas.db ] && [ -n "$(ls $S/backups/pre-upgrade-*.db)" ]' "purge kept the database and the backups"
check 'grep -q "were kept" /tmp/out' "purge says the data was kept"
check '[ ! -e /etc/systemd/system/multi-user.target.wants/bapas-kiosk.service ] && [ ! -e /etc/systemd/system/timers.target.wants/bapas-backup.timer ]' "purge removed the enable links"

# ---- install again over the kept data
dpkg -i "$deb2" > /tmp/out 2>&1
check '[ $? -eq 0 ]' "install again after purge"
bapasctl --json officer list > /tmp/officers-again.json 2>/dev/null
check 'cmp -s /tmp/officers.json /tmp/officers-again.json' "the kept data is used again"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
INNER

cp "$deb1" "$tmp/debs/v1.deb"
# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m --propagation private sh -eu -c '
    tmp=$1
    mkdir -p "$tmp/upper" "$tmp/work" "$tmp/merged"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$tmp/merged" || exit 77
    for d in proc sys dev dev/pts; do mount --bind "/$d" "$tmp/merged/$d"; done
    mkdir -p "$tmp/merged/root/bk-install"
    cp "$tmp/debs/v1.deb" "$tmp/debs/bapas-kiosk_$3.deb" "$tmp/inner.sh" "$tmp/merged/root/bk-install/"
    exec chroot "$tmp/merged" sh /root/bk-install/inner.sh "$2" "$3" /root/bk-install/v1.deb "/root/bk-install/bapas-kiosk_$3.deb"
' sh "$tmp" "$version" "$v2"
rc=$?
if [ $rc -eq 77 ]; then
    echo "SKIP: overlayfs over / is not possible here"
fi
exit $rc
