#!/bin/sh
# Runs every benchmark on an optimised build and prints markdown tables.
# Figures are ratios within one run: the machines are shared and noisy.
set -eu
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
cmake --preset release >/dev/null
cmake --build --preset release --target sync_bench rollup_bench
build/release/bench/sync_bench "$@"
build/release/bench/rollup_bench
