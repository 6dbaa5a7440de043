#!/bin/sh
# bapas-web's login sessions over real HTTP (issue 14): a real daemon on a
# free loopback port, curl as the browser, the database written by the real
# bapasctl. Login (same 401 for an unknown user and a wrong password),
# cookie flags, GET /api/me, logout with and without the CSRF header, a
# disabled user's session dies, lockout and `bapasctl user unlock`, bad
# bodies. Under pg_cluster.sh (BK_TEST_DB_URI) the database is PostgreSQL.
#
# usage: test_web.sh BAPASCTL BAPAS_WEB
set -u
B=$1
W=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "test_web: SKIP: curl missing" >&2; exit 77; }
D=$(mktemp -d /tmp/bk-web.XXXXXX)
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$D"
}
trap cleanup EXIT
unset BAPAS_NOW
DB=${BK_TEST_DB_URI:-$D/office.db}
cat >"$D/web.ini" <<INI
[accounts]
hash_iterations = 1
hash_memory_kib = 64
login_failures = 3
lockout_minutes = 10
INI
$B --db "$DB" init >/dev/null || fail "init"
$B --db "$DB" officer add --id PK01 --name "Budi Santoso" >/dev/null || fail "officer add"
printf 'rahasia-siti-1\n' | $B --config "$D/web.ini" --db "$DB" user add siti --role pk --officer PK01 \
    >/dev/null || fail "user add siti"
printf 'rahasia-rina-1\n' | $B --config "$D/web.ini" --db "$DB" user add rina --role reception \
    >/dev/null || fail "user add rina"

$W --listen 127.0.0.1:0 --db "$DB" --config "$D/web.ini" >"$D/out" 2>"$D/err" &
pid=$!
i=0
while ! grep -q "^listening on" "$D/out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 200 ] && fail "bapas-web did not start: $(cat "$D/err")"
    kill -0 "$pid" 2>/dev/null || fail "bapas-web exited: $(cat "$D/err")"
    sleep 0.05
done
BASE="http://$(sed -n 's/^listening on //p' "$D/out")"

# req NAME METHOD PATH [curl args...]: body to $D/NAME.body, headers to
# $D/NAME.hdr; prints the status code.
req() {
    n=$1 m=$2 p=$3
    shift 3
    curl -s -o "$D/$n.body" -D "$D/$n.hdr" -w '%{http_code}' -X "$m" "$@" "$BASE$p"
}
expect() { [ "$1" = "$2" ] || fail "$3: status $1, wanted $2: $(cat "$D/$4.body" 2>/dev/null)"; }
J='Content-Type: application/json'

# Unknown user and wrong password: the same answer.
expect "$(req unknown POST /api/login -H "$J" -d '{"user":"nobody","password":"rahasia-siti-1"}')" 401 "unknown user" unknown
expect "$(req wrong POST /api/login -H "$J" -d '{"user":"siti","password":"salah-sekali"}')" 401 "wrong password" wrong
cmp -s "$D/unknown.body" "$D/wrong.body" || fail "unknown user and wrong password answer differently"
grep -qi '^set-cookie' "$D/wrong.hdr" && fail "a failed login set a cookie"

# Bad bodies: 400, 413, and nothing logged in.
expect "$(req bad1 POST /api/login -H "$J" -d '{"user":"siti"')" 400 "invalid JSON" bad1
expect "$(req bad2 POST /api/login -H "$J" -d '{"user":"siti","password":5}')" 400 "wrong type" bad2
expect "$(req bad3 POST /api/login -H "$J" -d '{"user":"siti","password":"rahasia-siti-1","x":1}')" 400 "unknown field" bad3
expect "$(req bad4 POST /api/login -H "$J" --data-binary "$(printf '{"user":"siti","password":"\377"}')")" 400 "invalid UTF-8" bad4
head -c 5000 /dev/zero | tr '\0' 'a' >"$D/big"
expect "$(req big POST /api/login -H "$J" --data-binary @"$D/big")" 413 "body too big" big
expect "$(req get GET /api/login)" 405 "GET login" get
expect "$(req nf GET /api/nothing)" 404 "unknown path" nf
expect "$(req anon GET /api/me)" 401 "me without a session" anon

