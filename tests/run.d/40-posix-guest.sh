# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# The POSIX oracle (tests/posix) inside Bulkhead: one boot runs them all,
# then each transcript is compared with the one Linux produced.
if [ -f tests/posix/run-all ]; then
	echo "== posix in Bulkhead"
	printf '$ posix_suite_runs: busybox sh /posix/run.sh; echo POSIX-RUN-DONE\n~ POSIX-RUN-DONE\n' > $B/tests/posix.cases
	fresh_disk posix-guest
	TEST_GUARD=$GUARD tools/serial-session $B/tests/posix.cases $B/tests/posix-guest.log \
		-- --disk $DISKS/posix-guest.raw 2>&1 |
		sed "s/^ok /ok posix-guest: /; s/^not ok /not ok posix-guest: /" | tee -a $out
	e2fsck_check posix-guest
	tr -d '\r' < $B/tests/posix-guest.log > $B/tests/posix-guest.txt
	# tests/posix/bulkhead-known: programs whose transcript still differs
	# in Bulkhead, each with the reason. They print as `ok ... # TODO`
	# (and say so when they start to pass), so a known gap does not hide
	# a new one.
	tests/posix/run-all -- tests/posix/run-from-log $B/tests/posix-guest.txt 2>&1 |
		grep -E '^(not )?ok ' | while read -r a b c; do
			if [ "$a" = not ]; then name=$c; else name=$b; fi
			why=$(grep "^$name " tests/posix/bulkhead-known 2>/dev/null | cut -d' ' -f2-)
			if [ "$a" = not ] && [ -n "$why" ]; then
				echo "ok posix-guest: $name # TODO known difference: $why"
			elif [ "$a" = not ]; then
				echo "not ok posix-guest: $name"
			else
				[ -n "$why" ] && echo "# posix-guest: $name passes now: drop it from tests/posix/bulkhead-known"
				echo "ok posix-guest: $name"
			fi
		done | tee -a $out
fi
