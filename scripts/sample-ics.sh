#!/bin/sh
# Sets up a local ICS server holding the sample ICS, synced by real agents:
#
#   scripts/sample-ics.sh SERVER_BINARY AGENT_BINARY WORK_DIR [SAMPLE_DIR]
#
# Initialises a server in WORK_DIR/server, imports the hierarchy, starts
# `serve` on a free port of 127.0.0.1 (its pid in WORK_DIR/server.pid, its
# URL in WORK_DIR/url), then each practice of SAMPLE_DIR (default
# examples/ics-sample) enrols its agent in WORK_DIR/agents/CODE, imports its
# CSV exports offline and syncs; two practices in three submit the latest
# month. The server is left running: the caller stops it (kill the pid).
# Used by scripts/demo.sh and the browser tests (tests/browser/run.sh).
set -eu
SERVER=$1
AGENT=$2
WORK=$3
SAMPLE=${4:-"$(cd "$(dirname "$0")/.." && pwd)/examples/ics-sample"}
mkdir -p "$WORK/agents"

echo "== initialising the ICS server in $WORK/server"
# TRIBUTARY_STORE: a postgresql:// URL to hold the store instead of the SQLite file.
"$SERVER" init --data-dir "$WORK/server" --hostname 127.0.0.1 --hostname localhost \
  ${TRIBUTARY_STORE:+--store "$TRIBUTARY_STORE"}
"$SERVER" orgs import --data-dir "$WORK/server" "$SAMPLE/orgs.csv"

"$SERVER" serve --data-dir "$WORK/server" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.log" &
echo $! >"$WORK/server.pid"
# Wait for the server to report the port it bound (up to 30 s).
i=0
until grep -q "^listening on " "$WORK/serve.out" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 "$(cat "$WORK/server.pid")" 2>/dev/null; then
    echo "the server did not start; see $WORK/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done
URL="https://$(sed -n 's/^listening on //p' "$WORK/serve.out")"
echo "$URL" >"$WORK/url"
echo "== server listening at $URL"

# The latest month of the sample; two practices in three submit it as complete.
MONTH=$(ls "$SAMPLE"/practices/*/appointments-*.csv | sed 's/.*appointments-\(.*\)\.csv/\1/' | sort | tail -1)
count=0
for dir in "$SAMPLE"/practices/*/; do
  practice=$(basename "$dir")
  data="$WORK/agents/$practice"
  token_json=$("$SERVER" token create --data-dir "$WORK/server" --practice "$practice" --json)
  token=$(echo "$token_json" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  ca=$(echo "$token_json" | sed -n 's/.*"ca_sha256":"\([^"]*\)".*/\1/p')
  "$AGENT" enrol --data-dir "$data" --server "$URL" --token "$token" --ca-sha256 "$ca" >/dev/null
  # Imports need no server: the agent works offline and queues its changes.
  for f in "$dir"*.csv; do
    "$AGENT" import --data-dir "$data" "$f" >/dev/null
  done
  if [ $((count % 3)) -ne 2 ]; then
    "$AGENT" submit --data-dir "$data" --period "$MONTH" >/dev/null
  fi
  pending=$("$AGENT" status --data-dir "$data" --json | sed -n 's/.*"pending_changes":\([0-9]*\).*/\1/p')
  "$AGENT" sync --data-dir "$data" >/dev/null
  count=$((count + 1))
  printf '%s: enrolled, imported %s files offline, synced %s changes\n' \
    "$practice" "$(ls "$dir"*.csv | wc -l)" "$pending"
done
