#!/bin/sh
# Fails, naming each file, when a C++ source differs from .clang-format's
# layout. Apply it with: git ls-files '*.cc' '*.h' | xargs clang-format -i
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/setup-debian.sh installs it)" >&2; exit 1; }
bad=0
for f in $(git ls-files '*.cc' '*.h' 2>/dev/null || find agent server common protocol tests bench -name '*.cc' -o -name '*.h'); do
  if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "$f: not formatted (clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
if [ "$bad" -gt 0 ]; then
  echo "$bad file(s) differ from .clang-format" >&2
  exit 1
fi
echo "format: every C++ file follows .clang-format"
