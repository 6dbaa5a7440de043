#!/bin/sh
# TLS to the server (run by pg_cluster.sh with BK_TEST_PG_TLS=1): bapasctl
# works over sslmode=verify-full with the cluster's CA, and a wrong CA, a
# wrong host name or a missing CA file are refused at once with a message
# that says why (no hang, exit 1). pg_hba rejects plain TCP, so every TCP
# connection that succeeds here is encrypted.
# Usage: test_tls.sh BAPASCTL
set -u
# Needs the test hooks (BAPAS_NOW, script exec): skipped (77) in a build without them.
if [ "${BK_TEST_HOOKS:-1}" != 1 ]; then echo "SKIP: needs the test hooks (built with BK_TEST_HOOKS=OFF)"; exit 77; fi
B=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -n "${BK_TEST_PG_TLS_URI:-}" ] || fail "BK_TEST_PG_TLS_URI is not set (run with BK_TEST_PG_TLS=1 pg_cluster.sh)"
D=$(mktemp -d /tmp/bk-tls.XXXXXX)
trap 'rm -rf "$D"' EXIT
export BAPAS_NOW=2026-12-07T03:00:00Z
TLS=$BK_TEST_PG_TLS_URI
port=$BK_TEST_PG_PORT
ca=$BK_TEST_PG_TLS_CA
pguser=$(echo "$BK_TEST_DB_URI" | sed -n 's/.*[?&]user=\([^&]*\).*/\1/p')

# ---- verify-full with the right CA ------------------------------------------
$B --db "$TLS" init --demo >"$D/out" 2>&1 || fail "init over TLS: $(cat "$D/out")"
code=$($B --db "$TLS" --json walkin --purpose other | sed -n 's/.*"code": "\(.*\)".*/\1/p')
[ -n "$code" ] || fail "walk-in over TLS gave no code"
$B --db "$TLS" queue >"$D/out" 2>&1 || fail "queue over TLS: $(cat "$D/out")"
grep -q "$code" "$D/out" || fail "queue over TLS does not list $code"
if command -v psql >/dev/null 2>&1; then
    ssl=$(psql -X -A -t "$TLS" -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    [ "$ssl" = t ] || fail "psql over the TLS URI is not encrypted ($ssl)"
fi

# Plain TCP is refused, so the successes above were TLS.
plain="postgresql://localhost:$port/bapas_test?hostaddr=127.0.0.1&user=$pguser&sslmode=disable"
if $B --db "$plain" queue >"$D/out" 2>&1; then fail "plain TCP accepted"; fi
grep -q "no encryption" "$D/out" || fail "plain TCP: unexpected message: $(cat "$D/out")"

# ---- refusals: quick, exit 1, and the reason in the message ------------------
# refused NAME URI TEXT: bapasctl queue must fail within 10 s saying TEXT.
refused() {
    t0=$(date +%s)
    timeout 30 "$B" --db "$2" queue >"$D/out" 2>&1
    rc=$?
    t1=$(date +%s)
    [ $rc -ne 124 ] || fail "$1: bapasctl hung (killed after 30 s)"
    [ $rc -eq 1 ] || fail "$1: exit $rc, expected 1: $(cat "$D/out")"
    [ $((t1 - t0)) -le 10 ] || fail "$1: took $((t1 - t0)) s"
    grep -q "$3" "$D/out" || fail "$1: message lacks \"$3\": $(cat "$D/out")"
    echo "refused ($1): $(cat "$D/out")"
}

# A CA that did not sign the server's certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj "/CN=some other CA" -keyout "$D/other.key" -out "$D/other.crt" >/dev/null 2>&1 ||
    fail "openssl could not make the second CA"
refused "wrong CA" "$(echo "$TLS" | sed "s|sslrootcert=[^&]*|sslrootcert=$D/other.crt|")" \
    "certificate verify failed"
# The right CA, but the name connected to is not the certificate's (localhost).
refused "wrong host name" \
    "postgresql://$pguser@127.0.0.1:$port/bapas_test?sslmode=verify-full&sslrootcert=$ca" \
    "does not match host name"
refused "missing CA file" "$(echo "$TLS" | sed "s|sslrootcert=[^&]*|sslrootcert=$D/none.crt|")" \
    "does not exist"

# Nothing was written by the refused attempts.
n=$($B --db "$TLS" --json queue | grep -c '"code"')
[ "$n" -ge 1 ] || fail "queue over TLS is empty after the refusals"
echo "tls: verify-full works; wrong CA, wrong host name, missing CA and plain TCP are refused"
