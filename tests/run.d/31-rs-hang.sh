# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- A hung disk driver in the real system (docs/recovery.md) ----
# tests/system/rs_hang.boot is the real system with the disk driver's test
# build (tests/system/t_blkhang: loops forever when rs_hanger notifies it)
# under the real manifest. rs_hanger makes it hang twice in the middle of
# the same workload as rs_shell; RS must see the missed heartbeats, end
# the driver and start it again, and ext2 must reissue what was in flight:
# every checksum right, e2fsck clean, the causes in the log. Without the
# heartbeat the first hang stops the disk and the cases time out.
. tests/run.d/rs-session.inc
if [ -f tests/system/rs_hang.boot ]; then
	mkdir -p $B/tests/rs
	sed 's|^program .*|program    tests/system/t_blkhang/t_blkhang|' etc/virtio-blk.svc \
		> $B/tests/rs/blk_hang.svc
	if rs_session rs_hang tests/system/rs_hang.boot tests/system/rs_shell.cases; then
		rs_log_check rs_hang_driver_looped '^virtio-blk: told to hang: looping forever'
		rs_log_check rs_hang_found_by_heartbeat '^rs: virtio-blk \(endpoint [0-9]+\) missed [0-9]+ heartbeats: killing it'
		rs_log_check rs_hang_restarted_twice '^rs: virtio-blk restarted as endpoint [0-9]+ \(restart 2\)'
		rs_log_check rs_hang_ext2_reissued '^ext2: virtio-blk restarted .*\(recovery 2\)'
		rs_log_check rs_hang_hanger_done '^rs_hanger: 2 hangs done'
		sed -n 's/^rs_hanger: hang \([0-9]*\): driver replaced after \([0-9]*\) ticks/metric rs_hang_fault_to_new_driver_\1 \2 ticks/p' \
			$B/tests/rs_hang.txt
		sed -n 's/^rs: virtio-blk restarted as endpoint [0-9]* (restart \([0-9]*\)) after \([0-9]*\) ticks, \([0-9]*\) cycles/metric rs_hang_disk_recovery_\1 \2 ticks \3 cycles/p' \
			$B/tests/rs_hang.txt
	fi
fi
