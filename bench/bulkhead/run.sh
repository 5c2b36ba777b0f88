#!/bin/sh
# Bulkhead's POSIX column of `make bench`: build/bench/bulkhead.txt, the
# `metric <name> <cycles> cycles ...` lines of bench/posix/bench (the very
# binary the Linux run uses), run from the busybox shell on the real system
# under `tools/qemu --bench` (guest instructions; docs/performance.md).
# The disk is the one the Linux run reads (bench/mkdisk.sh): a fresh
# 192 MiB ext2 with 4 KiB blocks holding the root tree, /bench and
# /bench.64m; Bulkhead boots from it and the bench runs in its top
# directory, as Linux's does in /mnt, reading the raw disk from /dev/vda.
# usage: bench/bulkhead/run.sh [-q]
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
B=build
out=$B/bench
quick=
[ "$1" = -q ] && quick=-q
mkdir -p $out
make -s -C bench O="$top/$out" >/dev/null
make -s $B/kernel.bin $B/boot.img $B/rootfs.img
bench/mkdisk.sh $out/bulkhead-disk.raw $B/rootfs.stage $out/bench

. bench/record-qemu.sh
record_qemu "$top/$out/bulkhead.qemu-argv"
printf '$ bench: /bench %s -d /dev/vda -w /; echo BENCH-DONE\n~ BENCH-DONE\n' "$quick" \
	> $out/bulkhead.cases
TEST_GUARD=3000 tools/serial-session $out/bulkhead.cases $out/bulkhead.log \
	-- --bench --disk $out/bulkhead-disk.raw >/dev/null || true
tr -d '\r' < $out/bulkhead.log | grep -E '^(metric|skip|fail) ' > $out/bulkhead.txt || true
rm -f $out/bulkhead-disk.raw
grep -q '^BENCH-DONE' $out/bulkhead.log ||
	{ echo "bulkhead/run.sh: the benchmark did not finish; see $out/bulkhead.log" >&2; exit 1; }
grep '^fail ' $out/bulkhead.txt >&2 || true
echo "bulkhead/run.sh: $(grep -c '^metric' $out/bulkhead.txt) metrics in $out/bulkhead.txt" >&2
