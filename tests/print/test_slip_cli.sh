#!/usr/bin/env bash
# test_slip_cli.sh — bapasctl slip / lookup end to end on a real database:
#   demo office + check-ins (incl. a long office name and a long PK name),
#   PNG slips at 58 and 80 mm decoded with zbarimg and resolved with lookup,
#   ESC/POS slips decoded back to images by the test interpreter (width, strips,
#   cut, raster and native QR), --print to a device file and to a refusing
#   network printer (exit code, audit row), and lookup fuzzing.
# usage: test_slip_cli.sh BAPASCTL ESCPOS2PNG OUTDIR
set -u
# Needs the test hooks (BAPAS_NOW, script exec): skipped (77) in a build without them.
if [ "${BK_TEST_HOOKS:-1}" != 1 ]; then echo "SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)"; exit 77; fi
BAPASCTL=$1
ESC2PNG=$2
OUT=$3
rm -rf "$OUT"
mkdir -p "$OUT"
DB=$OUT/bapas.db
PASS=0
FAILS=0

ok() { PASS=$((PASS + 1)); }
bad() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
die() { echo "FAIL: $*" >&2; exit 1; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

command -v zbarimg >/dev/null || die "zbarimg not found: install zbar-tools (deploy/deps.sh)"

# A fixed instant (Monday 2 March 2026, 10:00 WIB) so slips are reproducible.
export BAPAS_NOW=2026-03-02T03:00:00Z
LONG_OFFICE="Balai Pemasyarakatan Kelas I Jakarta Timur-Utara dan Kepulauan Seribu Wilayah X"
LONG_PK="Prof. Dr. Hj. Raden Ajeng Sri Wahyuningsih Kusumawardhani Tjokroadisoerjo-Mangkunegaran, S.H."
write_config() { # target paper
    cat >"$OUT/kiosk.ini" <<EOF
[office]
name = $LONG_OFFICE
slip_footer = Simpan slip ini sampai nomor Anda dipanggil.
[printer]
target = $1
paper = $2
timeout_ms = 1500
EOF
}
write_config "$OUT/lp0.bin" 80
export BAPAS_CONFIG=$OUT/kiosk.ini

B() { "$BAPASCTL" --db "$DB" "$@"; }
# First value of "key": in bapasctl's indented JSON (top-level keys come first).
field() { grep -m1 "\"$1\":" | sed -E 's/^[^:]*: *"?([^",]*)"?,?$/\1/'; }
zbar() { zbarimg --raw -q -Sdisable -Sqrcode.enable "$1" 2>/dev/null | tr -d '\r\n'; }

B init --demo >/dev/null || die "init --demo failed"
B officer add --id PK99 --name "$LONG_PK" --room "Ruang Konseling Perorangan Lantai Dua" >/dev/null \
    || die "officer add failed"
B client add --no 249999 --name "Klien Rahasia" --birth 1980-02-03 --officer PK99 --program CB \
    --report-every 14 >/dev/null || die "client add failed"

# Check-ins: demo clients 240001 (PK01), 240003 (PK03 away -> substitute PK05),
# 240010 (report every 14 days), the long-named PK's client, and a walk-in.
birth_of() { B --json client show "$1" | field birth_date; }
IDS=()
for spec in "240001 report" "240003 counseling" "240010 report" "249999 report" "240002 drug-test"; do
    set -- $spec
    b=$(birth_of "$1")
    B --json checkin "$1" --birth "$b" --purpose "$2" >"$OUT/checkin-$1.json" \
        || die "checkin $1 failed: $(cat "$OUT/checkin-$1.json")"
    IDS+=("$(field id <"$OUT/checkin-$1.json")")
done
B --json walkin --purpose other >"$OUT/walkin.json" || die "walkin failed"
IDS+=("$(field id <"$OUT/walkin.json")")
echo "tickets: ${IDS[*]}"

# ---- PNG at 58 and 80 mm: zbarimg -> lookup -> the same ticket -------------
for id in "${IDS[@]}"; do
    for paper in 58 80; do
        png=$OUT/slip-$id-$paper.png
        B --json slip "$id" --png "$png" --paper "$paper" >"$OUT/slip-$id-$paper.json" \
            || { bad "slip $id --png ($paper mm) failed: $(cat "$OUT/slip-$id-$paper.json")"; continue; }
        w=$(field width <"$OUT/slip-$id-$paper.json")
        want_w=$([ "$paper" = 58 ] && echo 384 || echo 576)
        check '[ "$w" = "$want_w" ]' "slip $id: width $w, want $want_w"
        payload=$(zbar "$png")
        check '[[ "$payload" =~ ^BPK1:[A-Z2-7]{26}$ ]]' "slip $id ($paper mm): QR read \"$payload\""
        got=$(B --json lookup "$payload" | field id)
        check '[ "$got" = "$id" ]' "lookup of slip $id ($paper mm) gave \"$got\""
    done
done

# ---- ESC/POS: decode back to an image; width, strips, cut; QR -> lookup ----
for id in "${IDS[0]}" "${IDS[3]}"; do
    for paper in 58 80; do
        for mode in raster native; do
            bin=$OUT/slip-$id-$paper-$mode.bin
            extra=$([ $mode = native ] && echo --native-qr || true)
            B slip "$id" --escpos "$bin" --paper "$paper" $extra >/dev/null \
                || { bad "slip $id --escpos $paper $mode failed"; continue; }
            dots=$([ "$paper" = 58 ] && echo 384 || echo 576)
            info=$("$ESC2PNG" "$bin" "$bin.png" "$dots") || { bad "ESC/POS of $id not understood"; continue; }
            check '[[ "$info" == *"bad_width=0 "* ]]' "$id $paper $mode: raster width is not $dots dots: $info"
            check '[[ "$info" == *" cuts=1 "* && "$info" == *"bytes_after_cut=0 "* ]]' \
                "$id $paper $mode: no single final cut: $info"
            strips=$(sed -E 's/.*strips=([0-9]+).*/\1/' <<<"$info")
            maxrows=$(sed -E 's/.*max_strip_rows=([0-9]+).*/\1/' <<<"$info")
            check '[ "$strips" -ge 2 ] && [ "$maxrows" -le 128 ]' "$id $paper $mode: strips=$strips max_rows=$maxrows"
            nq=$([ $mode = native ] && echo 1 || echo 0)
            check '[[ "$info" == *"native_qr=$nq"* ]]' "$id $paper $mode: native QR count: $info"
            payload=$(zbar "$bin.png")
            got=$(B --json lookup "$payload" | field id)
            check '[ "$got" = "$id" ]' "ESC/POS slip $id ($paper $mode): lookup gave \"$got\" for \"$payload\""
        done
    done
done

# ---- --print to a device file = the --escpos bytes ------------------------
id=${IDS[1]}
B slip "$id" --escpos "$OUT/expect.bin" >/dev/null || bad "escpos for print compare failed"
: >"$OUT/lp0.bin"
B slip "$id" --print >"$OUT/print.txt" 2>&1
check '[ $? -eq 0 ]' "slip --print to a device file failed: $(cat "$OUT/print.txt")"
check 'cmp -s "$OUT/expect.bin" "$OUT/lp0.bin"' "printed bytes differ from --escpos output"

# ---- --print to a refusing network printer: exit 1, reason, audit row -----
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 9)
write_config "127.0.0.1:$port" 58
start=$(date +%s%N)
B --json slip "$id" --print >"$OUT/print-fail.json" 2>"$OUT/print-fail.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check '[ $rc -eq 1 ]' "print to a refusing printer exited $rc, want 1"
check 'grep -q "refused" "$OUT/print-fail.err"' "no 'refused' in: $(cat "$OUT/print-fail.err")"
check '[ $ms -lt 3000 ]' "refused connection took $ms ms"
if command -v sqlite3 >/dev/null; then
    n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE action = 'print_failed' AND ticket_id = $id AND detail LIKE '%reason=refused%'")
    check '[ "$n" = 1 ]' "audit has $n print_failed rows for ticket $id"
