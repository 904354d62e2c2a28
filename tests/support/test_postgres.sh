#!/bin/sh
# The tests' own PostgreSQL cluster: `start DIR` runs initdb in a new
# temporary directory and pg_ctl listening on a Unix socket there, as an
# unprivileged user (nobody, when run as root), and writes its URL to DIR/url;
# `stop DIR` stops it and removes it. CTest runs these as the postgres:start
# and postgres:stop fixtures (tests/CMakeLists.txt). The fault harness's
# two-instance mode also runs `crash DIR` (SIGKILL of the server and every
# backend, returning once all are gone) and `restart DIR` (start it again:
# PostgreSQL recovers from its write-ahead log).
set -eu

action=${1:?usage: test_postgres.sh start|stop|crash|restart DIR}
dir=${2:?usage: test_postgres.sh start|stop|crash|restart DIR}
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

# Starts the server of the cluster in $1 (initialised already).
start_server() {
  # Its own Unix socket in its own directory, and no TCP: no port to find
  # free, and a round trip a third quicker than over loopback TCP. A test
  # cluster: durability against a machine crash is not wanted; against a
  # killed server it holds without fsync (the store's sessions commit
  # synchronously, so a commit is in the kernel's hands when it returns).
  # TEST_POSTGRES_DURABLE=1 (the benchmarks) keeps PostgreSQL's defaults.
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${TEST_POSTGRES_DURABLE:-0}" = 1 ] && durability=""
  as_owner "$bindir/pg_ctl" start -D "$1/data" -w -t 60 -l "$1/server.log" \
    -o "-c listen_addresses= -p $port -c unix_socket_directories=$1 $durability -c max_connections=300" \
    >/dev/null 2>&1
}
port=5432

case "$action" in
stop)
  stop
  ;;
crash)
  cluster=$(cat "$dir/cluster")
  pid=$(head -n 1 "$cluster/data/postmaster.pid")
  # Stopped first, so it forks no backend between the listing and the kill.
  kill -STOP "$pid"
  pids="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  # Gone, or a zombie its new parent has yet to reap.
  for p in $pids; do
    while ps -o stat= -p "$p" 2>/dev/null | grep -qv '^Z'; do sleep 0.02; done
  done
  # A zombie postmaster still answers kill -0, which a new one takes for a
  # server running: once init has reaped it (or, dead either way, after 10 s)
  # its lock file is stale.
  tries=0
  while kill -0 "$pid" 2>/dev/null && [ $tries -lt 500 ]; do
    sleep 0.02
    tries=$((tries + 1))
  done
  rm -f "$cluster/data/postmaster.pid"
  ;;
restart)
  cluster=$(cat "$dir/cluster")
  start_server "$cluster" || {
    cat "$cluster/server.log" >&2
    exit 1
  }
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
  if start_server "$cluster"; then
    as_owner "$bindir/createdb" -h "$cluster" -p "$port" -U tributary tributary_test
    echo "postgresql://tributary@/tributary_test?host=$cluster&port=$port" >"$dir/url"
    echo "test PostgreSQL cluster in $cluster"
    exit 0
  fi
  cat "$cluster/server.log" >&2
  exit 1
  ;;
*)
  echo "usage: test_postgres.sh start|stop|crash|restart DIR" >&2
  exit 2
  ;;
esac
