#!/bin/sh
# Checks that the server's layers (server/CMakeLists.txt, docs/design.md
# "Layers") only reach down: a file of the database layer includes no
# server header above it, a file of the domain layer none of the edges, and
# a web page no store/ header (the pages read through the people's API and
# read-only services). Prints each breach as FILE:LINE: reason; exits 1 if
# there is one.
#
#   tests/docs/check_layers.sh [ROOT]      (default: this repository)
set -eu
ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT/server/src"

DATABASE="database"
DOMAIN="audit backup config dictionary enrol export feed ingest keys metrics notices orgs periods
  person_keys reconcile report reporting returns rollup schedule store users validation"
EDGES="api cli http web"

layer_of() {
  for f in $DATABASE; do [ "$1" = "$f" ] && { echo 1; return; }; done
  for f in $DOMAIN; do [ "$1" = "$f" ] && { echo 2; return; }; done
  for f in $EDGES; do [ "$1" = "$f" ] && { echo 3; return; }; done
  echo 0
}

broken=$(mktemp)
trap 'rm -f "$broken"' EXIT
for dir in */; do
  dir=${dir%/}
  mine=$(layer_of "$dir")
  if [ "$mine" = 0 ]; then
    echo "server/src/$dir: a folder in no layer (add it to tests/docs/check_layers.sh and server/CMakeLists.txt)" >>"$broken"
    continue
  fi
  grep -nE '^#include "[a-z_]+/' "$dir"/* 2>/dev/null | while IFS=: read -r file line text; do
    target=$(printf '%s' "$text" | sed -E 's/^#include "([a-z_]+)\/.*/\1/')
    theirs=$(layer_of "$target")
    [ "$theirs" = 0 ] && continue  # not a server folder (tributary/common/...)
    if [ "$theirs" -gt "$mine" ]; then
      echo "server/src/$file:$line: includes $target/ from a lower layer" >>"$broken"
    elif [ "$dir" = web ] && [ "$target" = store ]; then
      echo "server/src/$file:$line: a web page includes store/: read through web/api_client.h or a read-only service" >>"$broken"
    fi
  done
done

if [ -s "$broken" ]; then
  cat "$broken"
  echo "$(wc -l <"$broken") layer breach(es)" >&2
  exit 1
fi
echo "layers: database <- domain <- edges, and no page reads the store"
