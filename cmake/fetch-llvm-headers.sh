#!/usr/bin/env bash
# Fetch Debian's LLVM/MLIR 23.1.x development headers into a private cache
# directory, without touching the system's apt configuration.
#
#   cmake/fetch-llvm-headers.sh <cache-dir>
#
# Result: <cache-dir>/prefix/usr/include/llvm-23/{llvm,llvm-c} and
#         <cache-dir>/prefix/usr/lib/llvm-23/include/mlir, plus
#         <cache-dir>/STAMP holding the package versions.
# libtriton.so is built with LLVM_ENABLE_ABI_BREAKING_CHECKS=1; Debian with 0.
# The copy of llvm/Config/abi-breaking.h is patched to 1 so ilist and friends
# have the same layout and mangled names as in libtriton.so.
set -euo pipefail
CACHE=${1:?usage: fetch-llvm-headers.sh <cache-dir>}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
if [ -f "$CACHE/STAMP" ] && [ -d "$CACHE/prefix/usr/lib/llvm-23/include/mlir" ]; then
  echo "llvm headers: reusing cache $CACHE ($(cat "$CACHE/STAMP"))"
  exit 0
fi
command -v apt-get >/dev/null || { echo "error: apt-get not found; point the build at an LLVM/MLIR install with -DAUTOPIPE_LLVM_DIR=... instead" >&2; exit 1; }
MIRROR=${AUTOPIPE_DEBIAN_MIRROR:-}
if [ -z "$MIRROR" ]; then
  # Use the same mirror host as the machine's own sources.
  MIRROR=$(grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
           | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi
MIRROR=${MIRROR%/}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$KEYRING" ] || KEYRING=/usr/share/keyrings/debian-archive-keyring.pgp
APT="$CACHE/apt"
rm -rf "$APT" "$CACHE/prefix" "$CACHE/debs"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" "$CACHE/debs" "$CACHE/prefix"
if [ -f "$KEYRING" ]; then
  echo "deb [signed-by=$KEYRING] $MIRROR sid main" > "$APT/sources.list"
else
  echo "deb [trusted=yes] $MIRROR sid main" > "$APT/sources.list"
fi
OPTS=(-o "Dir::Etc::SourceList=$APT/sources.list" -o "Dir::Etc::SourceParts=$APT/parts"
      -o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -q)
echo "llvm headers: fetching libmlir-23-dev and llvm-23-dev from $MIRROR sid into $CACHE"
apt-get "${OPTS[@]}" update >/dev/null
(cd "$CACHE/debs" && apt-get "${OPTS[@]}" download libmlir-23-dev llvm-23-dev >/dev/null)
for d in "$CACHE"/debs/*.deb; do dpkg -x "$d" "$CACHE/prefix"; done
VERS=$(for d in "$CACHE"/debs/*.deb; do dpkg-deb --showformat='${Package}=${Version}\n' -W "$d"; done | paste -sd' ')
case "$VERS" in
  *"llvm-23-dev=1:23.1."*) ;;
  *) echo "error: expected an LLVM 23.1.x release from Debian sid, got: $VERS" >&2
     echo "       (sid has moved on; point the build at a matching LLVM with -DAUTOPIPE_LLVM_DIR=...)" >&2
     exit 1 ;;
esac
ABI="$CACHE/prefix/usr/include/llvm-23/llvm/Config/abi-breaking.h"
sed -i 's/#define LLVM_ENABLE_ABI_BREAKING_CHECKS 0/#define LLVM_ENABLE_ABI_BREAKING_CHECKS 1/' "$ABI"
grep -q '#define LLVM_ENABLE_ABI_BREAKING_CHECKS 1' "$ABI" || { echo "error: could not set LLVM_ENABLE_ABI_BREAKING_CHECKS=1 in $ABI" >&2; exit 1; }
# Keep only the headers (the packages also carry ~1 GB of static libraries).
find "$CACHE/prefix" \( -name '*.a' -o -name '*.so*' \) -delete
rm -rf "$CACHE/debs" "$APT"
echo "$VERS" > "$CACHE/STAMP"
echo "llvm headers: ready ($VERS)"
