#!/bin/sh
# test_profiles.sh SRC BUILD_DIR DEB_VERSION
# The machine's role (debconf question bapas-kiosk/role), installed for real
# with dpkg in a throw-away overlay copy of this machine (as test_install.sh):
# each role enables its own units and nothing else; no answer (a
# non-interactive install) enables nothing; dpkg-reconfigure changes the
# role; an upgrade keeps the admin's choices; an install made before roles
# existed keeps what it did (kiosk stays kiosk, a board stays a board).
# "Enabled" is what `systemctl is-enabled` says in the chroot (offline).
# Needs root, unshare, overlayfs, dpkg-deb, fakeroot; exit 77 without them.
set -u
src=$1
build=$2
version=$3
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1 ||
    ! command -v fakeroot >/dev/null 2>&1 || ! command -v systemctl >/dev/null 2>&1; then
    echo "SKIP: needs root, unshare, dpkg-deb, fakeroot and systemctl"
    exit 77
fi
# A private mount namespace needs a root that is a mount point: inside a
# chroot unshare fails ("cannot change root filesystem propagation").
if ! why=$(unshare -m --propagation private true 2>&1); then
    echo "SKIP: no private mount namespace here (in a chroot?): ${why:-unshare failed}"
    exit 77
fi
tmp=$(mktemp -d /tmp/bk-profiles-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if ! sh "$src/deploy/build-deb.sh" --build-dir "$build" --out "$tmp/debs" > "$tmp/build.log" 2>&1; then
    cat "$tmp/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
deb1=$(tail -1 "$tmp/build.log")
v2="${version%-*}-$((${version##*-} + 1))"
dpkg-deb -R "$deb1" "$tmp/pkg2"
sed -i "s/^Version: .*/Version: $v2/" "$tmp/pkg2/DEBIAN/control"
for s in preinst postinst prerm postrm config; do
    sed -i "s/$version/$v2/g" "$tmp/pkg2/DEBIAN/$s"
done
fakeroot dpkg-deb -b "$tmp/pkg2" "$tmp/debs/v2.deb" > /dev/null
cp "$deb1" "$tmp/debs/v1.deb"

cat > "$tmp/inner.sh" <<'INNER'
#!/bin/sh
# runs chrooted in the overlay copy
set -u
v1=$1; v2=$2; deb1=$3; deb2=$4
unset BAPAS_SERVICE_USER BAPAS_ASSETS BAPAS_CONFIG BAPAS_DB DEBCONF_RECONFIGURE
export DEBIAN_FRONTEND=noninteractive
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ ! -f /tmp/out ] || sed 's/^/    | /' /tmp/out | tail -30; }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }
UNITS="bapas-kiosk.service bapas-kiosk-cage.service bapas-board.service bapas-backup.timer bapas-backup.service"
# Our enabled units, one line, in the order of $UNITS ("-" for none).
enabled() {
    e=
    for u in $UNITS; do
        [ "$(systemctl is-enabled "$u" 2>/dev/null)" != enabled ] || e="$e $u"
    done
    echo "${e# }" | sed 's/^$/-/'
}
expect() { # WANT WHAT
    got=$(enabled)
    if [ "$got" = "$1" ]; then ok "$2: enabled: $1"; else bad "$2: enabled: $got (wanted $1)"; fi
}
preseed() { echo "bapas-kiosk bapas-kiosk/role select $1" | debconf-set-selections; }
role_of() { echo "GET bapas-kiosk/role" | debconf-communicate bapas-kiosk 2>/dev/null | sed 's/^0 //'; }
purge() { dpkg -P bapas-kiosk > /tmp/out 2>&1 || bad "purge"; }
S=/var/lib/bapas-kiosk

# the offline view works here at all (else every answer below is "-")
check '[ "$(systemctl is-enabled getty@tty1.service 2>/dev/null)" != "" ]' "systemctl is-enabled answers in the chroot"

# ---- no answer: a non-interactive first install enables nothing
dpkg -i "$deb1" > /tmp/out 2>&1
check '[ $? -eq 0 ]' "install without an answer"
expect - "no answer (default staff)"
check '[ "$(role_of)" = staff ]' "the default role is staff"
check 'grep -q "Role \"staff\": nothing starts" /tmp/out' "the install says nothing starts, and how to change it"
purge

# ---- each role, preseeded, on a fresh install
for r in kiosk board server staff; do
    preseed $r
    dpkg -i "$deb1" > /tmp/out 2>&1
    check '[ $? -eq 0 ]' "install as $r"
    case $r in
    kiosk) want="bapas-kiosk.service bapas-backup.timer" ;; # database on this machine
    board) want="bapas-board.service" ;;
    server) want="bapas-backup.timer" ;;
    staff) want="-" ;;
    esac
    expect "$want" "role $r"
    check '[ "$(cat $S/.role 2>/dev/null)" = $r ]' "role $r recorded"
    purge
    check '[ "$(enabled)" = - ] && [ ! -e $S/.role ]' "purge after $r leaves nothing enabled"
