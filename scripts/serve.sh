#!/usr/bin/env bash
# Sets everything up and serves Kefu Academy with demo content at http://127.0.0.1:8000/
#
#   scripts/serve.sh                Django's development server on SQLite
#   scripts/serve.sh --production   gunicorn, a task worker and the scheduler against
#                                   PostgreSQL and Redis, DEBUG off (docs/DEPLOY.md)
#
# Production mode reads DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kefu, created
# if missing), REDIS_URL (default redis://127.0.0.1:6379/0), KEFU_WEB_WORKERS (default
# 2 x cores + 1, at most 8), KEFU_TASK_WORKERS (1), PORT (8000), KEFU_BIND (127.0.0.1:PORT),
# and generates DJANGO_SECRET_KEY into .secret_key (not in git) when it is not set. It loads
# the demo into an empty database unless KEFU_DEMO=0 (a real deployment: no demo accounts).
# Ctrl-C (or TERM) stops gunicorn, the worker and the scheduler.
set -euo pipefail
cd "$(dirname "$0")/.."

production=false
case "${1:-}" in
  "") ;;
  --production) production=true ;;
  *) echo "usage: scripts/serve.sh [--production]" >&2; exit 2 ;;
esac

source scripts/lib.sh
port="${PORT:-8000}"
python=.venv/bin/python
scripts/setup.sh serve

banner() {
  printf '\n  Kefu Academy: %s/   admin: %s/admin/\n' "$1" "$1"
  printf '  Demo accounts: learner / kefu-learner, trainer / kefu-trainer, supervisor / kefu-supervisor\n\n'
}

if ! $production; then
  # Links the site prints (certificate QR codes, badge ids and keys) name the port it serves on.
  export WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$port}"
  $python manage.py migrate --no-input -v0
  $python manage.py readable_slugs  # pinyin slugs for pages saved with Chinese ones
  $python manage.py seed_demo
  banner "http://127.0.0.1:$port"
  exec $python manage.py runserver "127.0.0.1:$port"
fi

# --- production mode -------------------------------------------------------------------
export DJANGO_DEBUG=false
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kefu}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export DJANGO_TASKS_BACKEND="${DJANGO_TASKS_BACKEND:-django_tasks_db.DatabaseBackend}"
bind="${KEFU_BIND:-127.0.0.1:$port}"
base_url="http://$bind"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-$base_url}"
# Plain http on this machine: no redirect to https, cookies not limited to https. Behind a
# TLS-terminating proxy set both to true (docs/DEPLOY.md).
export DJANGO_SECURE_SSL_REDIRECT="${DJANGO_SECURE_SSL_REDIRECT:-false}"
export DJANGO_SECURE_COOKIES="${DJANGO_SECURE_COOKIES:-false}"
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  if [ ! -s .secret_key ]; then
    say "Generating a secret key into .secret_key"
    (umask 077; $python -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key)
  fi
  DJANGO_SECRET_KEY="$(cat .secret_key)"
  export DJANGO_SECRET_KEY
fi
cores="$(nproc 2>/dev/null || echo 1)"
web_workers="${KEFU_WEB_WORKERS:-$(( 2 * cores + 1 > 8 ? 8 : 2 * cores + 1 ))}"
task_workers="${KEFU_TASK_WORKERS:-1}"

sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
local_url() { [[ "$1" == *"@127.0.0.1:"* || "$1" == *"//127.0.0.1:"* || "$1" == *"@localhost:"* || "$1" == *"//localhost:"* ]]; }

# PostgreSQL and Redis on this machine: install and start them when the defaults point here.
if local_url "$DATABASE_URL"; then ensure_postgres; fi
if local_url "$REDIS_URL" && ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  if ! command -v redis-server >/dev/null; then
    say "Installing Redis"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q redis-server
  fi
  say "Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null
  for _ in $(seq 30); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && break; sleep 1; done
fi

say "Database: creating it if missing"
$python - <<'PY'
import os

import dj_database_url
import psycopg
from psycopg import sql

config = dj_database_url.parse(os.environ["DATABASE_URL"])
if config["ENGINE"] == "django.db.backends.postgresql":
    params = {"host": config["HOST"], "port": config["PORT"], "user": config["USER"],
              "password": config["PASSWORD"]}
    params = {key: value for key, value in params.items() if value}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not found:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")
PY
say "Migrating"
$python manage.py migrate --no-input -v0
$python manage.py readable_slugs  # pinyin slugs for pages saved with Chinese ones
$python manage.py sync_practice_cards -v0  # cards of content published before this release
say "Collecting static files"
$python manage.py collectstatic --no-input -v0
if [ "${KEFU_DEMO:-1}" != 0 ] && [ "$($python manage.py shell --no-imports -c 'from django.contrib.auth.models import User; print(User.objects.exists())')" != True ]; then
  say "Loading the demo"
  $python manage.py seed_demo
fi

children=()
stop() {
  trap - INT TERM EXIT
  [ "${#children[@]}" -gt 0 ] && kill -TERM "${children[@]}" 2>/dev/null || true
  wait || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Starting gunicorn ($web_workers workers), $task_workers task worker(s) and the scheduler"
.venv/bin/gunicorn academy.wsgi:application \
  --bind "$bind" --workers "$web_workers" --timeout 60 --graceful-timeout 20 \
  --max-requests 5000 --max-requests-jitter 500 --no-control-socket &
children+=($!)
for _ in $(seq "$task_workers"); do
  $python manage.py db_worker --queue-name '*' --interval 0.5 &
  children+=($!)
done
$python manage.py run_scheduler &
children+=($!)

# Ready when /health/ says so (or give up after a minute).
for _ in $(seq 120); do
  if curl -fsS -o /dev/null "$base_url/health/" 2>/dev/null; then
    banner "$base_url"
    break
  fi
  for child in "${children[@]}"; do
    kill -0 "$child" 2>/dev/null || { echo "a server process stopped" >&2; exit 1; }
  done
  sleep 0.5
done
# Until one of them stops, or Ctrl-C / TERM.
wait -n
echo "a server process stopped; stopping the others" >&2
exit 1
