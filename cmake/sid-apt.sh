# Sourced by fetch-llvm-headers.sh and fetch-mlir-tblgen.sh: a private apt
# setup for Debian sid that leaves the system's apt configuration alone.
#
#   sid_apt_setup <private-dir>   # sets SID_MIRROR and SID_APT_OPTS (array)
#
# The mirror is AUTOPIPE_DEBIAN_MIRROR, else the host of the machine's own
# Debian sources, else deb.debian.org.
sid_apt_setup() {
  local apt=$1 keyring
  SID_MIRROR=${AUTOPIPE_DEBIAN_MIRROR:-}
  if [ -z "$SID_MIRROR" ]; then
    SID_MIRROR=$(grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
             | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)
    SID_MIRROR=${SID_MIRROR:-http://deb.debian.org/debian}
  fi
  SID_MIRROR=${SID_MIRROR%/}
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.pgp
  rm -rf "$apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts"
  if [ -f "$keyring" ]; then
    echo "deb [signed-by=$keyring] $SID_MIRROR sid main" > "$apt/sources.list"
  else
    echo "deb [trusted=yes] $SID_MIRROR sid main" > "$apt/sources.list"
  fi
  SID_APT_OPTS=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/parts"
                -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
                -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -q)
}
