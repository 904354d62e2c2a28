#!/bin/sh
# Sets up the machine, builds and runs every test.
#   scripts/test.sh                     optimised build, and the Windows agent
#                                       cross-built and tested under wine
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
if [ "$PRESET" = release ]; then
  # The Windows agent first: the release tests run it under wine against
  # this build's server (label windows). Its libraries are built once per
  # machine (scripts/windows-deps.sh).
  cmake --preset windows
  cmake --build --preset windows
fi
cmake --preset "$PRESET"
cmake --build --preset "$PRESET"
ctest --preset "$PRESET"
if [ "$PRESET" = release ]; then
  ctest --preset windows
fi
