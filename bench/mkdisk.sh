#!/bin/sh
# Make the benchmark disk: a raw image holding one ext2 file system (no
# partition table) with a 64 MiB file bench.64m for the sequential file
# read, and room for the 16 MiB scratch file.  The same image serves Linux
# and Bulkhead, so both read the same blocks through virtio-blk.
# 4 KiB blocks: mke2fs would pick 1 KiB for an image this small, which
# would make Linux's ext2 look slower than it is on any real disk.
#
# usage: bench/mkdisk.sh OUTPUT.img
set -e
# mke2fs lives in /sbin, which a normal user's PATH may lack.
PATH=$PATH:/sbin:/usr/sbin
[ $# -eq 1 ] || { echo "usage: $0 out.img" >&2; exit 2; }
out=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Not zeros: mke2fs -d would leave zero blocks as holes, and a hole is read
# without touching the disk.
yes 'bulkhead benchmark data' | head -c $((64 * 1024 * 1024)) > "$stage/bench.64m"
mkdir -p "$(dirname "$out")"
rm -f "$out"
truncate -s 192M "$out"
mke2fs -q -F -t ext2 -b 4096 -L bench -d "$stage" "$out"
