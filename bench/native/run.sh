#!/bin/sh
# Bulkhead's native microkernel figures for `make bench`: build/bench/
# native.txt, `metric <name> <cycles> cycles ...` lines, all under
# `tools/qemu --bench` (guest instructions; docs/performance.md):
#   bench/native/ipcbench.image  IPC round trips (fast and general path),
#       NOTIFY, safe copy, interrupt-to-driver latency, kernel call, trap;
#   tests/rs.img (t_rs, `make rs-bench`)  driver restart: from the request
#       that kills the driver to the first correct answer of its successor,
#       after a crash and after `service restart`.
# usage: bench/native/run.sh [-q]   (-q changes nothing: these are short)
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
B=build
out=$B/bench
mkdir -p $out
make -s $B/kernel.bin $B/bench/ipcbench.img $B/tests/rs.img
timeout 600 tools/qemu --bench --kernel $B/kernel.bin --initrd $B/bench/ipcbench.img </dev/null |
	tr -d '\r' | grep -E '^(metric|fail) ' > $out/native.txt.new || true
timeout 600 make -s rs-bench >/dev/null || true
# t_rs prints bare figures; name the unit as every other line does.
sed -n 's/^\(metric rs_recovery_\(crash\|service_kill\)_cycles [0-9]*\)$/\1 cycles/p' \
	$B/bench/rs.txt >> $out/native.txt.new
mv $out/native.txt.new $out/native.txt
grep '^fail ' $out/native.txt >&2 || true
echo "native/run.sh: $(grep -c '^metric' $out/native.txt) metrics in $out/native.txt" >&2
