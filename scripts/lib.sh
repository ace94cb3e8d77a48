# Shell functions the scripts share. Source it from a script that has cd'ed to the project
# root:  source scripts/lib.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# PostgreSQL on this machine (127.0.0.1:5432): installs Debian's package when it is missing
# and starts the newest cluster, then waits up to 30 s for it to accept connections. Returns
# at once when it already does; fails (status 1) when it never starts.
ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  local sudo="" version
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! command -v pg_ctlcluster >/dev/null; then
    say "Installing PostgreSQL"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q postgresql
  fi
  say "Starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -n | tail -1)
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  echo "PostgreSQL did not start" >&2
  return 1
}
