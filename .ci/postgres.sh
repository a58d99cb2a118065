#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:  .ci/postgres.sh .venv/bin/pytest -n 2
# Starts a fresh cluster (Debian's `postgresql` binaries) in a temporary directory on a free
# loopback port, creates a role and a database, exports DATABASE_URL, runs the command, and
# always stops and deletes the cluster afterwards.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

pg_bin=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$candidate/initdb" ]; then pg_bin="$candidate"; break; fi
done
if [ -z "$pg_bin" ]; then
  pg_bin="$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")"
fi
if [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL no está instalado: apt-get install postgresql" >&2
  exit 1
fi

cluster_dir="$(mktemp -d /tmp/kvky-postgres.XXXXXX)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# PostgreSQL refuses to run as root: as root, run the server as the `postgres` user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$cluster_dir"
  as_owner=(runuser -u postgres --)
fi

stop_cluster() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster_dir"
}
trap stop_cluster EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$cluster_dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
# A test cluster: durability off for speed; listens on loopback and a private socket directory only.
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w -t 60 start \
  -o "-p $port -k $cluster_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
  >/dev/null

"$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
  -c "CREATE ROLE kvky LOGIN PASSWORD 'kvky' CREATEDB" \
  -c "CREATE DATABASE kvky OWNER kvky"

export DATABASE_URL="postgres://kvky:kvky@127.0.0.1:$port/kvky"
echo "$("$pg_bin/postgres" --version), 127.0.0.1:$port" >&2
"$@"
