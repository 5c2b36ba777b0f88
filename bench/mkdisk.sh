#!/bin/sh
# Make the benchmark disk: a raw image holding one ext2 file system (no
# partition table) with a 64 MiB file bench.64m for the sequential file
# read, and room for the 16 MiB scratch file. Given a TREE (Bulkhead's root
# file system staging tree, build/rootfs.stage), its contents go in too,
# and each FILE (the bench binary) into the top directory: Bulkhead boots
# from this disk, Linux mounts it on /mnt, and both read the same blocks
# through virtio-blk.
# 4 KiB blocks: mke2fs would pick 1 KiB for an image this small, which
# would make Linux's ext2 look slower than it is on any real disk.
#
# usage: bench/mkdisk.sh OUTPUT.img [TREE [FILE...]]
set -e
# mke2fs lives in /sbin, which a normal user's PATH may lack.
PATH=$PATH:/sbin:/usr/sbin
[ $# -ge 1 ] || { echo "usage: $0 out.img [tree [file...]]" >&2; exit 2; }
out=$1
tree=${2:-}
shift
[ $# -eq 0 ] || shift
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

[ -z "$tree" ] || cp -a "$tree"/. "$stage"/
[ $# -eq 0 ] || cp "$@" "$stage"/
# Not zeros: mke2fs -d would leave zero blocks as holes, and a hole is read
# without touching the disk.
yes 'bulkhead benchmark data' | head -c $((64 * 1024 * 1024)) > "$stage/bench.64m"
mkdir -p "$(dirname "$out")"
rm -f "$out"
truncate -s 192M "$out"
mke2fs -q -F -t ext2 -b 4096 -L bench -E root_owner=0:0 -d "$stage" "$out"
