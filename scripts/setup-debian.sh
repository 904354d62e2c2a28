#!/bin/sh
# Installs what Tributary needs, from Debian bookworm's own packages and the
# npm registry. Idempotent: does nothing when everything is already installed.
#
#   scripts/setup-debian.sh --demo   what building and running the demo needs:
#                                    the compiler, the libraries the agent and
#                                    server link, Node.js for the web assets
#   scripts/setup-debian.sh          all of that and the test toolchain: Catch2,
#                                    PostgreSQL, chromium, R, wine, mingw-w64,
#                                    the packaging tools, testssl.sh, ...
set -eu
MODE=tests
case "${1:-}" in
  --demo) MODE=demo ;;
  "") ;;
  *) echo "usage: scripts/setup-debian.sh [--demo]" >&2; exit 2 ;;
esac

# The demo: scripts/demo.sh builds tributary-server and tributary-agent only.
PACKAGES="build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libcurl4-openssl-dev libssl-dev openssl
  libzstd-dev libsystemd-dev libpq-dev libsodium-dev libtomlplusplus-dev"
if [ "$MODE" = tests ]; then
  PACKAGES="$PACKAGES sqlite3 postgresql-15 catch2
  help2man dpkg-dev lintian systemd adduser
  nftables iproute2 faketime clang-format curl
  chromium python3-pytest python3-jsonschema python3-pandas python3-psycopg2
  r-base-core r-cran-rpostgresql testssl.sh
  g++-mingw-w64-x86-64-posix wine wine64 wixl msitools"
fi
# Node.js builds the web assets (both modes) and runs the browser tests. The
# machine's own is used when it has one (Debian 12's nodejs is 18: enough for
# the assets; playwright-core needs 20, so the browser tests would not run on it).
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Installing:$missing" >&2
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The web pages' design system (the demo's), and the browser tests' and API
# lint's tools (web/package.json's devDependencies, the tests'), from npm,
# exactly as web/package-lock.json pins them; again only when the lockfile
# changed or the tests' tools are wanted and missing. No browser is
# downloaded: the tests drive Debian's chromium.
WEB="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ ! -f "$WEB/node_modules/.package-lock.json" ] ||
   [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ] ||
   { [ "$MODE" = tests ] && [ ! -f "$WEB/node_modules/playwright-core/package.json" ]; }; then
  if [ "$MODE" = demo ]; then OMIT="--omit=dev"; else OMIT=""; fi
  echo "Installing web/node_modules from web/package-lock.json${OMIT:+ (without the tests' tools)}" >&2
  # shellcheck disable=SC2086
  (cd "$WEB" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci $OMIT --no-audit --no-fund --loglevel=error)
fi

# SQLCipher's amalgamation, Tributary's SQLite (third_party/sqlcipher/), as its
# package-lock.json pins it. --ignore-scripts: the package's own scripts build
# a Node.js addon, which is not used (and would fetch Node's headers).
SQLCIPHER="$(cd "$(dirname "$0")/.." && pwd)/third_party/sqlcipher"
if [ ! -f "$SQLCIPHER/node_modules/.package-lock.json" ] ||
   [ "$SQLCIPHER/package-lock.json" -nt "$SQLCIPHER/node_modules/.package-lock.json" ]; then
  echo "Installing third_party/sqlcipher/node_modules from its package-lock.json" >&2
  (cd "$SQLCIPHER" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
