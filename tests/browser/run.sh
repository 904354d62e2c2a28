#!/bin/sh
# The dashboard's browser tests: a real server holding the sample ICS synced
# by real agents (scripts/sample-ics.sh), people of each role given access,
# then the Playwright tests (dashboard.test.mjs) in Debian's chromium.
#
#   tests/browser/run.sh BUILD_DIR
#
# Registered with ctest as "browser: ..." in the release build only (it
# costs a minute). Everything it starts and writes is in one temporary
# directory, stopped and removed on exit, pass or fail.
set -eu
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tributary-browser.XXXXXX")
cleanup() {
  if [ -f "$WORK/server.pid" ]; then
    kill "$(cat "$WORK/server.pid")" 2>/dev/null || true
    # The server finishes its requests and exits on SIGTERM.
    while kill -0 "$(cat "$WORK/server.pid")" 2>/dev/null; do sleep 0.1; done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVER="$BUILD/server/tributary-server"
"$ROOT/scripts/sample-ics.sh" "$SERVER" "$BUILD/agent/tributary-agent" "$WORK" >"$WORK/setup.log" 2>&1 ||
  { cat "$WORK/setup.log" >&2; exit 1; }

# Two PCNs, their place and their ICS, from the sample's hierarchy: the
# people the tests sign in as.
ORGS=$(tr -d '\r' <"$ROOT/examples/ics-sample/orgs.csv")
PCNS=$(echo "$ORGS" | awk -F, '$3 == "PRACTICE" && $6 == "" { print $4 }' | sort | uniq -c |
       sort -rn | awk '{ print $2 }')
PCN=$(echo "$PCNS" | sed -n 1p)
OTHER_PCN=$(echo "$PCNS" | sed -n 2p)
PLACE=$(echo "$ORGS" | awk -F, -v pcn="$PCN" '$1 == pcn { print $4 }')
ICS=$(echo "$ORGS" | awk -F, -v place="$PLACE" '$1 == place { print $4 }')
user() {
  "$SERVER" user add --data-dir "$WORK/server" --name "$1" --role "$2" --scope "$3" --json |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
export TRIBUTARY_URL="$(cat "$WORK/url")"
export TRIBUTARY_PCN="$PCN" TRIBUTARY_OTHER_PCN="$OTHER_PCN" TRIBUTARY_PLACE="$PLACE" TRIBUTARY_ICS="$ICS"
export TRIBUTARY_PCN_TOKEN="$(user "Pat Manager" pcn-manager "$PCN")"
export TRIBUTARY_OTHER_PCN_TOKEN="$(user "Oli Other" pcn-manager "$OTHER_PCN")"
export TRIBUTARY_ICS_TOKEN="$(user "Ivy Manager" ics-manager "$ICS")"
export TRIBUTARY_ADMIN_TOKEN="$(user "Ada Admin" admin "$ICS")"
export TRIBUTARY_ANALYST_TOKEN="$(user "Ana Analyst" place-analyst "$PLACE")"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export TRIBUTARY_CHROMIUM="${TRIBUTARY_CHROMIUM:-/usr/bin/chromium}"
export TRIBUTARY_WORK="$WORK"
export NODE_PATH="$ROOT/web/node_modules"
cd "$HERE"
node --test --test-concurrency=1 "$HERE"/*.test.mjs