# Login: the cookie, /api/me, the CSRF token.
expect "$(req login POST /api/login -H "$J" -c "$D/jar" -d '{"user":"Siti","password":"rahasia-siti-1"}')" 200 "login" login
grep -i '^set-cookie: bapas_session=' "$D/login.hdr" | grep -qi 'HttpOnly' || fail "cookie not HttpOnly"
grep -i '^set-cookie: bapas_session=' "$D/login.hdr" | grep -qi 'SameSite=Strict' || fail "cookie not SameSite=Strict"
grep -q '"user":"siti"' "$D/login.body" && grep -q '"role":"pk"' "$D/login.body" &&
    grep -q '"officer":"PK01"' "$D/login.body" || fail "login body: $(cat "$D/login.body")"
CSRF=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$D/login.body")
[ ${#CSRF} -eq 64 ] || fail "no csrf token: $(cat "$D/login.body")"
grep -q 'argon2' "$D/login.body" && fail "the hash was sent"
expect "$(req me GET /api/me -b "$D/jar")" 200 "me" me
grep -q "\"csrf\":\"$CSRF\"" "$D/me.body" || fail "me: $(cat "$D/me.body")"
expect "$(req forged GET /api/me -b 'bapas_session=0000000000000000000000000000000000000000000000000000000000000000')" 401 "forged cookie" forged

# Logout needs the CSRF header.
expect "$(req lo1 POST /api/logout -b "$D/jar")" 403 "logout without CSRF" lo1
expect "$(req lo2 POST /api/logout -b "$D/jar" -H "X-CSRF-Token: 1234")" 403 "logout with a wrong CSRF" lo2
expect "$(req me2 GET /api/me -b "$D/jar")" 200 "still logged in" me2
expect "$(req lo3 POST /api/logout -b "$D/jar" -H "X-CSRF-Token: $CSRF")" 200 "logout" lo3
expect "$(req me3 GET /api/me -b "$D/jar")" 401 "me after logout" me3

# A disabled user's session dies; enabled again, they log in again.
expect "$(req login2 POST /api/login -H "$J" -c "$D/jar2" -d '{"user":"rina","password":"rahasia-rina-1"}')" 200 "login rina" login2
$B --db "$DB" user disable rina >/dev/null || fail "user disable"
expect "$(req me4 GET /api/me -b "$D/jar2")" 401 "a disabled user's session" me4
expect "$(req login3 POST /api/login -H "$J" -d '{"user":"rina","password":"rahasia-rina-1"}')" 401 "disabled login" login3
cmp -s "$D/login3.body" "$D/wrong.body" || fail "a disabled account answers differently"
$B --db "$DB" user enable rina >/dev/null || fail "user enable"
expect "$(req login4 POST /api/login -H "$J" -d '{"user":"rina","password":"rahasia-rina-1"}')" 200 "enabled login" login4

# Lockout (3 failures in a row; the earlier one was reset by a success) and `user unlock`.
for k in 1 2 3; do
    expect "$(req f$k POST /api/login -H "$J" -d '{"user":"siti","password":"salah-sekali"}')" 401 "failure $k" f$k
done
expect "$(req locked POST /api/login -H "$J" -d '{"user":"siti","password":"rahasia-siti-1"}')" 401 "locked, right password" locked
$B --db "$DB" --json user list | grep -A5 '"siti"' | grep -q '"locked": true' || fail "siti is not locked"
$B --db "$DB" user unlock siti >/dev/null || fail "user unlock"
expect "$(req unlocked POST /api/login -H "$J" -d '{"user":"siti","password":"rahasia-siti-1"}')" 200 "after unlock" unlocked
$B --db "$DB" audit | grep -q user_lockout || fail "no user_lockout audit row"

kill "$pid"
wait "$pid" || fail "bapas-web did not stop cleanly on SIGTERM"
pid=""

# ---- HTTPS ([web] tls_cert/tls_key) and static files ([web] static_dir) ----
start() { # start CONFIG: the daemon on a free port; BASE its address
    # emptied here, not only by the child's redirection: the loop below must
    # not see the previous daemon's "listening on" before the child runs
    : >"$D/out"
    $W --listen 127.0.0.1:0 --db "$DB" --config "$1" >"$D/out" 2>"$D/err" &
    pid=$!
    i=0
    while ! grep -q "^listening on" "$D/out" 2>/dev/null; do
        i=$((i + 1))
        [ $i -gt 200 ] && fail "bapas-web did not start: $(cat "$D/err")"
        kill -0 "$pid" 2>/dev/null || fail "bapas-web exited: $(cat "$D/err")"
        sleep 0.05
    done
}
mkdir -p "$D/www/css" "$D/outside"
printf '<!doctype html><title>Bapas</title>\n' >"$D/www/index.html"
printf 'body{}\n' >"$D/www/css/app.css"
printf 'secret\n' >"$D/outside/secret.txt"
ln -s "$D/outside/secret.txt" "$D/www/link.txt"
printf 'hidden\n' >"$D/www/.hidden"
cp "$D/web.ini" "$D/static.ini"
printf '[web]\nstatic_dir = %s/www\n' "$D" >>"$D/static.ini"
start "$D/static.ini"
BASE="http://$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$D/out")"
expect "$(req st1 GET /)" 200 "static /" st1
grep -q '<title>Bapas</title>' "$D/st1.body" || fail "static index: $(cat "$D/st1.body")"
grep -qi '^content-type: text/html' "$D/st1.hdr" || fail "index.html type"
expect "$(req st2 GET /css/app.css)" 200 "static css" st2
grep -qi '^content-type: text/css' "$D/st2.hdr" || fail "css type"
expect "$(req st3 GET /link.txt)" 404 "a symlink out of the directory" st3
expect "$(req st4 GET /.hidden)" 404 "a hidden file" st4
expect "$(req st5 GET /css/../../outside/secret.txt --path-as-is)" 404 "path traversal" st5
expect "$(req st6 GET /%2e%2e/outside/secret.txt --path-as-is)" 404 "encoded traversal" st6
expect "$(req st7 POST /index.html)" 405 "POST a static file" st7
expect "$(req st8 GET /nothing.html)" 404 "a missing file" st8
grep -q secret "$D"/st*.body && fail "a file outside static_dir was served"
kill "$pid"; wait "$pid" || fail "bapas-web (static) did not stop cleanly"
pid=""

if command -v openssl >/dev/null 2>&1; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/key.pem" -out "$D/cert.pem" -days 2 \
        -subj /CN=127.0.0.1 >/dev/null 2>&1 || fail "openssl cannot make a test certificate"
    cp "$D/web.ini" "$D/tls.ini"
    printf '[web]\ntls_cert = %s/cert.pem\ntls_key = %s/key.pem\n' "$D" "$D" >>"$D/tls.ini"
    start "$D/tls.ini"
    grep -q '(https)' "$D/out" || fail "no https in: $(cat "$D/out")"
    BASE="https://$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$D/out")"
    expect "$(req tls1 POST /api/login --cacert "$D/cert.pem" -H "$J" -c "$D/tjar" -d '{"user":"rina","password":"rahasia-rina-1"}')" 200 "login over https" tls1
    grep -i '^set-cookie: bapas_session=' "$D/tls1.hdr" | grep -qi '; Secure' || fail "https cookie not Secure: $(cat "$D/tls1.hdr")"
    expect "$(req tls2 GET /api/me --cacert "$D/cert.pem" -b "$D/tjar")" 200 "me over https" tls2
    plain=$(curl -s -o /dev/null -w '%{http_code}' "http://${BASE#https://}/api/me")
    [ "$plain" = 000 ] || [ "$plain" -ge 400 ] || fail "plain HTTP to the https port answered $plain"
    kill "$pid"; wait "$pid" || fail "bapas-web (https) did not stop cleanly"
    pid=""
    # a key without a certificate: refused at start, exit 1 with the reason
    cp "$D/web.ini" "$D/half.ini"
    printf '[web]\ntls_key = %s/key.pem\n' "$D" >>"$D/half.ini"
    $W --listen 127.0.0.1:0 --db "$DB" --config "$D/half.ini" >"$D/out" 2>"$D/err" &&
        fail "started with a key and no certificate"
    grep -q 'tls_cert and tls_key go together' "$D/err" || fail "half TLS: $(cat "$D/err")"
else
    echo "test_web: openssl missing: HTTPS not tested" >&2
fi
echo "test_web: ok"
