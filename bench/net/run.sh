#!/bin/sh
# The network rows of `make bench`: build/bench/net.txt, the `metric` lines
# of tests/net/netbench (TCP connect+close to the host, receive and send
# per MiB through QEMU user networking, loopback per MiB between two
# processes), run from the busybox shell on the real system under
# `tools/qemu --bench` (guest instructions), with tests/net/peer.py as the
# host side. Linux's column for these rows is not measured yet (its bench
# initramfs has no network driver): bench/run shows -.
# usage: bench/net/run.sh [-q]   (-q: 1 MiB transfers instead of 4)
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
B=build
out=$B/bench
mib=4
[ "$1" = -q ] && mib=1
mkdir -p $out
make -s $B/kernel.bin $B/boot.img $B/rootfs.img
set -- $(python3 tests/net/peer.py ports 3)
python3 tests/net/peer.py serve $1 accept > /dev/null 2>&1 &
p1=$!
python3 tests/net/peer.py serve $2 source $((mib * 1048576)) > /dev/null 2>&1 &
p2=$!
python3 tests/net/peer.py serve $3 sink > /dev/null 2>&1 &
p3=$!
cp $B/rootfs.img $out/net-disk.raw
printf '$ netbench: netbench 10.0.2.2 %s %s %s %s; echo NETBENCH-DONE\n~ NETBENCH-DONE\n' $1 $2 $3 $mib \
	> $out/net.cases
TEST_GUARD=1200 tools/serial-session $out/net.cases $out/net.log \
	-- --bench --disk $out/net-disk.raw >/dev/null || true
kill $p1 $p2 $p3 2>/dev/null || true
rm -f $out/net-disk.raw
tr -d '\r' < $out/net.log | grep -E '^(metric|skip|fail) ' > $out/net.txt || true
grep -q '^NETBENCH-DONE' $out/net.log ||
	{ echo "net/run.sh: the benchmark did not finish; see $out/net.log" >&2; exit 1; }
echo "net/run.sh: $(grep -c '^metric' $out/net.txt) metrics in $out/net.txt" >&2
