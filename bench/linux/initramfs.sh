#!/bin/sh
# Build the initramfs that runs the benchmark on Linux: busybox-static, the
# bench binary, bench/linux/init, and the kernel modules for virtio-blk and
# ext2 (modules, not built in, in Debian's kernel).  The package ships no
# modules.dep (depmod runs at install time), so dependencies are read from
# each module's own .modinfo section and listed in load order.
#
# usage: bench/linux/initramfs.sh KERNEL_ROOT BENCH_BINARY OUTPUT.cpio.gz
set -e
[ $# -eq 3 ] || { echo "usage: $0 kernel-root bench-binary out.cpio.gz" >&2; exit 2; }
kroot=$1 benchbin=$2 output=$3
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox		# from Debian's busybox-static

for f in "$busybox" "$benchbin" "$here/init"; do
	[ -f "$f" ] || { echo "initramfs.sh: missing $f" >&2; exit 1; }
done
# A dynamic busybox (package busybox) would find no libc in the initramfs.
if readelf -l "$busybox" | grep -q INTERP; then
	echo "initramfs.sh: $busybox is not static (install busybox-static)" >&2
	exit 1
fi
command -v cpio >/dev/null || { echo "initramfs.sh: needs cpio" >&2; exit 1; }

kver=$(ls "$kroot/lib/modules" | head -n 1)
mods=$kroot/lib/modules/$kver/kernel
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Every module once as "name path" (path under $mods); names use _ where
# file names may use -, as the kernel does.
find "$mods" -name '*.ko' | sed "s|^$mods/||" |
	awk '{ n = $0; sub(/.*\//, "", n); sub(/\.ko$/, "", n); gsub(/-/, "_", n);
	       print n, $0 }' > "$stage/index"

# Path (under $mods) of the module called $1.
modpath() {
	awk -v n="$1" '$1 == n { print $2; exit }' "$stage/index"
}

# The modules module $1 depends on, from its .modinfo "depends=" field.
moddeps() {
	objcopy -O binary --only-section=.modinfo "$mods/$1" /dev/stdout |
		tr '\0' '\n' | sed -n 's/^depends=//p' | tr , ' '
}

# Append module $1 and, first, everything it needs to $stage/modules.list.
load_order() {
	grep -qx "$1" "$stage/names" 2>/dev/null && return 0
	p=$(modpath "$1")
	[ -n "$p" ] || { echo "initramfs.sh: no module $1 in $kver" >&2; exit 1; }
	for d in $(moddeps "$p"); do
		load_order "$d"
	done
	p=$(modpath "$1")	# the recursion above overwrote it
	echo "$1" >> "$stage/names"
	echo "$p" >> "$stage/modules.list"
	mkdir -p "$stage/lib/modules/$(dirname "$p")"
	cp "$mods/$p" "$stage/lib/modules/$p"
}

: > "$stage/modules.list"
# virtio_pci finds the device, virtio_blk drives it; ext4 provides ext2
# (CONFIG_EXT4_USE_FOR_EXT2) and wants crc32c first (a softdep that
# .modinfo's depends= does not list).
for m in crc32c_generic virtio_pci virtio_blk ext4; do
	load_order "$m"
done

mkdir -p "$stage/bin"
cp "$busybox" "$stage/bin/busybox"
cp "$benchbin" "$stage/bench"
cp "$here/init" "$stage/init"
chmod 755 "$stage/init" "$stage/bench" "$stage/bin/busybox"
rm -f "$stage/names" "$stage/index"

mkdir -p "$(dirname "$output")"
(cd "$stage" && find . | sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 > "$output.tmp"
mv "$output.tmp" "$output"
echo "initramfs.sh: $output ($(tr '\n' ' ' < "$stage/modules.list"))" >&2
