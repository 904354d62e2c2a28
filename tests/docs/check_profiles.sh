#!/bin/sh
# docs/data.md's section on the preset import profiles is exactly what
# agent/profiles/*.toml say (scripts/profile-docs.py writes it).
#   tests/docs/check_profiles.sh SOURCE_DIR
set -eu
ROOT=$1
GENERATED=$(mktemp)
CURRENT=$(mktemp)
trap 'rm -f "$GENERATED" "$CURRENT"' EXIT
python3 "$ROOT/scripts/profile-docs.py" >"$GENERATED"
sed -n '/^<!-- presets: written by/,/^<!-- end of presets -->/p' "$ROOT/docs/data.md" >"$CURRENT"
if ! cmp -s "$GENERATED" "$CURRENT"; then
  diff -u "$CURRENT" "$GENERATED" | head -40 >&2 || true
  echo "docs/data.md's presets differ from agent/profiles/; run scripts/profile-docs.py --write" >&2
  exit 1
fi
echo "docs/data.md's presets are what agent/profiles/ says"
