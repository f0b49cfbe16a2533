#!/usr/bin/env bash
# Runs the whole suite twice, on SQLite and on PostgreSQL (TEST_DATABASE_URL, by default the
# local server at 127.0.0.1:5432, database test, user postgres), the two runs side by side (one
# core each) unless TEST_ONE_AT_A_TIME=1. Each run's output is shown whole when it ends. With
# CI=true PostgreSQL is required: if it cannot be reached the run fails; elsewhere its tests
# skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/python -m pytest"
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"

if [ "${CI:-}" = "true" ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  # The server is installed on CI machines but may have stopped; start it before giving up.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi

if [ "${TEST_ONE_AT_A_TIME:-}" = "1" ]; then
  echo "== Tests on SQLite"
  TEST_DATABASE_URL= $PYTEST "$@"
  echo "== Tests on PostgreSQL"
  TEST_DATABASE_URL="$PG_URL" $PYTEST "$@"
  exit 0
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
echo "== Tests on SQLite and on PostgreSQL, side by side (about ten minutes)"
TEST_DATABASE_URL= $PYTEST "$@" >"$logs/sqlite" 2>&1 &
sqlite_run=$!
TEST_DATABASE_URL="$PG_URL" $PYTEST "$@" >"$logs/postgresql" 2>&1 &
postgresql_run=$!
sqlite_status=0
wait "$sqlite_run" || sqlite_status=$?
echo "== Tests on SQLite (exit $sqlite_status)"
cat "$logs/sqlite"
postgresql_status=0
wait "$postgresql_run" || postgresql_status=$?
echo "== Tests on PostgreSQL (exit $postgresql_status)"
cat "$logs/postgresql"
if [ "$sqlite_status" -ne 0 ] || [ "$postgresql_status" -ne 0 ]; then
  echo "== Failed: SQLite exit $sqlite_status, PostgreSQL exit $postgresql_status"
  exit 1
fi
