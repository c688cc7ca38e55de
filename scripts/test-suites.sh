#!/usr/bin/env bash
# The suite on PostgreSQL and on SQLite (the embedded default that `make run` uses), both at
# once: most of a test's time is spent waiting on a database, a server process or a socket,
# so two runs share the two cores well and `make test` stays under ten minutes. Each run's
# output is printed whole when both are done; the exit status is non-zero if either failed.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${TEST_DATABASE_URL:?}"
logs=$(mktemp -d)
DATABASE_URL="$TEST_DATABASE_URL" .venv/bin/python -m pytest >"$logs/postgresql.log" 2>&1 &
postgresql=$!
DATABASE_URL="sqlite:///$PWD/test-db.sqlite3" .venv/bin/python -m pytest >"$logs/sqlite.log" 2>&1 &
sqlite=$!
wait "$postgresql"; postgresql_status=$?
wait "$sqlite"; sqlite_status=$?
echo "== The suite on PostgreSQL ($TEST_DATABASE_URL)"
cat "$logs/postgresql.log"
echo "== The same suite on SQLite, the embedded default that make run uses"
cat "$logs/sqlite.log"
rm -rf "$logs"
echo "== PostgreSQL: $([ $postgresql_status -eq 0 ] && echo passed || echo FAILED);" \
    "SQLite: $([ $sqlite_status -eq 0 ] && echo passed || echo FAILED)"
[ $postgresql_status -eq 0 ] && [ $sqlite_status -eq 0 ]
