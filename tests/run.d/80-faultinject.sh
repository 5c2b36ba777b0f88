# Sourced by tools/run-tests (see there for B, out, GUARD and want).
# ---- Fault injection, CI size (issue 6; docs/reliability.md) ----
# tools/faultinject boots the real system with the fault injector
# (tests/system/finj) and mutates the disk driver's code every 10 ticks
# while the shell writes, copies and checksums files. Checks (ok/not ok
# lines from the tool): the faults were injected, no kernel panic, no
# system hang, no byte wrong on the disk (host reads every file back with
# debugfs) and no checksum wrong in the guest, no program saw an error,
# the shell answers afterwards, e2fsck clean, and the same injector
# without KC_INJECT in its manifest (finj_denied.svc) is refused.
# The fixed seed makes the faults the same in every run; their timing is
# not.
# Also: no manifest of the real system grants KC_INJECT.
if [ -x tools/faultinject ]; then
	echo "== fault injection"
	TEST_GUARD=$GUARD tools/faultinject --ci --driver virtio-blk --faults ${FAULTS_CI:-150} \
		--seed 4242 --types src-reg,dst-reg,pointer,skip,branch,bitflip,wild-write 2>&1 |
		tee $B/tests/faultinject.log | grep -E '^(not )?ok ' | tee -a $out
	grep -q '^faultinject: ' $B/tests/faultinject.log ||
		echo "not ok fault: the campaign did not run (see $B/tests/faultinject.log)" | tee -a $out
	if grep -lw inject etc/*.svc > /dev/null; then
		echo "not ok fault: no_real_manifest_grants_inject: $(grep -lw inject etc/*.svc)" | tee -a $out
	else
		echo "ok fault: no_real_manifest_grants_inject" | tee -a $out
	fi
fi
# ---- end of fault injection ----
