#!/bin/sh
# Install the Debian packages Bulkhead needs to build, run and test.
# Called by every top-level make target that needs a tool; cheap when all is
# present (one dpkg query). As root it installs what is missing; otherwise it
# prints the exact apt-get command to run.
set -e
PKGS="gcc binutils make linux-libc-dev qemu-system-x86 musl-tools e2fsprogs grub-pc-bin \
grub-common xorriso mtools cloc busybox-static python3 spin cpio clang"
[ -n "$BULKHEAD_EXTRA_PKGS" ] && PKGS="$PKGS $BULKHEAD_EXTRA_PKGS"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' \
		|| missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || true
apt-get install -y -qq --no-install-recommends $missing >&2
