#!/usr/bin/env bash
# Runs the whole suite twice: on SQLite, then on PostgreSQL (TEST_DATABASE_URL, by default the
# local server at 127.0.0.1:5432, database test, user postgres). Each run spreads the test files
# over TEST_JOBS processes (default 2, one a core; 1 runs them in this process), each with a
# database of its own. With CI=true PostgreSQL is required: if it cannot be reached the run
# fails; elsewhere its tests skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTEST=".venv/bin/python -m pytest"
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"
JOBS="${TEST_JOBS:-2}"
SPREAD=()
if [ "$JOBS" -gt 1 ]; then
  SPREAD=(-n "$JOBS" --dist loadfile)
fi

if [ "${CI:-}" = "true" ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  # The server is installed on CI machines but may have stopped; start it before giving up.
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi

echo "== Tests on SQLite"
sqlite_status=0
TEST_DATABASE_URL= $PYTEST "${SPREAD[@]}" "$@" || sqlite_status=$?

echo "== Tests on PostgreSQL"
postgresql_status=0
TEST_DATABASE_URL="$PG_URL" $PYTEST "${SPREAD[@]}" "$@" || postgresql_status=$?

if [ "$sqlite_status" -ne 0 ] || [ "$postgresql_status" -ne 0 ]; then
  echo "== Failed: SQLite exit $sqlite_status, PostgreSQL exit $postgresql_status"
  exit 1
fi
