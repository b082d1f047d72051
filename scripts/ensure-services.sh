#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, user postgres, a database named `test`) and Redis (127.0.0.1:6379)
# answer, the way tests and CI expect them (DESIGN §4), and that the tools tests run are on PATH: ffmpeg
# (live-streaming's archive transcodes) and chromium (the browser tests). Installs Debian's packages only when
# they are missing, starts only what is not answering, and prints what it did. Safe to run again.
set -euo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }
say() { echo "ensure-services: $*"; }

wait_for() {
  local check=$1 tries=$2
  for _ in $(seq "$tries"); do
    if "$check"; then return 0; fi
    sleep 0.5
  done
  "$check"
}

missing=()
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if pg_up; then
  say "postgres already answering"
else
  version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Tests connect as postgres without a password, over loopback only.
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for pg_up 60 || { say "postgres $version did not start; see /var/log/postgresql/" >&2; exit 1; }
  say "postgres $version started"
fi

if [ "$(psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = 'test'")" != 1 ]; then
  psql -h 127.0.0.1 -U postgres -qc 'create database test'
  say "database test created"
fi

if redis_up; then
  say "redis already answering"
else
  mkdir -p /var/lib/redis /var/log/redis
  # Test data is throwaway: no snapshots, no append-only file.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for redis_up 20 || { say "redis did not start; see /var/log/redis/ci.log" >&2; exit 1; }
  say "redis started"
fi
