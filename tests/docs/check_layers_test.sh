#!/bin/sh
# The layer check itself: it passes a tree whose includes reach down, and
# fails one where the database layer reaches the domain, the domain reaches
# an edge, a page includes store/, or a folder is in no layer, naming each.
set -eu
CHECK="$(cd "$(dirname "$0")" && pwd)/check_layers.sh"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/good/server/src/database" "$WORK/good/server/src/store" \
         "$WORK/good/server/src/api" "$WORK/good/server/src/web"
printf '#include "database/connection.h"\n#include "tributary/common/error.h"\n' \
  >"$WORK/good/server/src/database/a.cc"
printf '#include "database/connection.h"\n' >"$WORK/good/server/src/store/b.cc"
printf '#include "store/server_store.h"\n#include "web/html.h"\n' >"$WORK/good/server/src/api/c.cc"
printf '#include "reconcile/record_readings.h"\n#include "api/people_api.h"\n' \
  >"$WORK/good/server/src/web/d.cc"
"$CHECK" "$WORK/good" >/dev/null || { echo "FAIL: a sound tree was refused" >&2; exit 1; }

cp -r "$WORK/good" "$WORK/bad"
printf '#include "store/server_store.h"\n' >"$WORK/bad/server/src/database/e.cc"
printf '// x\n#include "api/people_api.h"\n' >"$WORK/bad/server/src/store/f.h"
printf '#include "store/server_store.h"\n' >"$WORK/bad/server/src/web/g.cc"
mkdir -p "$WORK/bad/server/src/stray"
if "$CHECK" "$WORK/bad" >"$WORK/out" 2>&1; then
  echo "FAIL: a tree with layer breaches passed" >&2
  exit 1
fi
for expected in "server/src/database/e.cc:1: includes store/" "server/src/store/f.h:2: includes api/" \
                "server/src/web/g.cc:1: a web page includes store/" "server/src/stray: a folder in no layer"; do
  grep -qF "$expected" "$WORK/out" || { echo "FAIL: not reported: $expected" >&2; cat "$WORK/out" >&2; exit 1; }
done
echo "layer check: passes a sound tree, names each breach"
