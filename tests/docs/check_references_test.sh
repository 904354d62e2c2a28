#!/bin/sh
# The reference check itself: it passes a tree whose citations hold, and
# fails a tree that cites a missing file, an invariant design.md does not
# number and a document outside the repository, naming each.
set -eu
CHECK="$(cd "$(dirname "$0")" && pwd)/check_references.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/good/docs" "$WORK/good/server/src"
cat >"$WORK/good/docs/design.md" <<'DOC'
## Invariants

1. **One.** The first.
2. **Two.** The second.

## Elsewhere

9. **Not an invariant.**
DOC
printf '// Keeps invariant 2 (docs/design.md); see server/src/a.h.\n' >"$WORK/good/server/src/a.h"
"$CHECK" "$WORK/good" >/dev/null || { echo "FAIL: a sound tree was refused" >&2; exit 1; }

cp -r "$WORK/good" "$WORK/bad"
printf '// See docs/missing.md and server/src/gone.cc.\n' >"$WORK/bad/server/src/b.h"
printf '// Keeps invariant 9.\n' >"$WORK/bad/server/src/c.h"
printf '// As D%s.md says.\n' ATA >"$WORK/bad/server/src/d.h"
if "$CHECK" "$WORK/bad" >"$WORK/out" 2>&1; then
  echo "FAIL: a tree with broken references passed" >&2
  exit 1
fi
for expected in "server/src/b.h:1: cites docs/missing.md" "server/src/b.h:1: cites server/src/gone.cc" \
                "server/src/c.h:1: cites invariant 9" "server/src/d.h:1: cites a document outside"; do
  grep -qF "$expected" "$WORK/out" || { echo "FAIL: not reported: $expected" >&2; cat "$WORK/out" >&2; exit 1; }
done
echo "reference check: passes a sound tree, names each broken reference"
