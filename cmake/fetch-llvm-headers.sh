#!/usr/bin/env bash
# Fetch Debian's LLVM/MLIR 23.1.x development headers into a private cache
# directory, without touching the system's apt configuration.
#
#   cmake/fetch-llvm-headers.sh <cache-dir>
#
# Result: <cache-dir>/prefix/usr/include/llvm-23/{llvm,llvm-c} and
#         <cache-dir>/prefix/usr/lib/llvm-23/include/mlir, plus
#         <cache-dir>/STAMP holding the package versions; then
#         fetch-mlir-tblgen.sh adds <cache-dir>/bin/mlir-tblgen (own stamp, so
#         a header cache made before it gets the tool added).
# libtriton.so is built with LLVM_ENABLE_ABI_BREAKING_CHECKS=1; Debian with 0.
# The copy of llvm/Config/abi-breaking.h is patched to 1 so ilist and friends
# have the same layout and mangled names as in libtriton.so.
set -euo pipefail
CACHE=${1:?usage: fetch-llvm-headers.sh <cache-dir>}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -f "$CACHE/STAMP" ] && [ -d "$CACHE/prefix/usr/lib/llvm-23/include/mlir" ]; then
  echo "llvm headers: reusing cache $CACHE ($(cat "$CACHE/STAMP"))"
  exec bash "$HERE/fetch-mlir-tblgen.sh" "$CACHE"
fi
command -v apt-get >/dev/null || { echo "error: apt-get not found; point the build at an LLVM/MLIR install with -DAUTOPIPE_LLVM_ROOT=<prefix> instead" >&2; exit 1; }
# shellcheck source=sid-apt.sh
source "$HERE/sid-apt.sh"
APT="$CACHE/apt"
rm -rf "$CACHE/prefix" "$CACHE/debs"
sid_apt_setup "$APT"
mkdir -p "$CACHE/debs" "$CACHE/prefix"
OPTS=("${SID_APT_OPTS[@]}")
MIRROR=$SID_MIRROR
echo "llvm headers: fetching libmlir-23-dev and llvm-23-dev from $MIRROR sid into $CACHE"
apt-get "${OPTS[@]}" update >/dev/null
(cd "$CACHE/debs" && apt-get "${OPTS[@]}" download libmlir-23-dev llvm-23-dev >/dev/null)
for d in "$CACHE"/debs/*.deb; do dpkg -x "$d" "$CACHE/prefix"; done
VERS=$(for d in "$CACHE"/debs/*.deb; do dpkg-deb --showformat='${Package}=${Version}\n' -W "$d"; done | paste -sd' ')
case "$VERS" in
  *"llvm-23-dev=1:23.1."*) ;;
  *) echo "error: expected an LLVM 23.1.x release from Debian sid, got: $VERS" >&2
     echo "       (sid has moved on; point the build at a matching LLVM with -DAUTOPIPE_LLVM_ROOT=<prefix>)" >&2
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
exec bash "$HERE/fetch-mlir-tblgen.sh" "$CACHE"
