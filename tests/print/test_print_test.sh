#!/bin/bash
# test_print_test.sh BAPASCTL TCP_SINK ESCPOS2PNG OUTDIR
# `bapasctl print-test`: a test slip through the real print path, to a
# loopback raw printer (tcp_sink) and to a device file; the bytes decoded by
# the test ESC/POS interpreter, its QR read back; the exit codes of the
# README's table; no database is opened or created.
set -u
BAPASCTL=$1
SINK=$2
ESC2PNG=$3
OUT=$4
rm -rf "$OUT"
mkdir -p "$OUT"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$1"; then ok "$2"; else bad "$2"; fi; }
zbar() { zbarimg --raw -q -Sdisable -Sqrcode.enable "$1" 2>/dev/null | tr -d '\r\n'; }

cfg() { printf '[office]\nname = Bapas Uji Cetak\n[printer]\ntarget = %s\npaper = 80\n' "$1" > "$OUT/kiosk.ini"; }
DB=$OUT/never.db
B() { "$BAPASCTL" --config "$OUT/kiosk.ini" --db "$DB" "$@"; }

# ---- to a loopback network printer, the target given with --printer --------
cfg none
"$SINK" "$OUT/port" "$OUT/net.bin" 20 &
sink=$!
i=0
while [ ! -s "$OUT/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$OUT/port")
B print-test --printer "127.0.0.1:$port" >"$OUT/net.txt" 2>&1
rc=$?
wait "$sink"
check '[ $rc -eq 0 ]' "print-test --printer 127.0.0.1:$port exits 0 (got $rc: $(cat "$OUT/net.txt"))"
check 'grep -q "printed a test slip on 127.0.0.1:$port" "$OUT/net.txt"' "it says where it printed"
info=$("$ESC2PNG" "$OUT/net.bin" "$OUT/net.png" 576)
check '[ $? -eq 0 ]' "the printer got an ESC/POS stream it understands: $info"
check '[[ "$info" == *"bad_width=0 "* && "$info" == *" cuts=1 "* && "$info" == *"bytes_after_cut=0 "* ]]' \
    "80 mm raster, one final cut: $info"
qr=$(zbar "$OUT/net.png")
check '[ "$qr" = "BPK1:TESCETAKTESCETAKTESCETAKAA" ]' "the sample QR reads back (\"$qr\")"
check '[ ! -e "$DB" ]' "no database opened or created"

# ---- the config's target (a device file) --------------------
: > "$OUT/lp0.bin"
cfg "$OUT/lp0.bin"
B print-test >"$OUT/dev.txt" 2>&1
check '[ $? -eq 0 ]' "print-test to the configured device file exits 0: $(cat "$OUT/dev.txt")"
check '[ -s "$OUT/lp0.bin" ] && "$ESC2PNG" "$OUT/lp0.bin" "$OUT/lp0.png" 576 >/dev/null' "device bytes decode"
check '[ "$(zbar "$OUT/lp0.png")" = "BPK1:TESCETAKTESCETAKTESCETAKAA" ]' "device slip: the sample QR"
: > "$OUT/lp58.bin"
B print-test --paper 58 --printer "$OUT/lp58.bin" >/dev/null 2>&1
info=$("$ESC2PNG" "$OUT/lp58.bin" "$OUT/lp58.png" 384)
check '[[ "$info" == *"bad_width=0 "* ]]' "--paper 58: 384 dots wide: $info"

# ---- --json ------------------------------------------------------------------
: > "$OUT/j.bin"
B --json print-test --printer "$OUT/j.bin" >"$OUT/j.json" 2>&1
check '[ $? -eq 0 ] && grep -q "\"state\": \"done\"" "$OUT/j.json" && grep -q "\"payload\": \"BPK1:TESCETAK" "$OUT/j.json"' \
    "--json: state done and the payload: $(tr -d '\n' < "$OUT/j.json")"

# ---- refusals and failures: the README's exit codes ----------------------------
B print-test --printer lp0 >"$OUT/bad.txt" 2>&1
rc=$?
check '[ $rc -eq 4 ]' "--printer lp0 is input rejected (exit 4, got $rc)"
check 'grep -q "\"lp0\" is not a printer target" "$OUT/bad.txt" && grep -q "/dev/usb/lp0" "$OUT/bad.txt"' \
    "the refusal names lp0 and the accepted forms: $(cat "$OUT/bad.txt")"
B --json print-test --printer lp0 >"$OUT/bad.json" 2>/dev/null
check 'grep -q "\"error\":\"invalid\"" "$OUT/bad.json"' "--json refusal: error invalid"
cfg lp0
B print-test >"$OUT/badcfg.txt" 2>&1
rc=$?
check '[ $rc -eq 2 ]' "a mistyped [printer] target is a usage error (exit 2, got $rc)"
check 'grep -q "config \[printer\] target \"lp0\"" "$OUT/badcfg.txt"' "it names the config's target"
cfg none
B print-test >"$OUT/none.txt" 2>&1
rc=$?
check '[ $rc -eq 2 ] && grep -q "printing is turned off" "$OUT/none.txt"' "target none: exit 2, says printing is off (got $rc)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
B print-test --printer "127.0.0.1:$port" >"$OUT/refused.txt" 2>&1
rc=$?
check '[ $rc -eq 1 ] && grep -q "refused" "$OUT/refused.txt"' "nobody listening: exit 1 with the reason (got $rc: $(cat "$OUT/refused.txt"))"
B print-test --paper 70 >/dev/null 2>&1
check '[ $? -eq 4 ]' "--paper 70: exit 4"
B print-test extra >/dev/null 2>&1
check '[ $? -eq 2 ]' "a stray word: exit 2"
check '[ ! -e "$DB" ]' "still no database"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
