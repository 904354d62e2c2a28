#!/bin/sh
# Sets up the machine, builds and runs every test.
#   scripts/test.sh                     optimised build
#   scripts/test.sh --preset asan       AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/test.sh --preset tsan       ThreadSanitizer
set -eu
cd "$(dirname "$0")/.."

PRESET=release
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) PRESET="$2"; shift 2 ;;
    *) echo "usage: scripts/test.sh [--preset release|asan|tsan]" >&2; exit 2 ;;
  esac
done

scripts/setup-debian.sh
cmake --preset "$PRESET"
cmake --build --preset "$PRESET"
ctest --preset "$PRESET"
