#!/bin/sh
# The people's API on a real server holding the sample ICS: the OpenAPI
# contract test, the document's lint, and the data products' tests.
#
#   tests/api/run.sh BUILD_DIR [--postgres]
#
# --postgres: each server's store is a schema of a throwaway PostgreSQL
# cluster (tests/support/test_postgres.sh) instead of an SQLite file.
#
# Registered with ctest as "api: ..." in the release build only (setting up
# the sample ICS costs a minute). Everything the tests start is stopped and
# removed by their fixtures, pass or fail.
set -eu
BUILD=$(cd "$1" && pwd)
POSTGRES=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
if [ -z "$POSTGRES" ]; then
  echo "== redocly lint server/src/api/openapi.json"
  (cd "$ROOT/web" && node_modules/.bin/redocly lint --config "$ROOT/server/src/api/redocly.yaml" \
    "$ROOT/server/src/api/openapi.json")
fi
# The fixtures start and stop the server in a directory under WORK; should
# pytest itself be killed, this stops whatever is left and removes it all.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tributary-api.XXXXXX")
cleanup() {
  for pid_file in "$WORK"/*/server.pid; do
    [ -f "$pid_file" ] || continue
    pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  done
  if [ -n "$POSTGRES" ]; then "$ROOT/tests/support/test_postgres.sh" stop "$WORK"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -n "$POSTGRES" ]; then
  # Before TMPDIR is WORK: the cluster's owner (nobody) must reach its directory.
  "$ROOT/tests/support/test_postgres.sh" start "$WORK"
  export TRIBUTARY_TEST_POSTGRES="$WORK/url"
fi
export TRIBUTARY_BUILD_DIR="$BUILD" TMPDIR="$WORK"
cd "$HERE"
# Debian's python3, which has pytest, jsonschema and pandas from Debian.
/usr/bin/python3 -m pytest -p no:cacheprovider -q "$HERE"
