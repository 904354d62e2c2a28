#!/bin/sh
# Builds the Windows agent's libraries — OpenSSL, libcurl, zstd and libsodium —
# for x86_64 Windows with Debian's mingw-w64, from Debian bookworm's own source
# packages (apt-get source PKG/bookworm), as static libraries in one prefix.
# Boost (Boost.JSON, header-only mode), toml++ and Catch2 are headers: the
# prefix links Debian's (packages libboost1.81-dev, libtomlplusplus-dev, catch2). SQLite is SQLCipher's amalgamation, compiled by CMake.
#
# Built once per machine and reused: the prefix is keyed by this script's
# contents and the source packages' versions, so a later build (or another
# clone) finds it ready and this script prints its path at once.
#
#   scripts/windows-deps.sh            builds if needed; prints the prefix
#   TRIBUTARY_WINDOWS_DEPS=DIR ...     where prefixes live
#                                      (default ~/.cache/tributary/windows-deps)
#
# Needs root (or sudo) the first time on a machine: it installs mingw-w64 and
# adds a deb-src entry beside the machine's Debian sources.
set -eu

HOST=x86_64-w64-mingw32
PACKAGES="openssl curl libzstd libsodium"
CACHE="${TRIBUTARY_WINDOWS_DEPS:-${XDG_CACHE_HOME:-${HOME:?set HOME or TRIBUTARY_WINDOWS_DEPS}/.cache}/tributary/windows-deps}"
SCRIPT="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
JOBS="$(nproc 2>/dev/null || echo 2)"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
# As root, apt's download sandbox user cannot write to root's cache folder.
if [ "$(id -u)" -eq 0 ]; then APT_SANDBOX="-o APT::Sandbox::User=root"; else APT_SANDBOX=""; fi

