#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: initdb + pg_ctl in a temporary folder,
# DATABASE_URL exported for the command, the server stopped and the folder removed afterwards.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ]; then
  echo "error: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
tmp=$(mktemp -d /tmp/lantern-pg.XXXXXX)
chmod 755 "$tmp"
as=()
if [ "$(id -u)" = 0 ]; then   # initdb refuses to run as root: use the postgres system user
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$tmp"
  as=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  "${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
"${as[@]}" "$bindir/initdb" -D "$tmp/data" -U lantern --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"${as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U lantern lantern
export DATABASE_URL="postgres://lantern@127.0.0.1:$port/lantern"
export LANTERN_PG_BINDIR="$bindir"
"$@"
