#!/bin/sh
# Checks that what the code and documents cite exists:
#   - every path into the repository (docs/api.md, server/src/store/server_store.h,
#     tests/reference/rollups.sql, ...) names a file or folder that is there;
#   - every "invariant N" names one of docs/design.md's numbered invariants;
#   - nothing cites a document that is not in the repository (the project's
#     early design, data and style notes: now docs/design.md and docs/data.md).
#   - a path not rooted at a top-level folder (store/server_store.h, as a
#     server source names its neighbours) or a document named bare
#     (FINDINGS.md) names a file the repository holds somewhere.
# A rooted path is looked for from the repository's root and from the citing
# file's folder (CMake lists name their sources that way); an unrooted one
# from the citing file's folder and as the end of any file's path; a bare
# document as any file's name; a generated source as its template (.in).
# System headers (#include <sys/stat.h>), URLs and string literals (a test's
# "profiles/x.toml") are not citations of the repository's files.
# Prints each broken reference as FILE:LINE: reason and exits 1 if there is one.
#
#   tests/docs/check_references.sh [ROOT]      (default: this repository)
set -eu
ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"

# The files people read: sources, scripts, build files and documents; not the
# build trees, fuzz corpora or npm's.
files() {
  find . \( -name .git -o -name build -o -name node_modules -o -name corpus -o -name demo-run \) \
      -prune -o -type f \( -name '*.cc' -o -name '*.h' -o -name '*.md' -o -name '*.sh' \
      -o -name 'CMakeLists.txt' -o -name '*.cmake' -o -name '*.sql' -o -name '*.toml' \
      -o -name '*.service' -o -name 'run' -o -name '*.mjs' -o -name '*.js' -o -name '*.py' \
      -o -name '*.R' \) -print | sed 's|^\./||' | sort
}

broken=$(mktemp)
trap 'rm -f "$broken"' EXIT

# The numbers of the "## Invariants" section's list.
invariants=$(sed -n '/^## Invariants/,/^## /s/^\([0-9][0-9]*\)\. \*\*.*/\1/p' docs/design.md \
  2>/dev/null | tr '\n' ' ' | sed 's/ $//')

# This checker and its own test are left out: the test's trees are broken on
# purpose.
files | grep -v '^tests/docs/' | while read -r file; do
  # Paths into the repository, as written in prose or code.
  grep -noE '(^|[^A-Za-z0-9_./-])(docs|server|agent|common|protocol|tests|scripts|installers|bench|examples|cmake)/[A-Za-z0-9_./-]*[A-Za-z0-9_]' "$file" |
  while IFS=: read -r line match; do
    path=$(printf '%s' "$match" | sed -E 's|^[^A-Za-z]*||; s|[.]$||')
    case "$path" in
      */*.*|docs/*) ;;     # a file (or a document folder)
      *) continue ;;       # a word like "server/client": not a path
    esac
    [ -e "$path" ] || [ -e "$(dirname "$file")/$path" ] ||
      echo "$file:$line: cites $path, which does not exist" >>"$broken"
  done
  # Invariants by number.
  grep -noE '[Ii]nvariants? [0-9]+' "$file" | while IFS=: read -r line match; do
    n=${match##* }
    case " $invariants " in
      *" $n "*) ;;
      *) echo "$file:$line: cites invariant $n; docs/design.md numbers ${invariants:-none}" >>"$broken" ;;
    esac
  done
  # Documents that are not in the repository.
  # (Spelled in pieces so that this script does not cite them itself.)
  grep -nE '\bD''ESIGN\b|\bD''ATA\.md\b|\bS''TYLE\.md\b' "$file" | while IFS=: read -r line _; do
    echo "$file:$line: cites a document outside the repository (docs/design.md, docs/data.md)" >>"$broken"
  done
done

# Unrooted paths and bare documents, all files at once.
files | grep -v '^tests/docs/' | python3 -c '
import os, re, sys
TOP = ("docs", "server", "agent", "common", "protocol", "tests", "scripts",
       "installers", "bench", "examples", "cmake", "web", "third_party")
known = set()
for d, dirs, names in os.walk("."):
    dirs[:] = [x for x in dirs if x not in (".git", "build", "node_modules", "demo-run")]
    for n in dirs + names:
        known.add(os.path.normpath(os.path.join(d, n)))
suffixes = set()
for k in known:
    parts = k.split("/")
    for i in range(len(parts)):
        suffixes.add("/".join(parts[i:]))
path_re = re.compile(r"(?<![A-Za-z0-9_./$:{}<\"\\\\-])((?:\.\./)*[A-Za-z0-9_-]+/[A-Za-z0-9_./-]*?[A-Za-z0-9_]+\.(?:cc|h|md|sh|py|mjs|sql|toml))\b")
doc_re = re.compile(r"(?<![A-Za-z0-9_./$:{}<-])([A-Z][A-Z0-9_-]*\.md)\b")
for file in sys.stdin.read().split():
    folder = os.path.dirname(file)
    with open(file, encoding="utf-8", errors="replace") as f:
        for n, text in enumerate(f, 1):
            if re.match(r"\s*#\s*include\s*<", text):
                continue
            for m in path_re.finditer(text):
                path = m.group(1)
                if path.split("/")[0] in TOP or path.startswith("../shared/"):
                    continue  # rooted (checked above), or the shared notes beside the repository
                local = os.path.normpath(os.path.join(folder, path))
                rest = re.sub(r"^(\.\./)+", "", path)
                if local in known or rest in suffixes or rest + ".in" in suffixes:
                    continue
                print(f"{file}:{n}: cites {path}, which is nowhere in the repository")
            for m in doc_re.finditer(text):
                if m.group(1) not in suffixes:
                    print(f"{file}:{n}: cites {m.group(1)}, which is nowhere in the repository")
' >>"$broken"

if [ -s "$broken" ]; then
  cat "$broken"
  echo "$(wc -l <"$broken") broken reference(s)" >&2
  exit 1
fi
echo "references: every cited file, document and invariant exists"
