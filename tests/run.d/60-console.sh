# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- The display console (issue 4 item 4: PS/2 keyboard + VGA text) ----
# The real system booted with a VGA (tools/qemu --vga): init runs a second
# shell on /dev/tty1. tools/screen-session types tests/screen/console.cases
# on the PS/2 keyboard with QEMU's monitor (sendkey) and reads the screen
# (pmemsave of the text memory). The image holds tty_killer too
# (tests/tty/image): a raw serial line has RS restart the tty driver, and
# the screen must stay as it was and the keyboard go on working. Then, on
# the host: the file the typed command wrote is on the disk.
if [ -f tests/screen/console.cases ]; then
	echo "== console"
	fresh_disk console
	if B=$B tests/tty/image $DISKS/console.img > $B/tests/console.mkimage.log 2>&1; then
		TEST_GUARD=$GUARD tools/screen-session tests/screen/console.cases $B/tests/console.log \
			-- --disk $DISKS/console.raw --initrd $DISKS/console.img 2>&1 |
			sed "s/^ok /ok console: /; s/^not ok /not ok console: /" | tee -a $out
	else
		echo "not ok console: mkimage (see $B/tests/console.mkimage.log)" | tee -a $out
	fi
	e2fsck_check console
	got=$(debugfs -R "cat /x" $DISKS/console.raw 2>/dev/null)
	if [ "$got" = "Hi there" ]; then
		echo "ok console: typed_command_wrote_file" | tee -a $out
	else
		echo "not ok console: typed_command_wrote_file: debugfs read '$got'" | tee -a $out
	fi
fi
# ---- end of the display console ----
