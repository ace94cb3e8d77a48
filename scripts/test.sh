#!/usr/bin/env bash
# Installs what the tests need and runs them all: lint, migrations check, then the whole
# suite on SQLite and again on PostgreSQL (a throwaway test database on the local server).
# Extra arguments go to pytest, e.g. scripts/test.sh -k roster
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh test

PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/kefu}"
ensure_postgres

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> migrations are up to date"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null

# The two passes run side by side: each is one Python process that mostly waits on its own
# database or browser, so on two cores together they take little longer than the longer one.
# Each writes its files to test-artifacts/<database>/ (site/test_settings.py). The
# PostgreSQL pass's output is kept in a log and printed after the SQLite pass's.
# KEFU_TEST_SERIAL=1 runs them one after the other instead.
# The browser journeys run once, on SQLite: they drive the same views and queries the
# PostgreSQL pass already tests through the test client, and running them twice doubled the
# suite's time. KEFU_BROWSER_ON_POSTGRES=1 runs them on PostgreSQL too.
pg_args=()
if [ "${KEFU_BROWSER_ON_POSTGRES:-0}" != "1" ]; then
  pg_args=(--ignore=tests/browser)
fi
postgres_pass() {
  DATABASE_URL="$PG_URL" exec .venv/bin/pytest "${pg_args[@]}" "$@"
}

status=0
if [ "${KEFU_TEST_SERIAL:-0}" = "1" ]; then
  echo "==> pytest on SQLite"
  .venv/bin/pytest "$@" || status=$?
  echo "==> pytest on PostgreSQL ($PG_URL, test database created and dropped by pytest-django)"
  (postgres_pass "$@") || status=$?
  exit "$status"
fi

mkdir -p test-artifacts
pg_log=test-artifacts/pytest-postgresql.log
echo "==> pytest on PostgreSQL ($PG_URL) started alongside; its output follows the SQLite pass's"
(postgres_pass "$@") >"$pg_log" 2>&1 &
pg_pid=$!
trap 'kill "$pg_pid" 2>/dev/null || true' EXIT
echo "==> pytest on SQLite"
.venv/bin/pytest "$@" || status=$?
pg_status=0
wait "$pg_pid" || pg_status=$?
trap - EXIT
echo "==> pytest on PostgreSQL ($PG_URL, test database created and dropped by pytest-django)"
cat "$pg_log"
[ "$pg_status" -ne 0 ] && status=$pg_status
exit "$status"
