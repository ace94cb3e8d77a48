#!/usr/bin/env bash
# Installs what the tests need and runs them all: lint, migrations check, then the whole
# suite on SQLite and again on PostgreSQL (a throwaway test database on the local server).
# Extra arguments go to pytest, e.g. scripts/test.sh -k roster
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test

PG_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/kefu}"
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "==> Installing PostgreSQL"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql
  fi
  echo "==> Starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -n | tail -1)
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
  echo "PostgreSQL did not start" >&2; exit 1
}
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
