# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- Recovery in the real system (RS block; docs/recovery.md) ----
# tests/system/rs_shell.boot is etc/boot.image plus rs_killer, which has RS
# restart virtio-blk three times in the middle of tests/system/rs_shell.cases
# (a CI-sized issue 5 disk test: ~4.8 MiB written, copied, checksummed).
# Then: e2fsck clean, the three restarts and ext2's reissues in the log, and
# rs_killer's `service list` on the console shows the services.
if [ -f tests/system/rs_shell.boot ]; then
	echo "== recovery: rs_shell"
	fresh_disk rs_shell
	mkdir -p $B/tests/rs
	if $B/tools/mkimage -o $B/tests/rs/rs_shell.img -b $B $(grep -v '^#' tests/system/rs_shell.boot) > $B/tests/rs/rs_shell.mkimage.log 2>&1; then
		# A hang guard only: writing 4.8 MB through seq, VFS, ext2 and a
		# restarting driver took 300 s of wall time on this 2-core
		# machine at load 12 (old and new trees alike), so a command
		# here may take three guards before it counts as hung.
		TEST_GUARD=$((GUARD * 3)) tools/serial-session tests/system/rs_shell.cases $B/tests/rs_shell.log \
			-- --disk $DISKS/rs_shell.raw --initrd $B/tests/rs/rs_shell.img 2>&1 |
			sed "s/^ok /ok rs_shell: /; s/^not ok /not ok rs_shell: /" | tee -a $out
		e2fsck_check rs_shell
		tr -d '\r' < $B/tests/rs_shell.log > $B/tests/rs_shell.txt
		rs_log_check() {
			if grep -Eq "$2" $B/tests/rs_shell.txt; then
				echo "ok rs_shell: $1" | tee -a $out
			else
				echo "not ok rs_shell: $1: no line matching '$2' (see $B/tests/rs_shell.log)" | tee -a $out
			fi
		}
		rs_log_check rs_first_watches_services '^rs: watching 8 services'
		rs_log_check rs_disk_killed_3_times '^rs: virtio-blk restarted as endpoint [0-9]+ \(restart 3\)'
		rs_log_check rs_disk_ext2_reissued_3 '^ext2: virtio-blk restarted .*\(recovery 3\)'
		rs_log_check rs_service_list_header '^NAME +ENDPOINT RESTARTS STATUS +LAST-FAILURE +RECOVERY-TICKS'
		rs_log_check rs_service_list_pm '^pm +[0-9]+ +0 up '
		rs_log_check rs_service_list_vfs '^vfs +[0-9]+ +0 up '
		rs_log_check rs_service_list_ds '^ds +[0-9]+ +0 up '
		rs_log_check rs_service_list_disk '^virtio-blk +[0-9]+ +3 up +killed '
		sed -n 's/^rs: virtio-blk restarted as endpoint [0-9]* (restart \([0-9]*\)) after \([0-9]*\) ticks, \([0-9]*\) cycles/metric rs_shell_disk_recovery_\1 \2 ticks \3 cycles/p' \
			$B/tests/rs_shell.txt
	else
		echo "not ok rs_shell: mkimage (see $B/tests/rs/rs_shell.mkimage.log)" | tee -a $out
	fi
fi
# ---- end of the RS block ----
