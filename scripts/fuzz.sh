#!/bin/sh
# Builds the libFuzzer targets (clang, preset fuzz) and runs each for a while,
# growing its corpus in tests/fuzz/corpus/<target>/ with the inputs that reach
# new code (libFuzzer's -merge), and prints each target's executions.
#   scripts/fuzz.sh [--seconds N] [TARGET...]    default: 60 s each, every target
# A crash stops the script with the reproducing input under build/fuzz/artifacts/.
set -eu
cd "$(dirname "$0")/.."

SECONDS_EACH=60
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    -*) echo "usage: scripts/fuzz.sh [--seconds N] [TARGET...]" >&2; exit 2 ;;
    *) break ;;
  esac
done
TARGETS="${*:-protocol_decoder_fuzz csv_workforce_fuzz csv_appointments_fuzz csv_list_size_fuzz http_request_fuzz}"

scripts/setup-debian.sh
for p in clang libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null
  fi
done
cmake --preset fuzz >/dev/null
# shellcheck disable=SC2086
cmake --build --preset fuzz --target $TARGETS

mkdir -p build/fuzz/artifacts
for target in $TARGETS; do
  corpus="tests/fuzz/corpus/$target"
  found="build/fuzz/found/$target"
  mkdir -p "$found"
  log="build/fuzz/$target.log"
  echo "fuzzing $target for $SECONDS_EACH s..." >&2
  if ! "build/fuzz/tests/fuzz/$target" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
      -artifact_prefix="build/fuzz/artifacts/$target-" "$found" "$corpus" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "$target: crashed; input saved under build/fuzz/artifacts/" >&2
    exit 1
  fi
  "build/fuzz/tests/fuzz/$target" -merge=1 "$corpus" "$found" >>"$log" 2>&1
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | head -1)
  echo "| $target | $SECONDS_EACH s | $execs executions | 0 crashes | $(ls "$corpus" | wc -l) corpus inputs |"
done
