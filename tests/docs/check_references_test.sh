#!/bin/sh
# The reference check itself: it passes a tree whose citations hold, and
# fails a tree that cites a missing file (rooted at a top-level folder, or
# unrooted as a source names its neighbours, or a document named bare; in a
# C++, JavaScript module, Python or shell file), an invariant design.md does
# not number and a document outside the repository, naming each.
set -eu
CHECK="$(cd "$(dirname "$0")" && pwd)/check_references.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/good/docs" "$WORK/good/server/src/store" "$WORK/good/tests/browser"
cat >"$WORK/good/docs/design.md" <<'DOC'
## Invariants

1. **One.** The first.
2. **Two.** The second.

## Elsewhere

9. **Not an invariant.**
DOC
printf '// Keeps invariant 2 (docs/design.md); see server/src/a.h.\n' >"$WORK/good/server/src/a.h"
printf '// The unit of work (store/unit.h), beside a.h; #include <sys/stat.h>\n' >"$WORK/good/server/src/store/unit.h"
printf '// As README.md says; the page is at "pages/x.md" when served.\n' >"$WORK/good/tests/browser/a.mjs"
printf '# See store/unit.h and https://example.org/a/b.md\n' >"$WORK/good/tests/browser/b.py"
printf '# generated from gen/made.cc\n' >"$WORK/good/server/src/c.sh"
mkdir -p "$WORK/good/server/src/gen"
: >"$WORK/good/server/src/gen/made.cc.in"
: >"$WORK/good/README.md"
"$CHECK" "$WORK/good" >/dev/null || { echo "FAIL: a sound tree was refused" >&2; exit 1; }

cp -r "$WORK/good" "$WORK/bad"
printf '// See docs/missing.md and server/src/gone.cc.\n' >"$WORK/bad/server/src/b.h"
printf '// Keeps invariant 9.\n' >"$WORK/bad/server/src/c.h"
printf '// As D%s.md says.\n' ATA >"$WORK/bad/server/src/d.h"
printf '// The health of agents (store/agent_health.cc).\n' >"$WORK/bad/server/src/e.h"
printf '// Violations are the server'"'"'s to fix: see FINDINGS.md.\n' >"$WORK/bad/tests/browser/f.mjs"
printf '# Reads feed/feed_reader.h\n' >"$WORK/bad/tests/browser/g.py"
printf '# Runs scripts/gone.sh\n' >"$WORK/bad/server/src/h.sh"
if "$CHECK" "$WORK/bad" >"$WORK/out" 2>&1; then
  echo "FAIL: a tree with broken references passed" >&2
  exit 1
fi
for expected in "server/src/b.h:1: cites docs/missing.md" "server/src/b.h:1: cites server/src/gone.cc" \
                "server/src/c.h:1: cites invariant 9" "server/src/d.h:1: cites a document outside" \
                "server/src/e.h:1: cites store/agent_health.cc" "tests/browser/f.mjs:1: cites FINDINGS.md" \
                "tests/browser/g.py:1: cites feed/feed_reader.h" "server/src/h.sh:1: cites scripts/gone.sh"; do
  grep -qF "$expected" "$WORK/out" || { echo "FAIL: not reported: $expected" >&2; cat "$WORK/out" >&2; exit 1; }
done
echo "reference check: passes a sound tree, names each broken reference"
