#!/bin/sh
# Fetch Debian's own Linux kernel package and unpack it under build/bench/linux.
# linux-image-amd64 is only a metapackage; the kernel is in the package it
# depends on (linux-image-6.1.0-N-amd64 on bookworm), which apt-get download
# fetches without installing anything on the host.  Prints the unpacked
# tree's root.  Cached: a second call does nothing but print.
#
# usage: bench/linux/kernel.sh [outdir]     (default: build/bench/linux)
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build/bench/linux}
root=$out/kernel

if ls "$root"/boot/vmlinuz-* >/dev/null 2>&1; then
	echo "$root"
	exit 0
fi

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
if [ -z "$pkg" ]; then
	# A fresh machine may have no package lists yet.
	apt-get update -qq >&2
	pkg=$(apt-cache depends linux-image-amd64 |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
fi
[ -n "$pkg" ] || { echo "kernel.sh: cannot resolve linux-image-amd64" >&2; exit 1; }

mkdir -p "$out/deb"
rm -f "$out"/deb/*.deb
# apt drops to the _apt user to download; let it write the directory.
chmod 777 "$out/deb" 2>/dev/null || true
(cd "$out/deb" && apt-get download -q "$pkg" >&2)
rm -rf "$root.tmp"
dpkg-deb -x "$out"/deb/"$pkg"_*.deb "$root.tmp"
rm -rf "$root"
mv "$root.tmp" "$root"
echo "$root"
