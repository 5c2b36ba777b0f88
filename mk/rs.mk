# Recovery time (docs/recovery.md): the recovery test image under
# instruction counting, so its metric lines are guest instructions.
rs-bench: $(B)/kernel.bin $(B)/tests/rs.img
	@mkdir -p $(B)/bench
	tools/qemu --bench --kernel $(B)/kernel.bin --initrd $(B)/tests/rs.img \
		</dev/null | tr -d '\r' | grep -E '^metric rs_' | tee $(B)/bench/rs.txt

.PHONY: rs-bench

# Issue 5's full disk test (tests/run.d/32-rs-disk.sh with 64 MiB; make
# test runs it with 4 MiB): write, sync and read back 64 MiB through 10
# disk driver restarts. docs/recovery.md has its time.
rs-disk-full: all
	RS_DISK_MB=64 ONLY='^32-rs-disk$$' tools/run-tests

.PHONY: rs-disk-full
