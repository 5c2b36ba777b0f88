# Recovery time (docs/recovery.md): the recovery test image under
# instruction counting, so its metric lines are guest instructions.
rs-bench: $(B)/kernel.bin $(B)/tests/rs.img
	@mkdir -p $(B)/bench
	tools/qemu --bench --kernel $(B)/kernel.bin --initrd $(B)/tests/rs.img \
		</dev/null | tr -d '\r' | grep -E '^metric rs_' | tee $(B)/bench/rs.txt

.PHONY: rs-bench
