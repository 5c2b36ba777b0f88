#!/bin/sh
# The Frama-C harnesses (verify/wp) prove copies of kernel expressions.
# Each copied line is marked `mirror: FILE: EXPRESSION`; the expression
# must still appear, character for character, in the kernel FILE, and in
# the harness's own code, or the proof no longer says anything about the
# kernel. Usage: check-mirror.sh TOP
cd "$1" || exit 2
fail=0
for h in verify/wp/*.c verify/wp/must-fail/*.c; do
	[ -f "$h" ] || continue
	name=verify_mirror_$(basename "$h" .c)
	n=0 bad=0
	grep -o 'mirror: [^:]*: .*' "$h" | sed 's/ *\*\/ *$//' > /tmp/mirror.$$ || true
	while IFS= read -r m; do
		file=$(echo "$m" | sed 's/^mirror: \([^:]*\): .*/\1/')
		expr=$(echo "$m" | sed 's/^mirror: [^:]*: //')
		n=$((n + 1))
		if ! grep -qF -- "$expr" "$file"; then
			echo "# $h: no longer in $file: $expr"; bad=1
		fi
		if [ "$(grep -cF -- "$expr" "$h")" -lt 2 ]; then
			echo "# $h: the harness code lacks: $expr"; bad=1
		fi
	done < /tmp/mirror.$$
	rm -f /tmp/mirror.$$
	# a must-fail harness keeps a historical bug: nothing to mirror
	if [ $bad = 0 ] && { [ $n -gt 0 ] || [ "${h#*must-fail}" != "$h" ]; }; then
		echo "ok $name ($n expressions)"
	else
		echo "not ok $name"; fail=1
	fi
done
exit $fail
