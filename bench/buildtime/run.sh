#!/bin/sh
# Build time for `make bench`: a clean build of a copy of this tree (its
# files, tracked or not ignored, as they are in the working tree), in two
# parts, each timed by /usr/bin/time, into build/bench/buildtime.txt:
#   build_system  the kernel, every server, driver and program, and the
#                 boot image (make build/kernel.bin build/boot.img)
#   build_disk    then the root file system image (make build/rootfs.img:
#                 busybox, the POSIX oracle programs, mke2fs)
# Each gives the wall time and the CPU time (user + system of every
# process), in ms, with make -j<number of CPUs>. Wall time depends on what
# else the machine is doing; the CPU time much less so.
# usage: bench/buildtime/run.sh [-q]    (-q changes nothing)
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/bench
work=$out/buildtime
jobs=$(nproc)
rm -rf "$work"
mkdir -p "$work/src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/src")

# timed NAME TARGET...: one clean make, one metric line per figure.
timed() {
	name=$1
	shift
	if ! /usr/bin/time -f '%e %U %S' -o "$work/$name.time" \
	    make -s -C "$work/src" -j"$jobs" "$@" > "$work/$name.log" 2>&1; then
		echo "fail $name make $* (see $work/$name.log)"
		return 0
	fi
	awk -v n="$name" -v j="$jobs" '{
		printf "metric %s_wall %d ms jobs=%d\n", n, $1 * 1000 + 0.5, j
		printf "metric %s_cpu %d ms jobs=%d\n", n, ($2 + $3) * 1000 + 0.5, j
	}' "$work/$name.time"
}
{
	timed build_system build/kernel.bin build/boot.img
	timed build_disk build/rootfs.img
} > "$out/buildtime.txt"
rm -rf "$work/src"
cat "$out/buildtime.txt" >&2
