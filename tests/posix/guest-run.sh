# Run every POSIX oracle test inside the guest in one go and print the
# transcripts between markers, for run-from-log to pick out on the host:
#
#   @@posix-begin <command>
#   <the command's stdout>
#   @@posix-exit <status>
#
# Installed on the disk image as /posix/run.sh, next to /posix/TESTS.
# Run it with busybox sh; it follows the runner contract in README.md
# (fresh empty directory, clean environment, stdin from /dev/null).
list=${1:-/posix/TESTS}
n=0
while read -r name exp cmd; do
	case $name in '#'*|'') continue ;; esac
	n=$((n + 1))
	dir=/tmp/posix.$n
	rm -rf "$dir"
	mkdir -p "$dir"
	# Split $cmd into words on purpose: it is a simple argument list.
	(cd "$dir" && exec env -i PATH=/bin HOME=/ LC_ALL=C $cmd) \
		</dev/null >"$dir.out" 2>"$dir.err"
	rc=$?
	echo "@@posix-begin $cmd"
	cat "$dir.out"
	echo "@@posix-exit $rc"
	rm -rf "$dir" "$dir.out" "$dir.err"
done <"$list"
echo "@@posix-done"
