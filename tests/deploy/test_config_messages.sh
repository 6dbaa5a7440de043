#!/bin/sh
# test_config_messages.sh BAPASCTL README
# The bad settings file shown in deploy/README.md (section 13) gives exactly
# the messages shown there, and a file with only warnings lets commands run.
set -u
bapasctl=$1
readme=$2
tmp=$(mktemp -d /tmp/bk-cfgmsg-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }

# Lines between <!-- NAME:begin --> and <!-- NAME:end -->, without the ``` fences.
block() {
    awk -v b="<!-- $1:begin -->" -v e="<!-- $1:end -->" '
        $0 == b { on = 1; next }
        $0 == e { on = 0 }
        on && !/^```/ { print }' "$readme"
}

block config-example > "$tmp/kiosk.ini"
block config-messages > "$tmp/expected.txt"
if [ ! -s "$tmp/kiosk.ini" ] || [ ! -s "$tmp/expected.txt" ]; then
    bad "README has the config-example and config-messages blocks"
else
    ok "README has the config-example and config-messages blocks"
fi

(cd "$tmp" && "$bapasctl" --config kiosk.ini --db "$tmp/x.db" queue >"$tmp/out.txt" 2>"$tmp/err.txt")
rc=$?
if [ "$rc" -eq 2 ]; then ok "a fatal config refuses to run (exit 2)"; else bad "exit $rc, wanted 2"; fi
if cmp -s "$tmp/expected.txt" "$tmp/err.txt"; then
    ok "stderr is exactly the documented messages"
else
    bad "stderr differs from the README:"
    diff "$tmp/expected.txt" "$tmp/err.txt" | sed 's/^/    /'
fi
if [ -e "$tmp/x.db" ]; then bad "no database was touched"; else ok "no database was touched"; fi

# Warnings only: the command runs, each warning with its line number.
printf '[kiosk]\nrotaton = 90\nidle_seconds = 5\n' > "$tmp/warn.ini"
(cd "$tmp" && "$bapasctl" --config warn.ini --db "$tmp/y.db" init >/dev/null 2>"$tmp/err2.txt")
rc=$?
if [ "$rc" -eq 0 ]; then ok "warnings only: the command runs"; else bad "warnings only: exit $rc"; fi
if grep -qx 'bapasctl: warn.ini:2: warning: unknown key "rotaton" in section \[kiosk\]; ignored' "$tmp/err2.txt" &&
   grep -qx 'bapasctl: warn.ini:3: warning: kiosk.idle_seconds: "5" is not a whole number from 10 to 600; using 30' "$tmp/err2.txt"; then
    ok "warnings carry file and line"
else
    bad "warnings carry file and line:"
    sed 's/^/    /' "$tmp/err2.txt"
fi

# An unreadable --config is refused with its name.
"$bapasctl" --config "$tmp/missing.ini" --db "$tmp/z.db" queue >/dev/null 2>"$tmp/err3.txt"
rc=$?
if [ "$rc" -eq 2 ] && grep -q "cannot read config file $tmp/missing.ini" "$tmp/err3.txt"; then
    ok "a missing --config file is refused"
else
    bad "a missing --config file: exit $rc"
    sed 's/^/    /' "$tmp/err3.txt"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
