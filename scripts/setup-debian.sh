#!/bin/sh
# Installs what Tributary needs to build and test, from Debian bookworm's own packages.
# Idempotent: does nothing when every package is already installed.
set -eu

PACKAGES="build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libcurl4-openssl-dev libssl-dev openssl libsqlite3-dev sqlite3
  libzstd-dev libsystemd-dev libpq-dev libtomlplusplus-dev catch2
  help2man dpkg-dev lintian systemd adduser
  nftables iproute2 faketime clang-format"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installing:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
