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
echo "==> pytest on PostgreSQL ($PG_URL, test database created and dropped by pytest-django)"
DATABASE_URL="$PG_URL" .venv/bin/pytest "$@" || status=$?
exit "$status"
