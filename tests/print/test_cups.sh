#!/usr/bin/env bash
# test_cups.sh — printing through a real CUPS server: a private cupsd (own
# config, spool and socket in a temp dir) with two queues:
#   * the cups-pdf virtual printer (driver queue: gets the slip as a 203 dpi
#     PNG); the PDF it writes is rasterised with pdftoppm and its QR decoded
#     with zbarimg, then resolved with bapasctl lookup;
#   * a raw queue on CUPS's socket backend to a loopback TCP "printer"
#     (tcp_sink): it must receive the ESC/POS bytes unchanged.
# Plus failures: an unknown queue and a disabled queue (exit 1, audit rows).
# Exits 77 (CTest: skipped) with the reason when CUPS cannot run here.
# usage: test_cups.sh BAPASCTL TCP_SINK OUTDIR
set -u
# Needs the test hooks (BAPAS_NOW, script exec): skipped (77) in a build without them.
if [ "${BK_TEST_HOOKS:-1}" != 1 ]; then echo "SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)"; exit 77; fi
BAPASCTL=$1
SINK=$2
OUT=$3
skip() { echo "SKIPPED: $*"; exit 77; }
die() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root: the cups-pdf backend runs as root and reads its queue config from /etc/cups"
for tool in cupsd lpadmin cupsdisable pdftoppm zbarimg; do
    command -v $tool >/dev/null || skip "$tool not installed (Debian: cups, cups-client, poppler-utils, zbar-tools)"
done
[ -x /usr/lib/cups/backend/cups-pdf ] || skip "cups-pdf backend missing (Debian: printer-driver-cups-pdf)"
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
[ -f $PPD ] || skip "cups-pdf PPD missing ($PPD)"
[ -d /etc/cups ] || skip "/etc/cups missing"

