# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- Power off (issue 3): PM ends every process, VFS unmounts, ext2 marks
# the file system clean. The host then checks the disk with Linux's tools:
# the superblock says clean (a plain `e2fsck -n` skips it), the mount was
# counted, and a forced check finds nothing (the unlinked open file was
# freed when its holder ended).
echo "== poweroff"
fresh_disk poweroff
before=$(dumpe2fs -h $B/rootfs.img 2>/dev/null | sed -n 's/^Mount count: *//p')
TEST_GUARD=$GUARD tools/serial-session tests/system/poweroff.cases $B/tests/poweroff.log \
	-- --disk $DISKS/poweroff.raw 2>&1 |
	sed "s/^ok /ok poweroff: /; s/^not ok /not ok poweroff: /" | tee -a $out
state=$(dumpe2fs -h $DISKS/poweroff.raw 2>/dev/null | sed -n 's/^Filesystem state: *//p')
if [ "$state" = clean ]; then
	echo "ok poweroff: superblock_state_clean" | tee -a $out
else
	echo "not ok poweroff: superblock_state_clean: dumpe2fs says '$state'" | tee -a $out
fi
after=$(dumpe2fs -h $DISKS/poweroff.raw 2>/dev/null | sed -n 's/^Mount count: *//p')
if [ -n "$after" ] && [ "$after" -eq $((before + 1)) ]; then
	echo "ok poweroff: mount_counted" | tee -a $out
else
	echo "not ok poweroff: mount_counted: mount count $before before, '$after' after" | tee -a $out
fi
if e2fsck -n $DISKS/poweroff.raw 2>&1 | grep -q ': clean, '; then
	echo "ok poweroff: e2fsck_skips_clean_fs" | tee -a $out
else
	echo "not ok poweroff: e2fsck_skips_clean_fs" | tee -a $out
fi
e2fsck_check poweroff
