#!/bin/sh
# The tests' own PostgreSQL cluster: `start DIR` runs initdb in a new
# temporary directory and pg_ctl listening on a Unix socket there, as an
# unprivileged user (nobody, when run as root), and writes its URL to DIR/url;
# `stop DIR` stops it and removes it. CTest runs these as the postgres:start
# and postgres:stop fixtures (tests/CMakeLists.txt).
set -eu

action=${1:?usage: test_postgres.sh start|stop DIR}
dir=${2:?usage: test_postgres.sh start|stop DIR}
bindir=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$bindir/initdb" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ ! -x "$bindir/initdb" ]; then
  echo "test_postgres.sh: no PostgreSQL server (initdb): install postgresql-15" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

stop() {
  [ -f "$dir/cluster" ] || return 0
  cluster=$(cat "$dir/cluster")
  if [ -d "$cluster/data" ]; then
    as_owner "$bindir/pg_ctl" stop -D "$cluster/data" -m immediate -w >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
  rm -f "$dir/cluster" "$dir/url"
}

case "$action" in
stop)
  stop
  ;;
start)
  stop  # a cluster an earlier, killed run left
  mkdir -p "$dir"
  cluster=$(mktemp -d "${TMPDIR:-/tmp}/tributary-test-postgres.XXXXXX")
  echo "$cluster" >"$dir/cluster"
  chmod 755 "$cluster"
  [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$cluster"
  as_owner "$bindir/initdb" -D "$cluster/data" -U tributary --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1 || {
    cat "$cluster/initdb.log" >&2
    exit 1
  }
  # Its own Unix socket in its own directory, and no TCP: no port to find
  # free, and a round trip a third quicker than over loopback TCP. A test
  # cluster: durability against a machine crash is not wanted; against a
  # killed server it holds without fsync.
  port=5432
  if as_owner "$bindir/pg_ctl" start -D "$cluster/data" -w -t 60 -l "$cluster/server.log" \
    -o "-c listen_addresses= -p $port -c unix_socket_directories=$cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    >/dev/null 2>&1; then
    as_owner "$bindir/createdb" -h "$cluster" -p "$port" -U tributary tributary_test
    echo "postgresql://tributary@/tributary_test?host=$cluster&port=$port" >"$dir/url"
    echo "test PostgreSQL cluster in $cluster"
    exit 0
  fi
  cat "$cluster/server.log" >&2
  exit 1
  ;;
*)
  echo "usage: test_postgres.sh start|stop DIR" >&2
  exit 2
  ;;
esac