rm -rf "$OUT"
mkdir -p "$OUT"
D=$(mktemp -d /tmp/bk-cups-XXXXXX)
chmod 755 "$D"
mkdir -p "$D"/{spool,cache,state,log,tmp,pdf}
chmod 1777 "$D/tmp" "$D/pdf"
Q=bktest_$$_$RANDOM
QCONF=/etc/cups/cups-pdf-$Q.conf
CUPSD_PID=
SINK_PID=
cleanup() {
    [ -n "$CUPSD_PID" ] && kill "$CUPSD_PID" 2>/dev/null && wait "$CUPSD_PID" 2>/dev/null
    [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
    rm -f "$QCONF"
    cp -r "$D/log" "$OUT/cups-log" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 1' INT TERM # still clean up /etc/cups when killed by a timeout

cat >"$D/cupsd.conf" <<EOF
Listen $D/cups.sock
LogLevel info
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
cat >"$D/cups-files.conf" <<EOF
ServerRoot $D
RequestRoot $D/spool
CacheDir $D/cache
StateDir $D/state
TempDir $D/tmp
AccessLog $D/log/access_log
ErrorLog $D/log/error_log
PageLog $D/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
User lp
Group lp
SystemGroup root
FileDevice Yes
Printcap $D/printcap
EOF
# cups-pdf reads /etc/cups/cups-pdf-<name>.conf for device URI cups-pdf:/<name>.
cat >"$QCONF" <<EOF
Out $D/pdf
AnonDirName $D/pdf
Log $D/log
Label 0
UserUMask 0022
EOF

cupsd -f -c "$D/cupsd.conf" -s "$D/cups-files.conf" >"$D/log/cupsd.out" 2>&1 &
CUPSD_PID=$!
for i in $(seq 1 100); do
    [ -S "$D/cups.sock" ] && lpstat -h "$D/cups.sock" -r >/dev/null 2>&1 && break
    kill -0 "$CUPSD_PID" 2>/dev/null || skip "cupsd exited at start: $(tail -3 "$D/log/cupsd.out" "$D/log/error_log" 2>/dev/null)"
    sleep 0.1
done
lpstat -h "$D/cups.sock" -r >/dev/null 2>&1 || skip "cupsd did not come up within 10 s"
export CUPS_SERVER=$D/cups.sock

lpadmin -h "$D/cups.sock" -p "$Q" -v "cups-pdf:/$Q" -P "$PPD" -E 2>/dev/null \
    || skip "lpadmin could not create the cups-pdf queue"
"$SINK" "$D/sink.port" "$D/raw.bin" 60 &
SINK_PID=$!
for i in $(seq 1 50); do [ -s "$D/sink.port" ] && break; sleep 0.1; done
[ -s "$D/sink.port" ] || die "tcp_sink did not start"
lpadmin -h "$D/cups.sock" -p "${Q}_raw" -v "socket://127.0.0.1:$(cat "$D/sink.port")" -E 2>/dev/null \
    || die "lpadmin could not create the raw queue"
echo "cupsd pid $CUPSD_PID, queues $Q and ${Q}_raw"

export BAPAS_NOW=2026-03-02T03:00:00Z
DB=$OUT/bapas.db
B() { "$BAPASCTL" --db "$DB" "$@"; }
field() { grep -m1 "\"$1\":" | sed -E 's/^[^:]*: *"?([^",]*)"?,?$/\1/'; }
config() {
    printf '[office]\nname = Bapas Kelas I Jakarta Timur-Utara\n[printer]\ntarget = %s\npaper = 80\n' "$1" >"$OUT/kiosk.ini"
}
export BAPAS_CONFIG=$OUT/kiosk.ini
config none
B init --demo >/dev/null || die "init --demo"
birth=$(B --json client show 240001 | field birth_date)
id=$(B --json checkin 240001 --birth "$birth" --purpose report | field id)
[ -n "$id" ] || die "checkin failed"

# 1. cups-pdf: PNG through the CUPS filters into a PDF; decode its QR.
config "cups:$Q"
B slip "$id" --print || die "slip --print to cups:$Q failed"
pdf=
for i in $(seq 1 600); do
    pdf=$(ls "$D"/pdf/*.pdf 2>/dev/null | head -1)
    [ -n "$pdf" ] && ! lpstat -h "$D/cups.sock" -o "$Q" 2>/dev/null | grep -q . && break
    sleep 0.1
done
[ -n "$pdf" ] || die "cups-pdf wrote no PDF in 60 s: $(tail -5 "$D/log/error_log")"
cp "$pdf" "$OUT/slip.pdf"
pdftoppm -r 200 -png "$OUT/slip.pdf" "$OUT/page" || die "pdftoppm failed"
payload=$(zbarimg --raw -q -Sdisable -Sqrcode.enable "$OUT"/page*.png 2>/dev/null | tr -d '\r\n')
[[ "$payload" =~ ^BPK1:[A-Z2-7]{26}$ ]] || die "no slip QR in the PDF (read \"$payload\")"
got=$(B --json lookup "$payload" | field id)
[ "$got" = "$id" ] || die "PDF's QR resolves to \"$got\", want $id"
echo "ok: cups-pdf PDF decodes to ticket $id"

# 2. raw queue: the ESC/POS bytes arrive unchanged.
config "cups:${Q}_raw"
B slip "$id" --escpos "$OUT/expect.bin" >/dev/null || die "slip --escpos"
B slip "$id" --print >/dev/null || die "slip --print to the raw queue failed"
wait "$SINK_PID" # the socket backend closes the connection at the end of the job
SINK_PID=
cmp -s "$OUT/expect.bin" "$D/raw.bin" || die "raw queue got other bytes than --escpos ($(stat -c %s "$D/raw.bin" 2>/dev/null) vs $(stat -c %s "$OUT/expect.bin"))"
echo "ok: raw queue received the ESC/POS stream byte for byte"

# 3. failures: an unknown queue, then a disabled one.
config "cups:no_such_queue_$$"
B slip "$id" --print >/dev/null 2>"$OUT/noqueue.err"
rc=$?
[ $rc = 1 ] || die "unknown queue: exit $rc, want 1"
grep -q "no CUPS queue" "$OUT/noqueue.err" || die "unknown queue message: $(cat "$OUT/noqueue.err")"
cupsdisable -h "$D/cups.sock" "$Q" || die "cupsdisable"
config "cups:$Q"
B slip "$id" --print >/dev/null 2>"$OUT/disabled.err"
rc=$?
[ $rc = 1 ] || die "disabled queue: exit $rc, want 1"
grep -q "stopped" "$OUT/disabled.err" || die "disabled queue message: $(cat "$OUT/disabled.err")"
if command -v sqlite3 >/dev/null; then
    n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE action = 'print_failed' AND ticket_id = $id")
    [ "$n" = 2 ] || die "audit has $n print_failed rows, want 2"
fi
echo "ok: unknown and stopped queues fail with exit 1 and an audit row"
echo "3 passed, 0 failed"
