#!/usr/bin/env bash
# Installs what Kefu Academy needs on a Debian machine. Safe to run again: it skips what is
# already there. Usage: scripts/setup.sh [serve|test]
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-serve}"

source scripts/lib.sh

# --- system packages (Debian): translations compiler, CJK fonts, and for tests a browser
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
wanted=(gettext fonts-noto-cjk fonts-hanazono libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# nginx: the production test runs its own, in front of two app servers (not the system service)
[ "$purpose" = test ] && wanted+=(chromium poppler-utils zbar-tools nginx)
packages=()
for package in "${wanted[@]}"; do installed "$package" || packages+=("$package"); done
if [ "${#packages[@]}" -gt 0 ]; then
  say "Installing Debian packages: ${packages[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
fi

# --- Python environment
python=$(command -v python3.11 || command -v python3)
if [ ! -x .venv/bin/python ]; then
  say "Creating .venv with $python"
  "$python" -m venv .venv
fi
extras=""; [ "$purpose" = test ] && extras="[test]"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)$extras"
# A test installation has everything serving needs.
if [ ! -f "$stamp" ] && [ ! -f "$stamp[test]" ]; then
  say "Installing Python packages"
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".$extras"
  touch "$stamp"
fi

say "Compiling translations"
.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
