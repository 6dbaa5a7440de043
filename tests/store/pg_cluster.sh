#!/bin/sh
# pg_cluster.sh CMD [ARGS...] — run CMD against a throwaway PostgreSQL cluster.
#
# initdb in a fresh temporary directory, a server listening only on a Unix
# socket in that directory (no TCP), trust authentication for the local
# `postgres` role; CMD runs with BK_TEST_DB_URI set to a libpq URI of a fresh
# database, BK_TEST_PG_DIR to the directory (for restarting the server:
# `runuser -u postgres -- $BK_TEST_PG_BIN/pg_ctl -D $BK_TEST_PG_DIR/data restart`)
# and BK_TEST_PG_BIN to the server binaries. The server is stopped and the
# directory removed afterwards, whatever CMD's outcome; CMD's status is ours.
#
# With BK_TEST_PG_TLS=1 the server also listens on 127.0.0.1 on a free port
# with ssl=on, a throwaway CA and a server certificate for CN=localhost (made
# with openssl; plain TCP is rejected by pg_hba), and CMD also gets
# BK_TEST_PG_TLS_URI (host=localhost, sslmode=verify-full, sslrootcert=the
# CA), BK_TEST_PG_TLS_CA (the CA file) and BK_TEST_PG_PORT (the port, which
# BK_TEST_DB_URI then names too). Without it nothing of this happens.
#
# Exit 77 (CTest: skipped) when the PostgreSQL server package is absent (or,
# with BK_TEST_PG_TLS=1, openssl).
# initdb refuses to run as root, so as root the server runs as the
# `postgres` system user (created by Debian's postgresql package).
set -u

bin=""
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && bin=$d
done
if [ -z "$bin" ] && command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
    [ -x "$d/initdb" ] && bin=$d
fi
if [ -z "$bin" ]; then
    echo "pg_cluster.sh: SKIP: the PostgreSQL server is not installed (apt-get install postgresql)" >&2
    exit 77
fi
tls=${BK_TEST_PG_TLS:-0}
if [ "$tls" = 1 ] && ! command -v openssl >/dev/null 2>&1; then
    echo "pg_cluster.sh: SKIP: BK_TEST_PG_TLS=1 needs openssl (apt-get install openssl)" >&2
    exit 77
fi

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

dir=$(mktemp -d /tmp/bk-pg.XXXXXX) || exit 1
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
user=$(as_pg id -un)
cleanup() {
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM

if ! as_pg "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
fi
cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = on
max_connections = 60
CONF

# TLS (opt-in): a CA and a server certificate for localhost, valid two days.
make_tls() {
    t="$dir/tls"
    mkdir "$t" || return 1
    ext="subjectAltName=DNS:localhost"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
        -subj "/CN=bapas test CA" -keyout "$t/ca.key" -out "$t/ca.crt" &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -subj "/CN=localhost" -keyout "$t/server.key" -out "$t/server.csr" &&
    printf '%s\n' "$ext" >"$t/server.ext" &&
    openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" \
        -CAcreateserial -days 2 -extfile "$t/server.ext" -out "$t/server.crt" || return 1
    chmod 600 "$t/server.key" "$t/ca.key"
    [ "$(id -u)" = 0 ] && chown -R postgres "$t"
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
ssl = on
ssl_cert_file = '$t/server.crt'
ssl_key_file = '$t/server.key'
CONF
    # TCP only with TLS; the Unix socket stays as it was.
    { echo "hostnossl all all all reject"; cat "$dir/data/pg_hba.conf"; } >"$t/hba" &&
        cat "$t/hba" >"$dir/data/pg_hba.conf"
}
if [ "$tls" = 1 ]; then
    if ! make_tls >"$dir/tls.log" 2>&1; then
        cat "$dir/tls.log" >&2
        exit 1
    fi
fi

# A free TCP port (TLS): try random ones until the server binds one. The
# default (no TLS) starts exactly as before: the default port, socket only.
popt=""
tries=1
[ "$tls" = 1 ] && tries=20
started=0
while [ $tries -gt 0 ]; do
    tries=$((tries - 1))
    if [ "$tls" = 1 ]; then
        port=$(($(od -An -N2 -tu2 /dev/urandom) % 20000 + 30000))
        popt="-p $port"
    fi
    # $popt is empty or "-p N": split on purpose
    # shellcheck disable=SC2086
    if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" ${popt:+-o "$popt"} -w -t 60 \
            start >/dev/null; then
        started=1
        break
    fi
done
if [ $started = 0 ]; then
    cat "$dir/server.log" >&2
    exit 1
fi
# shellcheck disable=SC2086
if ! as_pg "$bin/createdb" -h "$dir" $popt -U "$user" bapas_test; then
    exit 1
fi
if [ "$tls" = 1 ]; then
    export BK_TEST_DB_URI="postgresql:///bapas_test?host=$dir&port=$port&user=$user"
    export BK_TEST_PG_PORT="$port"
    export BK_TEST_PG_TLS_CA="$dir/tls/ca.crt"
    export BK_TEST_PG_TLS_URI="postgresql://$user@localhost:$port/bapas_test?hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert=$dir/tls/ca.crt"
else
    export BK_TEST_DB_URI="postgresql:///bapas_test?host=$dir&user=$user"
fi
export BK_TEST_PG_DIR="$dir"
export BK_TEST_PG_BIN="$bin"
"$@"
rc=$?
[ $rc -ne 0 ] && tail -n 20 "$dir/server.log" >&2
exit $rc
