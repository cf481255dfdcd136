#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 (as the postgres user) and print its URL.
# Usage: source .ci/postgres.sh   (sets TEST_DATABASE_URL and registers a stop on exit)
set -euo pipefail
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  apt-get install -y -q postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDATA=$(mktemp -d)
PGSOCK=$(mktemp -d)
PGPORT=${PGPORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
chown postgres:postgres "$PGDATA" "$PGSOCK"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGSOCK -c fsync=off" start >/dev/null
runuser -u postgres -- "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres designations_test
stop_postgres() { runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true; }
trap stop_postgres EXIT
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/designations_test"
echo "PostgreSQL test server: $TEST_DATABASE_URL"
