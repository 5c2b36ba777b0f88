# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- Audio (issue 4 item 8, issue 5's audio shadow-driver recovery) ----
# The real system (etc/boot.image, which has drivers/ac97) plus
# audio_killer, booted with the AC'97's output captured in a wav file
# (tools/qemu --audio) and driven by tests/system/audio_shell.cases: P1
# plays at 0 dB, the volume is set, audio_killer has RS restart the
# driver, the shell reads the codec's registers back from the new driver,
# P2 plays. Then, on the host, tests/system/audio_wav_check finds P1 and
# P2 (read back from the guest's disk) in the capture, sample for sample,
# P2 at the register values the guest read back after the restart.
if [ -f tests/system/audio_shell.cases ]; then
	echo "== audio"
	A=$B/tests/audio
	mkdir -p $A
	rm -f $A/capture.wav $A/p1.raw $A/p2.raw
	fresh_disk audio
	if $B/tools/mkimage -o $A/audio_shell.img -b $B $(grep -v '^#' etc/boot.image |
	    sed 's|^etc/user.svc$|tests/system/svc/audio_killer.svc\n&|') > $A/mkimage.log 2>&1; then
		TEST_GUARD=$GUARD tools/serial-session tests/system/audio_shell.cases $B/tests/audio-shell.log \
			-- --disk $DISKS/audio.raw --initrd $A/audio_shell.img --audio $A/capture.wav 2>&1 |
			sed "s/^ok /ok audio: /; s/^not ok /not ok audio: /" | tee -a $out
		e2fsck_check audio
		T=$A/shell.txt
		tr -d '\r' < $B/tests/audio-shell.log > $T
		debugfs -R "cat /tmp/p1" $DISKS/audio.raw > $A/p1.raw 2>/dev/null
		debugfs -R "cat /tmp/p2" $DISKS/audio.raw > $A/p2.raw 2>/dev/null
		# the registers as the restarted driver read them from the codec
		regs=$(grep -E '^master 0x[0-9a-f]{4} pcm 0x[0-9a-f]{4}$' $T | tail -1)
		set -- $regs
		if [ -f $A/capture.wav ] && [ -n "$regs" ]; then
			tests/system/audio_wav_check $A/capture.wav $A/p1.raw $A/p2.raw "${2#0x}" "${4#0x}" 2>&1 |
				sed "s/^ok /ok audio: /; s/^not ok /not ok audio: /" | tee -a $out
		else
			echo "not ok audio: capture_and_registers (no $A/capture.wav, or no 'master' line in $B/tests/audio-shell.log)" | tee -a $out
		fi
		grep -q '^rs: ac97 restarted as endpoint [0-9]* (restart 1)' $T &&
			grep -q '^ac97: mixer state restored from DS' $T &&
			echo "ok audio: ac97_restarted_by_rs_and_restored_from_ds" | tee -a $out ||
			echo "not ok audio: ac97_restarted_by_rs_and_restored_from_ds (see $B/tests/audio-shell.log)" | tee -a $out
		sed -n 's/^rs: ac97 restarted as endpoint [0-9]* (restart 1) after \([0-9]*\) ticks, \([0-9]*\) cycles/metric audio_ac97_recovery \1 ticks \2 cycles/p' $T
	else
		echo "not ok audio: mkimage (see $A/mkimage.log)" | tee -a $out
	fi
	set --
fi
# ---- end of audio ----
