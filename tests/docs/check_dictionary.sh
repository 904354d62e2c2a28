#!/bin/sh
# docs/data-dictionary.md is exactly what the server's declarations generate
# (tributary-server dictionary --format markdown): the dictionary cannot say
# other than the program does.
#   tests/docs/check_dictionary.sh SERVER_BINARY SOURCE_DIR
set -eu
SERVER=$1
ROOT=$2
GENERATED=$(mktemp)
trap 'rm -f "$GENERATED"' EXIT
"$SERVER" dictionary --format markdown >"$GENERATED"
if ! cmp -s "$GENERATED" "$ROOT/docs/data-dictionary.md"; then
  diff -u "$ROOT/docs/data-dictionary.md" "$GENERATED" | head -40 >&2 || true
  echo "docs/data-dictionary.md differs from the declarations; regenerate it with" >&2
  echo "  $SERVER dictionary --format markdown > docs/data-dictionary.md" >&2
  exit 1
fi
echo "docs/data-dictionary.md is what the declarations generate"
