#!/bin/sh
# Run the POSIX benchmark on Debian's Linux kernel under tools/qemu --bench,
# the machine Bulkhead is measured on, and keep its `metric` lines.
#
# usage: bench/linux/run.sh [-q]     (-q: quick, a tenth of the rounds)
# Writes, under build/bench/:
#   linux.txt        the metric lines (the Linux column of bench/run)
#   linux.log        the whole serial console
#   linux.qemu-argv  the QEMU command line tools/qemu ran, one word a line
#   linux.kernel     the kernel package's version
#   linux.date       when this run was made, and how
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/bench
here=$top/bench/linux
append='console=ttyS0 loglevel=3 panic=-1'
# The kernel hands unknown name=value words to /init as its environment.
[ "$1" = "-q" ] && append="$append BENCH_ARGS=-q"

# tools/deps.sh installs what is missing; cpio is needed only here, so it is
# asked for through the script's hook for extra packages.
BULKHEAD_EXTRA_PKGS="cpio $BULKHEAD_EXTRA_PKGS" "$top/tools/deps.sh"
make -s -C "$top/bench" O="$out" >&2
kroot=$("$here/kernel.sh" "$out/linux")
kernel=$(ls "$kroot"/boot/vmlinuz-* | head -n 1)
"$here/initramfs.sh" "$kroot" "$out/bench" "$out/linux/initramfs.cpio.gz"
# A fresh disk each run: the previous run's files must not change this one.
# It holds Bulkhead's root tree and /bench too when they are built, so that
# both systems read the very same file system (bench/mkdisk.sh).
if [ -d "$top/build/rootfs.stage" ]; then
	"$top/bench/mkdisk.sh" "$out/linux/disk.img" "$top/build/rootfs.stage" "$out/bench"
else
	"$top/bench/mkdisk.sh" "$out/linux/disk.img"
fi
basename "$kernel" | sed 's/^vmlinuz-//' > "$out/linux.kernel"

# The exact QEMU command line, for the table (bench/record-qemu.sh).
. "$top/bench/record-qemu.sh"
record_qemu "$out/linux.qemu-argv"

echo "run.sh: booting $(cat "$out/linux.kernel") in QEMU (TCG, icount); takes minutes" >&2
start=$(date +%s)
# timeout: a guest that fails to power off must not hang make bench.
timeout 1200 "$top/tools/qemu" --bench \
	--kernel "$kernel" --initrd "$out/linux/initramfs.cpio.gz" \
	--append "$append" \
	--disk "$out/linux/disk.img" < /dev/null | tr -d '\r' > "$out/linux.log" || true
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), bench/linux/run.sh${1:+ $1}" > "$out/linux.date"
echo "run.sh: QEMU ran $(($(date +%s) - start)) s" >&2

grep -E '^(metric|skip|fail) ' "$out/linux.log" > "$out/linux.txt" || true
grep -q '^linux-bench: end' "$out/linux.log" ||
	{ echo "run.sh: the benchmark did not finish; see $out/linux.log" >&2; exit 1; }
if grep -q '^fail ' "$out/linux.txt"; then
	grep '^fail ' "$out/linux.txt" >&2
fi
echo "run.sh: $(grep -c '^metric ' "$out/linux.txt") metrics in $out/linux.txt" >&2
