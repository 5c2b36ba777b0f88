# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- Printer recovery (issue 5 item 4; docs/recovery.md) ----
# The real system (etc/boot.image) plus lpt_killer, which has RS restart
# the printer driver three times in the middle of its writes, while the
# shell prints 588,895 bytes to /dev/lp0 (tests/system/lpt_shell.cases).
# Then, on the host: LPT1's file is exactly `seq 1 100000` (no byte lost or
# doubled), the three kills and VFS's three resumed writes are in the log.
if [ -f tests/system/lpt_shell.cases ]; then
	echo "== recovery: lpt_shell"
	L=$B/tests/lpt
	mkdir -p $L
	rm -f $L/lp0.out
	fresh_disk lpt_shell
	# the boot list: etc/boot.image with the killer before the user set
	grep -v '^#' etc/boot.image | sed 's|^etc/user.svc$|tests/system/svc/lpt_killer.svc\n&|' > $L/boot.list
	if $B/tools/mkimage -o $L/lpt_shell.img -b $B $(cat $L/boot.list) > $L/mkimage.log 2>&1; then
		TEST_GUARD=$GUARD tools/serial-session tests/system/lpt_shell.cases $B/tests/lpt_shell.log \
			-- --disk $DISKS/lpt_shell.raw --initrd $L/lpt_shell.img --parallel $L/lp0.out 2>&1 |
			sed "s/^ok /ok lpt_shell: /; s/^not ok /not ok lpt_shell: /" | tee -a $out
		e2fsck_check lpt_shell
		tr -d '\r' < $B/tests/lpt_shell.log > $L/log.txt
		# name, then the pattern some log line must match
		while read -r name pattern; do
			grep -Eq "$pattern" $L/log.txt && r=ok || r="not ok"
			echo "$r lpt_shell: $name" | tee -a $out
		done <<-'CHECKS'
		lpt_killed_3_times_in_writes ^lpt_killer: 3 kills done
		lpt_restarted_3_times ^rs: lpt restarted as endpoint [0-9]+ \(restart 3\)
		vfs_resumed_3_cut_writes ^vfs: lpt restarted: [0-9]+ bytes .*\(recovery 3\)
		CHECKS
		seq 1 100000 > $L/lp0.want
		if cmp -s $L/lp0.want $L/lp0.out; then
			echo "ok lpt_shell: lp0_job_byte_for_byte_through_restarts" | tee -a $out
		else
			echo "not ok lpt_shell: lp0_job_byte_for_byte_through_restarts ($(cmp $L/lp0.want $L/lp0.out 2>&1 | head -1))" | tee -a $out
		fi
		sed -n 's/^rs: lpt restarted as endpoint [0-9]* (restart \([0-9]*\)) after \([0-9]*\) ticks.*/metric lpt_shell_recovery_\1 \2 ticks/p' $L/log.txt
	else
		echo "not ok lpt_shell: mkimage (see $L/mkimage.log)" | tee -a $out
	fi
fi
# ---- end of the printer recovery block ----
