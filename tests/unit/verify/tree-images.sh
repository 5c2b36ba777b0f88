#!/bin/sh
# Every image list in the tree passes the image verifier, as `make` runs it.
# Usage: tree-images.sh MKIMAGE TOP
mk=$1
cd "$2" || exit 2
fail=0
for l in etc/*.image tests/system/*.image bench/native/*.image; do
	[ -f "$l" ] || continue
	name=$(echo "${l%.image}" | tr / _)
	if out=$("$mk" --verify -c contracts $(grep -v '^#' "$l") 2>&1) && [ -z "$out" ]; then
		echo "ok verify_tree_$name"
	else
		echo "not ok verify_tree_$name"
		echo "$out" | sed 's/^/#   | /'
		fail=1
	fi
done
# The image tests/run.d/70-net.sh boots for virtio-net: the boot image with
# virtio-net.svc in e1000.svc's place (its probe build has the same lines).
if out=$("$mk" --verify -c contracts $(grep -v '^#' etc/boot.image |
	sed 's|^etc/e1000.svc$|etc/virtio-net.svc|') 2>&1) && [ -z "$out" ]; then
	echo "ok verify_tree_etc_boot_virtio_net"
else
	echo "not ok verify_tree_etc_boot_virtio_net"
	echo "$out" | sed 's/^/#   | /'
	fail=1
fi
exit $fail
