#!/usr/bin/env bash
# A PostgreSQL server on loopback for the store tests, from Debian's
# packages. Source it (`. tests/postgres/ci.sh`) to get PARALLAX_TEST_PG and
# PARALLAX_REQUIRE_PG=1 exported; run it to just start the server and print
# the URL. Idempotent: installs only when no server binaries are found,
# initialises the data folder once, starts the server only when it is down.
#
# Each step checks its own status (`set -e` does not apply inside a
# function whose caller tests it).
#
# Knobs: PARALLAX_PG_DIR (data, socket and log; default /tmp/parallax-pg),
# PARALLAX_PG_PORT (default 54329).

parallax_pg_setup() {
    local dir="${PARALLAX_PG_DIR:-/tmp/parallax-pg}"
    local port="${PARALLAX_PG_PORT:-54329}"
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "== installing PostgreSQL (Debian packages)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq || return 1
        apt-get install -y -qq postgresql >/dev/null || return 1
        bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    fi
    # initdb and the server refuse to run as root: use the postgres user the
    # package created when we are root, else ourselves.
    local as=()
    if [ "$(id -u)" = 0 ]; then
        as=(runuser -u postgres --)
    fi
    mkdir -p "$dir" || return 1
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir" || return 1
    fi
    if [ ! -s "$dir/data/PG_VERSION" ]; then
        echo "== initialising a PostgreSQL cluster in $dir/data"
        "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
            --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log"; return 1; }
    fi
    if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "== starting PostgreSQL on 127.0.0.1:$port"
        # A throw-away test server: durability is not what is tested.
        "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            >/dev/null || { cat "$dir/server.log"; return 1; }
    fi
    local psql=("${as[@]}" "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'parallax'")" != 1 ]; then
        "${psql[@]}" -c "CREATE ROLE parallax LOGIN PASSWORD 'parallax'" >/dev/null || return 1
    fi
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'parallax'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE parallax OWNER parallax" >/dev/null || return 1
    fi
    export PARALLAX_TEST_PG="postgres://parallax:parallax@127.0.0.1:$port/parallax"
    export PARALLAX_REQUIRE_PG=1
    echo "== PostgreSQL ready: PARALLAX_TEST_PG=$PARALLAX_TEST_PG"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    parallax_pg_setup
else
    parallax_pg_setup || return 1
fi
