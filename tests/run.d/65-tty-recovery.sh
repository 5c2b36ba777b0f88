# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- Terminal recovery (issue 5 item 4; docs/recovery.md, "Terminal") ----
# The real system (etc/boot.image) plus tty_killer, which has RS restart the
# tty driver whenever the serial line turns raw and silent. tests/tty/recovery
# types `stty raw -echo; dd ...` and then the bytes dd reads: they must arrive
# once, unechoed, and the settings must survive the restart.
if [ -x tests/tty/recovery ]; then
	echo "== tty-recovery"
	fresh_disk tty_recovery
	if B=$B tests/tty/image $DISKS/tty_recovery.img > $B/tests/tty_recovery.mkimage.log 2>&1; then
		TEST_GUARD=$GUARD tests/tty/recovery $B/tests/tty_recovery.log \
			-- --initrd $DISKS/tty_recovery.img --disk $DISKS/tty_recovery.raw 2>&1 |
			sed "s/^ok /ok tty-recovery: /; s/^not ok /not ok tty-recovery: /" | tee -a $out
		e2fsck_check tty_recovery
		sed -n 's/^rs: tty restarted as endpoint [0-9]* (restart \([0-9]*\)) after \([0-9]*\) ticks, \([0-9]*\) cycles.*/metric tty_recovery_\1 \2 ticks \3 cycles/p' \
			$B/tests/tty_recovery.log | tr -d '\r'
	else
		echo "not ok tty-recovery: mkimage (see $B/tests/tty_recovery.mkimage.log)" | tee -a $out
	fi
fi
# ---- end of terminal recovery ----
