#!/bin/sh
# The main job, end to end on this machine: a local ICS on the embedded SQLite
# store. The server starts; each fictional practice of examples/ics-sample
# enrols, imports its CSV exports offline, then syncs; the server's totals per
# practice are printed.
#
#   scripts/demo.sh [--serve]
#
# With --serve it ends by printing the dashboard's address and the access
# tokens of a PCN manager and an ICS manager, and keeps serving until Ctrl-C.
set -eu
SERVE=0
for arg in "$@"; do
  case $arg in
    --serve) SERVE=1 ;;
    *) echo "usage: scripts/demo.sh [--serve]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/setup-debian.sh --demo
echo "== building (release)"
# The demo's two programs only: the tests and benchmarks are scripts/test.sh's
# (whose own configure turns them back on).
cmake --preset release -DTRIBUTARY_BUILD_TESTS=OFF -DTRIBUTARY_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release --target tributary-server tributary-agent

BIN="$ROOT/build/release"
SERVER="$BIN/server/tributary-server"
AGENT="$BIN/agent/tributary-agent"
WORK="$ROOT/demo-run"
SAMPLE="$ROOT/examples/ics-sample"
rm -rf "$WORK"
mkdir -p "$WORK/agents"

trap 'kill $(cat "$WORK/server.pid" 2>/dev/null) 2>/dev/null; wait 2>/dev/null || true' EXIT INT TERM
scripts/sample-ics.sh "$SERVER" "$AGENT" "$WORK" "$SAMPLE"
URL=$(cat "$WORK/url")
MONTH=$(ls "$SAMPLE"/practices/*/appointments-*.csv | sed 's/.*appointments-\(.*\)\.csv/\1/' | sort | tail -1)
count=$(ls -d "$SAMPLE"/practices/*/ | wc -l)

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

if [ $SERVE -eq 1 ]; then
  token_of() { sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
  PCN_TOKEN=$("$SERVER" user add --data-dir "$WORK/server" --name "Demo PCN manager" \
    --role pcn-manager --scope "$PCN" --ttl 7d --json | token_of)
  ICS_TOKEN=$("$SERVER" user add --data-dir "$WORK/server" --name "Demo ICS manager" \
    --role ics-manager --scope "$ICS" --ttl 7d --json | token_of)
  echo
  echo "== the dashboard is at $URL/"
  echo "   (the server's certificate is from its own CA: your browser will ask you to accept it)"
  echo "   PCN manager of $PCN, access token: $PCN_TOKEN"
  echo "   ICS manager of $ICS, access token: $ICS_TOKEN"
  echo "   Serving until Ctrl-C."
  while kill -0 "$(cat "$WORK/server.pid")" 2>/dev/null; do
    sleep 1
  done
fi
