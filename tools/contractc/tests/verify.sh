#!/bin/sh
# verify.sh <file.contract>...: spin on each contract, with rendezvous
# channels (Bulkhead's IPC) and with buffered ones; must find nothing.
fail=0
for f in "$@"; do
	name=$(basename "$f" .contract)
	for depth in 0 1; do
		if sh tests/spin.sh "$f" $depth clean; then
			echo "ok spin_${name}_depth$depth"
		else
			echo "not ok spin_${name}_depth$depth"
			fail=1
		fi
	done
done
exit $fail
