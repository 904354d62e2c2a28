#!/bin/sh
# The main job, end to end on this machine: a local ICS on the embedded SQLite
# store. The server starts; each fictional practice of examples/ics-sample
# enrols, imports its CSV exports offline, then syncs; the server's totals per
# practice are printed.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/setup-debian.sh
echo "== building (release)"
cmake --preset release >/dev/null
cmake --build --preset release --target tributary-server tributary-agent

BIN="$ROOT/build/release"
SERVER="$BIN/server/tributary-server"
AGENT="$BIN/agent/tributary-agent"
WORK="$ROOT/demo-run"
SAMPLE="$ROOT/examples/ics-sample"
rm -rf "$WORK"
mkdir -p "$WORK/agents"

echo "== initialising the ICS server in $WORK/server"
"$SERVER" init --data-dir "$WORK/server" --hostname 127.0.0.1 --hostname localhost
"$SERVER" orgs import --data-dir "$WORK/server" "$SAMPLE/orgs.csv"

"$SERVER" serve --data-dir "$WORK/server" --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.log" &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT INT TERM
# Wait for the server to report the port it bound (up to 30 s).
i=0
until grep -q "^listening on " "$WORK/serve.out" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 $SERVER_PID 2>/dev/null; then
    echo "the server did not start; see $WORK/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done
URL="https://$(sed -n 's/^listening on //p' "$WORK/serve.out")"
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

echo
echo "== what the ICS server received from $count practices"
"$SERVER" practices --data-dir "$WORK/server"

# One PCN (the one a practice joins in the sample's last month), its place and its ICS.
ORGS=$(tr -d '\r' <"$SAMPLE/orgs.csv")
PCN=$(echo "$ORGS" | awk -F, '$3 == "PRACTICE" && $6 == "" { print $4 }' |
      sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
PLACE=$(echo "$ORGS" | awk -F, -v pcn="$PCN" '$1 == pcn { print $4 }')
ICS=$(echo "$ORGS" | awk -F, -v place="$PLACE" '$1 == place { print $4 }')
echo
echo "== $MONTH returns of PCN $PCN, as its PCN manager reconciles them"
"$SERVER" returns list --data-dir "$WORK/server" --period "$MONTH" --code "$PCN"

for level in "pcn $PCN" "place $PLACE" "ics $ICS"; do
  set -- $level
  echo
  echo "== $MONTH rollup for $1 $2 (totals; every breakdown: rollups show without --totals)"
  "$SERVER" rollups show --data-dir "$WORK/server" --period "$MONTH" --level "$1" --code "$2" --totals
done

# The ICS manager closes the sample's first month and publishes it: an
# immutable version that later changes and hierarchies never move.
FIRST=$(ls "$SAMPLE"/practices/*/appointments-*.csv | sed 's/.*appointments-\(.*\)\.csv/\1/' | sort | head -1)
echo
echo "== closing and publishing $FIRST"
"$SERVER" periods close --data-dir "$WORK/server" --period "$FIRST"
"$SERVER" periods publish --data-dir "$WORK/server" --period "$FIRST"
"$SERVER" periods list --data-dir "$WORK/server"

echo
"$SERVER" rollups verify --data-dir "$WORK/server"