done

# ---- kiosk: an upgrade keeps the admin's choices (cage instead of KMSDRM)
preseed kiosk
dpkg -i "$deb1" > /tmp/out 2>&1
systemctl disable bapas-kiosk.service > /dev/null 2>&1
systemctl enable bapas-kiosk-cage.service > /dev/null 2>&1
dpkg -i "$deb2" > /tmp/out 2>&1
check '[ $? -eq 0 ]' "upgrade of a kiosk"
expect "bapas-kiosk-cage.service bapas-backup.timer" "upgrade of a kiosk switched to cage"

# ---- dpkg-reconfigure: to board, then back to kiosk (cage kept), then a kiosk on PostgreSQL
preseed board
dpkg-reconfigure bapas-kiosk > /tmp/out 2>&1
check '[ $? -eq 0 ]' "dpkg-reconfigure to board"
check '! grep -q "backing up the database" /tmp/out' "dpkg-reconfigure takes no pre-upgrade backup (nothing is migrated)"
expect "bapas-board.service" "reconfigured kiosk -> board"
preseed kiosk
dpkg-reconfigure bapas-kiosk > /tmp/out 2>&1
# (the board role disabled the cage link, so the kiosk is the KMSDRM one again)
expect "bapas-kiosk.service bapas-backup.timer" "reconfigured board -> kiosk"
sed -i 's|^path = /var/lib/bapas-kiosk/bapas.db$|path = postgresql://kiosk_lobby@db.office.lan/bapas?sslmode=verify-full|' /etc/bapas-kiosk/kiosk.ini
check 'grep -q "^path = postgresql://" /etc/bapas-kiosk/kiosk.ini' "config now names a PostgreSQL server"
dpkg-reconfigure bapas-kiosk > /tmp/out 2>&1
check '[ $? -eq 0 ]' "dpkg-reconfigure a kiosk on PostgreSQL"
expect "bapas-kiosk.service" "a kiosk of a PostgreSQL office takes no backup"
purge

# ---- an install from before roles existed: no debconf answer, no .role,
# and the units that version's postinst enabled (kiosk + backup timer)
old_install() { # UNITS...
    preseed staff
    dpkg -i "$deb1" > /tmp/out 2>&1
    rm -f $S/.role
    echo "PURGE" | debconf-communicate bapas-kiosk > /dev/null 2>&1
    for u in "$@"; do systemctl enable "$u" > /dev/null 2>&1; done
}
old_install bapas-kiosk.service bapas-backup.timer
check '[ ! -e $S/.role ] && [ "$(role_of)" != kiosk ]' "old install simulated (no role anywhere)"
dpkg -i "$deb2" > /tmp/out 2>&1
check '[ $? -eq 0 ]' "upgrade of a pre-role kiosk"
expect "bapas-kiosk.service bapas-backup.timer" "a pre-role kiosk stays a kiosk"
check '[ "$(role_of)" = kiosk ] && [ "$(cat $S/.role)" = kiosk ]' "its role is now kiosk"
check 'grep -q "keeps its role \"kiosk\"" /tmp/out' "the upgrade says so"
purge
old_install bapas-board.service bapas-backup.timer
dpkg -i "$deb2" > /tmp/out 2>&1
expect "bapas-board.service bapas-backup.timer" "a pre-role board keeps its units"
check '[ "$(role_of)" = board ]' "its role is now board"
purge
old_install
dpkg -i "$deb2" > /tmp/out 2>&1
expect - "a pre-role install with everything off"
check '[ "$(role_of)" = staff ]' "its role is now staff"
purge

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
INNER

# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m --propagation private sh -eu -c '
    tmp=$1
    mkdir -p "$tmp/upper" "$tmp/work" "$tmp/merged"
    mount -t overlay overlay -o "lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work" "$tmp/merged" || exit 77
    for d in proc sys dev dev/pts; do mount --bind "/$d" "$tmp/merged/$d"; done
    mkdir -p "$tmp/merged/root/bk-profiles"
    cp "$tmp/debs/v1.deb" "$tmp/debs/v2.deb" "$tmp/inner.sh" "$tmp/merged/root/bk-profiles/"
    exec chroot "$tmp/merged" sh /root/bk-profiles/inner.sh "$2" "$3" /root/bk-profiles/v1.deb /root/bk-profiles/v2.deb
' sh "$tmp" "$version" "$v2"
rc=$?
if [ $rc -eq 77 ]; then
    echo "SKIP: overlayfs over / is not possible here"
fi
exit $rc
