# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- Recovery in the real system (RS block; docs/recovery.md) ----
# tests/system/rs_shell.boot is etc/boot.image plus rs_killer, which has RS
# restart virtio-blk three times in the middle of tests/system/rs_shell.cases
# (a CI-sized issue 5 disk test: ~4.8 MiB written, copied, checksummed).
# Then: e2fsck clean, the three restarts and ext2's reissues in the log, and
# rs_killer's `service list` on the console shows the services.
. tests/run.d/rs-session.inc
if [ -f tests/system/rs_shell.boot ] &&
		rs_session rs_shell tests/system/rs_shell.boot tests/system/rs_shell.cases; then
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
fi
# ---- end of the RS block ----
