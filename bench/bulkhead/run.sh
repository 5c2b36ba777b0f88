#!/bin/sh
# Bulkhead's column of `make bench`: build/bench/bulkhead.txt, in the same
# `metric <name> <cycles> cycles ...` lines as the Linux run, all under
# `tools/qemu --bench` (guest instructions; see docs/performance.md).
#   1. the native microkernel figures: the bench/native/ipcbench image;
#   2. the POSIX benchmark (bench/posix/bench, the very binary the Linux run
#      uses) run from the busybox shell on the real system, with the root
#      file system on a fresh copy of build/rootfs.img that also holds
#      /bench (written into the copy with debugfs).
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
make -s $B/kernel.bin $B/boot.img $B/rootfs.img $B/bench/ipcbench.img

tools/qemu --bench --kernel $B/kernel.bin --initrd $B/bench/ipcbench.img </dev/null |
	tr -d '\r' | grep '^metric' > $out/bulkhead.native.txt

cp $B/rootfs.img $out/bulkhead-disk.raw
debugfs -w -R "write $out/bench /bench" $out/bulkhead-disk.raw >/dev/null 2>&1
debugfs -w -R "sif /bench mode 0100755" $out/bulkhead-disk.raw >/dev/null 2>&1
printf '$ bench: mkdir -p /tmp/b && /bench %s -w /tmp/b; echo BENCH-DONE\n~ BENCH-DONE\n' "$quick" \
	> $out/bulkhead.cases
TEST_GUARD=3000 tools/serial-session $out/bulkhead.cases $out/bulkhead.log \
	-- --bench --disk $out/bulkhead-disk.raw >/dev/null || true
tr -d '\r' < $out/bulkhead.log | grep -E '^(metric|skip|fail) ' > $out/bulkhead.posix.txt || true
cat $out/bulkhead.native.txt $out/bulkhead.posix.txt > $out/bulkhead.txt
grep -c '^metric' $out/bulkhead.txt | sed 's/$/ Bulkhead metrics/' >&2
