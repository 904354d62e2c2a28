#!/bin/sh
# Runs every benchmark on an optimised build and prints one markdown table:
# each row a figure of Tributary, what it is compared with in the same run,
# the ratio, the target and whether it is met. Progress goes to stderr.
#
#   bench/run.sh                    the full run (about 30 minutes on 2 cores)
#   bench/run.sh --national 6300    the national row with every practice of England
#                                   (default 630: enrolling and importing 6,300 agents
#                                   one by one takes over an hour before the timed push)
#   bench/run.sh --quick            small sizes, to check the benchmarks themselves work
#
# Figures are ratios within one run: the machines are shared and noisy.
# The PouchDB peer needs Node.js 20 and the npm registry (npm ci in bench/peer).
set -eu
cd "$(dirname "$0")/.."

AGENTS=20 RECORDS=20000 IMPORT_ROWS=1000000 IDLE_SECONDS=60 WRK_SECONDS=10 PRACTICES=6300
NATIONAL=630
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) AGENTS=3 RECORDS=2000 IMPORT_ROWS=50000 IDLE_SECONDS=5 WRK_SECONDS=2 PRACTICES=300
             NATIONAL=20; shift ;;
    --national) NATIONAL="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--quick] [--national PRACTICES]" >&2; exit 2 ;;
  esac
done

scripts/setup-debian.sh
for p in wrk nginx-light curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="${missing:-} $p"
done
if [ -n "${missing:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "bench/run.sh: the PouchDB peer needs Node.js 20 with npm (node and npm on PATH)" >&2
  exit 1
fi
(cd bench/peer && npm ci --no-audit --no-fund --loglevel=error >&2)

cmake --preset release >/dev/null
cmake --build --preset release --target sync_bench import_bench idle_bench https_bench \
  rollup_bench web_bench data_products_bench national_bench postgres_bench tributary-sim >&2
B=build/release/bench

echo "Tributary $(git describe --always --dirty 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo "| benchmark | Tributary | compared with (same run) | ratio | target | met |"
echo "|---|---|---|---|---|---|"
"$B/sync_bench" --agents "$AGENTS" --records "$RECORDS" --peer bench/peer/pouch_bench.js
"$B/import_bench" --rows "$IMPORT_ROWS"
# The Windows agent beside it under wine, when it is built (cmake --preset windows).
if [ -x build/windows/agent/tributary-agent.exe ] && command -v wine >/dev/null; then
  WINEDEBUG=-all WINEPREFIX="$PWD/build/bench-wineprefix" \
    "$B/idle_bench" --seconds "$IDLE_SECONDS" --windows-agent build/windows/agent/tributary-agent.exe
else
  "$B/idle_bench" --seconds "$IDLE_SECONDS"
fi
"$B/https_bench" --seconds "$WRK_SECONDS"
"$B/rollup_bench" --practices "$PRACTICES" --appointment-rows 2000 --staff 45
"$B/web_bench" --practices "$PRACTICES"
"$B/data_products_bench" --practices "$PRACTICES"
"$B/national_bench" --practices "$NATIONAL"
"$B/postgres_bench" --agents "$AGENTS" --records "$RECORDS" --practices "$NATIONAL"
