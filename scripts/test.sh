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

status=0
echo "==> pytest on SQLite"
.venv/bin/pytest "$@" || status=$?
# The browser journeys run once, on SQLite: they drive the same views and queries the
# PostgreSQL pass already tests through the test client, and running them twice doubled the
# suite's time. KEFU_BROWSER_ON_POSTGRES=1 runs them on PostgreSQL too.
pg_args=()
if [ "${KEFU_BROWSER_ON_POSTGRES:-0}" != "1" ]; then
  pg_args=(--ignore=tests/browser)
fi
echo "==> pytest on PostgreSQL ($PG_URL, test database created and dropped by pytest-django)"
DATABASE_URL="$PG_URL" .venv/bin/pytest "${pg_args[@]}" "$@" || status=$?
exit "$status"
