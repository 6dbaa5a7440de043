#!/bin/sh
# test_maintscripts.sh DEBIAN_DIR DEB_VERSION
# The maintainer scripts: valid sh, a downgrade is refused before anything
# is touched, the [database] path is read from the config like the programs
# do, unknown actions are refused. (Installing for real is not done here: it
# would create a system user on the test machine.)
set -u
src=$1
version=$2
tmp=$(mktemp -d /tmp/bk-maint-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ ! -f "$tmp/out" ] || sed 's/^/    | /' "$tmp/out"; }

for s in preinst postinst prerm postrm config; do
    sed "s/@BK_DEB_VERSION@/$version/g" "$src/$s.in" > "$tmp/$s"
    if sh -n "$tmp/$s"; then ok "$s is valid sh"; else bad "$s has a syntax error"; fi
    if grep -q '@[A-Z_]*@' "$tmp/$s"; then bad "$s has an unreplaced @VAR@"; else ok "$s fully configured"; fi
    if [ -x "$src/$s.in" ]; then ok "$s.in is executable (configure_file keeps the mode)"; else bad "$s.in is not executable"; fi
done
if command -v shellcheck >/dev/null 2>&1; then
    if shellcheck -s sh -e SC1091 "$tmp/preinst" "$tmp/postinst" "$tmp/prerm" "$tmp/postrm" "$tmp/config" > "$tmp/out" 2>&1; then
        ok "shellcheck is clean"
    else
        bad "shellcheck complains"
    fi
else
    echo "# skipped: shellcheck not installed"
fi

# A downgrade is refused, first thing.
sh "$tmp/preinst" upgrade 99.0.0-1 "$version" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "REFUSING TO DOWNGRADE from 99.0.0-1 to $version" "$tmp/out"; then
    ok "preinst refuses a downgrade"
else
    bad "downgrade: exit $rc"
fi
if grep -q "BAPAS_ALLOW_DOWNGRADE=1" "$tmp/out" && grep -q "pre-upgrade" "$tmp/out"; then
    ok "the refusal says how to go back on purpose"
else
    bad "the refusal does not explain the way back"
fi
sh "$tmp/preinst" install 99.0.0-1 "$version" > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 1 ]; then ok "reinstalling an older version over a removed newer one is refused"; else bad "install over newer: exit $rc"; fi
sh "$tmp/preinst" install > "$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "a first install passes the preinst"; else bad "first install preinst: exit $rc"; fi
for s in preinst prerm postrm; do
    sh "$tmp/$s" bogus-action > "$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq 1 ]; then ok "$s refuses an unknown action"; else bad "$s bogus-action: exit $rc"; fi
done

# The role question (debconf): asked at priority high, default "staff"
# (nothing enabled) for a non-interactive install; config and postinst read
# a pre-role install's units the same way.
tpl=$src/templates
if grep -q '^Template: bapas-kiosk/role$' "$tpl" && grep -q '^Type: select$' "$tpl" &&
    grep -q '^Choices-C: kiosk, board, server, staff$' "$tpl" && grep -q '^Default: staff$' "$tpl"; then
    ok "templates: bapas-kiosk/role, select kiosk/board/server/staff, default staff"
else
    bad "the role template is not as documented"
fi
nchoices=$(sed -n 's/^Choices: //p' "$tpl" | awk -F', ' '{print NF}')
if [ "$nchoices" = 4 ]; then ok "templates: 4 translated choices for 4 roles"; else bad "templates: $nchoices choices"; fi
if grep -q '^db_input high bapas-kiosk/role' "$tmp/config"; then ok "config asks at priority high"; else bad "config does not ask at priority high"; fi
sed -n '/^role_from_units() {/,/^}/p' "$tmp/config" > "$tmp/r1"
sed -n '/^role_from_units() {/,/^}/p' "$tmp/postinst" > "$tmp/r2"
if [ -s "$tmp/r1" ] && cmp -s "$tmp/r1" "$tmp/r2"; then ok "config and postinst read the old role the same way"; else bad "role_from_units differs"; fi
sed -n '/^unit_enabled() {/,/^}/p' "$tmp/config" > "$tmp/r1"
sed -n '/^unit_enabled() {/,/^}/p' "$tmp/postinst" > "$tmp/r2"
if [ -s "$tmp/r1" ] && cmp -s "$tmp/r1" "$tmp/r2"; then ok "config and postinst see enabled units the same way"; else bad "unit_enabled differs"; fi
# role_units(): which units each role enables (the postinst's table)
fnr=$tmp/fnr.sh
{ sed -n '/^unit_enabled() {/,/^}/p' "$tmp/postinst"; sed -n '/^role_units() {/,/^}/p' "$tmp/postinst"; } > "$fnr"
check_role() { # ROLE DB EXPECTED
    got=$(sh -c ". '$fnr'; role_units '$1' '$2'" | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" = "$3" ]; then ok "role $1${2:+ (database $2)}${2:- (PostgreSQL)}: $3"; else bad "role $1: got '$got', wanted '$3'"; fi
}
check_role kiosk /var/lib/bapas-kiosk/bapas.db "bapas-kiosk.service bapas-backup.timer"
check_role kiosk "" "bapas-kiosk.service"
check_role board /var/lib/bapas-kiosk/bapas.db "bapas-board.service"
check_role server "" "bapas-backup.timer"
check_role staff /var/lib/bapas-kiosk/bapas.db ""

# db_path() as the preinst/postinst use it (and bapas-restore.sh the same way).
fn=$tmp/fn.sh
sed -n '/^db_path() {/,/^}/p' "$tmp/preinst" > "$fn"
if ! cmp -s "$fn" "$(sed -n '/^db_path() {/,/^}/p' "$tmp/postinst" > "$tmp/fn2.sh"; echo "$tmp/fn2.sh")"; then
    bad "preinst and postinst read the database path differently"
else
    ok "preinst and postinst read the database path the same way"
fi
check_path() { # WHAT CONFIG-TEXT EXPECTED
    printf '%b' "$2" > "$tmp/k.ini"
    got=$(CONFIG=$tmp/k.ini sh -c ". '$fn'; db_path")
    if [ "$got" = "$3" ]; then ok "db path: $1"; else bad "db path: $1: got '$got', wanted '$3'"; fi
}
check_path "default without the key" '[office]\nname = X\n' /var/lib/bapas-kiosk/bapas.db
check_path "from [database]" '[office]\nname = X\n[database]\npath = /srv/bapas/x.db\n' /srv/bapas/x.db
check_path "note after the value" '[database]\npath = /srv/x.db   ; moved\n' /srv/x.db
check_path "case and spacing" '[Database]\n  PATH=/a/b.db\n' /a/b.db
check_path "a section the programs do not know either" '[ database ]\npath = /a/b.db\n' /var/lib/bapas-kiosk/bapas.db
check_path "same key in another section" '[printer]\npath = /dev/null\n' /var/lib/bapas-kiosk/bapas.db
check_path "commented out" '[database]\n# path = /x.db\n;path = /y.db\n' /var/lib/bapas-kiosk/bapas.db
check_path "CRLF line ends" '[database]\r\npath = /w/x.db\r\n' /w/x.db
check_path "no config file" '' /var/lib/bapas-kiosk/bapas.db

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
