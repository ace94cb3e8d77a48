#!/usr/bin/env bash
# Sets everything up and serves Kefu Academy with demo content at http://127.0.0.1:8000/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh serve
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py seed_demo
port="${PORT:-8000}"
printf '\n  Kefu Academy: http://127.0.0.1:%s/   admin: http://127.0.0.1:%s/admin/\n' "$port" "$port"
printf '  Demo accounts: learner / kefu-learner, trainer / kefu-trainer, supervisor / kefu-supervisor\n\n'
exec .venv/bin/python manage.py runserver "127.0.0.1:$port"