need_tools() {
  missing=""
  for p in g++-mingw-w64-x86-64-posix mingw-w64-tools dpkg-dev cmake ninja-build perl make \
           autoconf automake libtool; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "windows-deps: installing$missing" >&2
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

# The deb-src entry: the machine's Debian archive, bookworm suite. Added beside
# the machine's own sources, never in place of them.
need_sources() {
  list=/etc/apt/sources.list.d/tributary-deb-src.sources
  if [ ! -f "$list" ]; then
    echo "windows-deps: adding $list" >&2
    $SUDO sh -c "cat > $list" <<'EOF'
# Debian bookworm's source packages, for Tributary's Windows agent libraries
# (scripts/windows-deps.sh).
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    $SUDO apt-get update -qq
  fi
}

# The version of PKG that bookworm ships: what apt-get source PKG/bookworm fetches.
source_version() {
  apt-get source --print-uris -qq "$1/bookworm" 2>/dev/null |
    awk '{ print $2 }' | sed -n "s/^$1_\(.*\)\.dsc$/\1/p" | head -n 1
}

need_tools
need_sources

versions=""
for p in $PACKAGES; do
  v="$(source_version "$p")"
  [ -n "$v" ] || { echo "windows-deps: no bookworm source package for $p (apt-get source $p/bookworm)" >&2; exit 1; }
  versions="$versions $p=$v"
done
key="$( (cat "$SCRIPT"; echo "$versions"; ${HOST}-g++-posix -dumpversion) | sha256sum | cut -c1-16)"
PREFIX="$CACHE/$key"
if [ -f "$PREFIX/.complete" ]; then
  echo "$PREFIX"
  exit 0
fi
# One build at a time per cache: a second waits, then finds the prefix ready.
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$PREFIX/.complete" ]; then
  echo "$PREFIX"
  exit 0
fi

echo "windows-deps: building$versions into $PREFIX" >&2
rm -rf "$PREFIX" "$PREFIX.work"
mkdir -p "$PREFIX.work" "$PREFIX/include" "$PREFIX/lib"
WORK="$PREFIX.work"
cd "$WORK"
for p in $PACKAGES; do
  mkdir "$p" && (cd "$p" && apt-get source $APT_SANDBOX -qq --download-only "$p/bookworm" >/dev/null &&
                 dpkg-source -x ./*.dsc src >/dev/null 2>&1)
done

# A CMake toolchain for the libraries built with CMake (and for the agent's own
# build, cmake/toolchains/mingw-w64.cmake, which is the same settings).
cat > "$WORK/toolchain.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER ${HOST}-gcc-posix)
set(CMAKE_CXX_COMPILER ${HOST}-g++-posix)
set(CMAKE_RC_COMPILER ${HOST}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${HOST} $PREFIX)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF

# OpenSSL's configuration folder is baked into the library, and the prefix
# here means nothing on Windows (C:\root\... could be made by any user): it is
# a folder only administrators may write, and neither libcurl nor the agent
# loads a configuration file anyway (CURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG,
# OPENSSL_INIT_NO_LOAD_CONFIG in the agent's main).
# Reproducible objects: no build paths or dates baked in.
export SOURCE_DATE_EPOCH=1700000000
CFLAGS_COMMON="-O2 -ffile-prefix-map=$WORK=."

echo "windows-deps: openssl" >&2
(cd openssl/src &&
  ./Configure mingw64 --cross-compile-prefix=${HOST}- --prefix="$PREFIX" --libdir=lib \
    --openssldir="C:/Program Files/Tributary/ssl" \
    no-shared no-tests no-module no-legacy no-engine $CFLAGS_COMMON \
    CC=gcc-posix CXX=g++-posix >/dev/null &&
  make -j"$JOBS" build_libs >/dev/null 2>&1 &&
  make install_dev >/dev/null)

echo "windows-deps: zstd" >&2
cmake -S libzstd/src/build/cmake -B libzstd/build -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="$CFLAGS_COMMON" -DCMAKE_INSTALL_PREFIX="$PREFIX" \
  -DZSTD_BUILD_SHARED=OFF -DZSTD_BUILD_STATIC=ON -DZSTD_BUILD_PROGRAMS=OFF \
  -DZSTD_BUILD_TESTS=OFF -DZSTD_MULTITHREAD_SUPPORT=OFF >/dev/null
cmake --build libzstd/build >/dev/null
cmake --install libzstd/build >/dev/null

echo "windows-deps: libcurl" >&2
cmake -S curl/src -B curl/build -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$WORK/toolchain.cmake" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="$CFLAGS_COMMON" -DCMAKE_INSTALL_PREFIX="$PREFIX" \
  -DBUILD_SHARED_LIBS=OFF -DBUILD_CURL_EXE=OFF -DBUILD_TESTING=OFF \
  -DCURL_USE_OPENSSL=ON -DOPENSSL_ROOT_DIR="$PREFIX" -DOPENSSL_USE_STATIC_LIBS=ON \
  -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBPSL=OFF -DUSE_NGHTTP2=OFF -DUSE_LIBIDN2=OFF \
  -DCURL_ZLIB=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF -DCURL_DISABLE_LDAP=ON \
  -DCURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG=ON \
  -DENABLE_MANUAL=OFF -DENABLE_UNIX_SOCKETS=OFF >/dev/null
cmake --build curl/build >/dev/null
cmake --install curl/build >/dev/null

echo "windows-deps: libsodium" >&2
(cd libsodium/src && autoreconf -fi >/dev/null 2>&1 &&
  ./configure --host=${HOST} CC=${HOST}-gcc-posix --prefix="$PREFIX" --disable-shared \
    --enable-static --disable-dependency-tracking CFLAGS="$CFLAGS_COMMON" >/dev/null &&
  make -j"$JOBS" >/dev/null 2>&1 && make install >/dev/null)

# The header-only libraries: Debian's, linked in (they are not built).
ln -sfn /usr/include/boost "$PREFIX/include/boost"
ln -sfn /usr/include/toml++ "$PREFIX/include/toml++"
ln -sfn /usr/include/catch2 "$PREFIX/include/catch2"  # the tests' (Catch2 2, one header)

echo "$versions" > "$PREFIX/VERSIONS"
rm -rf "$WORK"
touch "$PREFIX/.complete"
# Prefixes of earlier versions of this script or of the packages are no longer
# used: only this script's own (16 hex digits, and their .work) are removed.
for old in "$CACHE"/*; do
  case "$(basename "$old")" in
    "$key") ;;
    [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f] | \
    [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f].work)
      rm -rf "$old" ;;
  esac
done
echo "$PREFIX"
