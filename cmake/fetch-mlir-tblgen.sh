#!/usr/bin/env bash
# Fetch Debian sid's mlir-tblgen 23.1.x (package mlir-23-tools) into the LLVM
# header cache, without touching the system's apt configuration.
#
#   cmake/fetch-mlir-tblgen.sh <cache-dir>
#
# Result: <cache-dir>/bin/mlir-tblgen, a wrapper that runs the binary through
# sid's own loader and libraries (the binary needs glibc 2.43; bookworm has
# 2.36), and <cache-dir>/TBLGEN_STAMP holding the package versions. Only the
# binary and the runtime libraries it needs are kept. Called by
# fetch-llvm-headers.sh, also when the headers are already cached.
set -euo pipefail
CACHE=${1:?usage: fetch-mlir-tblgen.sh <cache-dir>}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
TOOL="$CACHE/bin/mlir-tblgen"
check_version() {
  local v
  v=$("$TOOL" --version 2>&1) || { echo "error: $TOOL does not run: $v" >&2; return 1; }
  case "$v" in
    *"LLVM version 23.1."*) ;;
    *) echo "error: expected mlir-tblgen 23.1.x, $TOOL says: $v" >&2
       echo "       (point the build at a matching one with -DAUTOPIPE_MLIR_TBLGEN=<path>)" >&2
       return 1 ;;
  esac
}
if [ -f "$CACHE/TBLGEN_STAMP" ] && [ -x "$TOOL" ]; then
  check_version
  echo "mlir-tblgen: reusing cache $CACHE ($(cat "$CACHE/TBLGEN_STAMP"))"
  exit 0
fi
command -v apt-get >/dev/null || { echo "error: apt-get not found; pass an mlir-tblgen 23.1.x with -DAUTOPIPE_MLIR_TBLGEN=<path> instead" >&2; exit 1; }
# shellcheck source=sid-apt.sh
source "$(dirname "$0")/sid-apt.sh"
APT="$CACHE/apt-tblgen"
sid_apt_setup "$APT"
DEBS="$CACHE/debs-tblgen"; P="$CACHE/tblgen-extract"
rm -rf "$DEBS" "$P" "$CACHE/tblgen" "$CACHE/bin"
mkdir -p "$DEBS" "$P" "$CACHE/tblgen/lib" "$CACHE/bin"
echo "mlir-tblgen: fetching mlir-23-tools (+ its runtime libraries) from $SID_MIRROR sid into $CACHE"
apt-get "${SID_APT_OPTS[@]}" update >/dev/null
(cd "$DEBS" && apt-get "${SID_APT_OPTS[@]}" download mlir-23-tools libc6 libstdc++6 \
   libgcc-s1 libz3-4 libzstd1 zlib1g >/dev/null)
for d in "$DEBS"/*.deb; do dpkg -x "$d" "$P"; done
VERS=$(for d in "$DEBS"/*.deb; do dpkg-deb --showformat='${Package}=${Version}\n' -W "$d"; done | paste -sd' ')
case "$VERS" in
  *"mlir-23-tools=1:23.1."*) ;;
  *) echo "error: expected mlir-23-tools 23.1.x from Debian sid, got: $VERS" >&2
     echo "       (sid has moved on; pass a matching mlir-tblgen with -DAUTOPIPE_MLIR_TBLGEN=<path>)" >&2
     exit 1 ;;
esac
# Keep the binary, the loader and the libraries it loads (symlinks resolved).
L="$P/usr/lib/x86_64-linux-gnu"
cp "$P/usr/lib/llvm-23/bin/mlir-tblgen" "$CACHE/tblgen/"
for lib in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libstdc++.so.6 libgcc_s.so.1 \
           libz.so.1 libzstd.so.1 libz3.so.4; do
  cp -L "$L/$lib" "$CACHE/tblgen/lib/$lib"
done
rm -rf "$DEBS" "$P" "$APT"
cat > "$TOOL" <<'WRAP'
#!/bin/sh
# Runs Debian sid's mlir-tblgen through sid's loader (it needs glibc 2.43).
D=$(dirname "$(readlink -f "$0")")/../tblgen
exec "$D/lib/ld-linux-x86-64.so.2" --library-path "$D/lib" "$D/mlir-tblgen" "$@"
WRAP
chmod +x "$TOOL"
check_version
echo "$VERS" > "$CACHE/TBLGEN_STAMP"
echo "mlir-tblgen: ready ($VERS)"