else
    echo "note: sqlite3 CLI not installed; the audit row is checked in test_printer instead"
fi
write_config none 80
B slip "$id" --print >/dev/null 2>"$OUT/print-none.err"
check '[ $? -eq 2 ]' "print with target none should exit 2"
check 'grep -q "disabled" "$OUT/print-none.err"' "no 'disabled' message: $(cat "$OUT/print-none.err")"
write_config "$OUT/lp0.bin" 80

# ---- lookup: scanner line endings, stdin, usage ---------------------------
payload=$(zbar "$OUT/slip-${IDS[0]}-80.png")
got=$(printf '%s\r\n' "$payload" | B --json lookup - | field id)
check '[ "$got" = "${IDS[0]}" ]' "lookup - with CRLF gave \"$got\""
B lookup >/dev/null 2>&1
check '[ $? -eq 2 ]' "lookup without a payload should exit 2"

# ---- lookup fuzz: mutated, random and forged payloads ----------------------
ALPHA=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567
RANDOM=4242
mutate() { # a payload -> a mutated one
    local p=$1 n=${#1} k=$((RANDOM % 7)) i=$((RANDOM % ${#1}))
    case $k in
    0) echo "${p:0:i}" ;;                                            # truncated
    1) echo "${p}${ALPHA:RANDOM%32:1}" ;;                             # too long
    2) echo "${p:0:i}${ALPHA:RANDOM%32:1}${p:i+1}" ;;                 # one symbol changed
    3) echo "${p,,}" ;;                                               # lower case
    4) echo "BPK2${p:4}" ;;                                           # other version
    5) echo "${p:0:i}$(head -c 3 /dev/urandom | base64 | tr -d '\n')${p:i+1}" ;;
    6) echo " $p" ;;
    esac
}
declare -A seen
fuzz_fail=0
for round in $(seq 1 150); do
    m=$(mutate "$payload")
    [ "$m" = "$payload" ] && continue
    out=$(B --json lookup "$m" 2>/dev/null)
    rc=$?
    case $rc in
    3) [[ "$out" == *'"not_found"'* ]] || { bad "fuzz: exit 3 without not_found for '$m'"; fuzz_fail=1; } ;;
    4) [[ "$out" == *'"invalid"'* ]] || { bad "fuzz: exit 4 without invalid for '$m'"; fuzz_fail=1; } ;;
    *) bad "fuzz: lookup '$m' exited $rc"; fuzz_fail=1 ;;
    esac
    seen[$rc]=1
done
for round in $(seq 1 50); do
    g=$(head -c $((RANDOM % 48 + 1)) /dev/urandom | tr -d '\0' | base64 -w0)
    B lookup "$g" >/dev/null 2>&1
    rc=$?
    [ $rc -eq 4 ] || { bad "fuzz: garbage '$g' exited $rc, want 4"; fuzz_fail=1; }
done
# Forged: well-formed, canonical, but no such ticket.
for round in $(seq 1 50); do
    t=""
    for k in $(seq 1 25); do t+=${ALPHA:RANDOM%32:1}; done
    t+=$(echo AEIMQUY4 | cut -c$((RANDOM % 8 + 1)))
    B lookup "BPK1:$t" >/dev/null 2>"$OUT/forged.err"
    rc=$?
    [ $rc -eq 3 ] || { bad "forged BPK1:$t exited $rc, want 3"; fuzz_fail=1; }
done
check 'grep -q "no ticket" "$OUT/forged.err"' "forged token message: $(cat "$OUT/forged.err")"
check '[ "${seen[3]:-}" = 1 ] && [ "${seen[4]:-}" = 1 ]' "fuzz did not reach both exit 3 and 4"
[ $fuzz_fail -eq 0 ] && ok

echo "$PASS passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
