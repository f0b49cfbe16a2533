#!/usr/bin/env bash
# Runs the whole suite twice: on SQLite, then on PostgreSQL (TEST_DATABASE_URL, by default the
# local server at 127.0.0.1:5432, database test, user postgres). With CI=true PostgreSQL is
# required: if it cannot be reached the run fails; elsewhere its tests skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/python -m pytest"
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"

echo "== Tests on SQLite"
TEST_DATABASE_URL= $PYTEST "$@"

echo "== Tests on PostgreSQL"
if [ "${CI:-}" = "true" ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  # The server is installed on CI machines but may have stopped; start it before giving up.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
TEST_DATABASE_URL="$PG_URL" $PYTEST "$@"
