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
# Exit 77 (CTest: skipped) when the PostgreSQL server package is absent.
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
if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    cat "$dir/server.log" >&2
    exit 1
fi
if ! as_pg "$bin/createdb" -h "$dir" -U "$user" bapas_test; then
    exit 1
fi
export BK_TEST_DB_URI="postgresql:///bapas_test?host=$dir&user=$user"
export BK_TEST_PG_DIR="$dir"
export BK_TEST_PG_BIN="$bin"
"$@"
rc=$?
[ $rc -ne 0 ] && tail -n 20 "$dir/server.log" >&2
exit $rc
