# Drivers (issue 4): lib/driver is compiled into each driver that uses it
# (drivers/*/driverlib.c includes it), so its sources are prerequisites.
DRIVERLIB := $(wildcard lib/driver/*.c lib/driver/*.h)
$(foreach d,$(filter drivers/% tests/system/t_blk%,$(PROGDIRS)),\
	$(eval $(B)/$(d)/$(notdir $(d)): $(DRIVERLIB)))

# The block driver test (tests/system/t_blk): the host tool that makes the
# 4 MiB test disk and checks it after the run, and the disk itself.
$(B)/tests/blkdisk: tests/system/t_blk/host/blkdisk.c tests/system/t_blk/pattern.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(HOSTCFLAGS) -o $@ $<
# (Not under build/tests/: tools/run-tests boots every *.img there.)
$(B)/disks/blk.raw: $(B)/tests/blkdisk
	@mkdir -p $(dir $@)
	$(B)/tests/blkdisk make $@

# The driver under test runs with its real manifest, only the program
# changed to the build with the privilege probe (tests/system/t_blkdrv).
$(B)/tests/blk_virtio.svc: etc/virtio-blk.svc
	@mkdir -p $(dir $@)
	sed 's|^program .*|program    tests/system/t_blkdrv/t_blkdrv|' $< > $@

# Until tools/run-tests attaches tests/system/<name>.disk, the image list is
# blk.image.pending and its image is built apart (run it by hand:
#   tools/qemu --kernel build/kernel.bin --initrd build/tests/pending/blk.img \
#       --disk <copy of build/disks/blk.raw>
# then build/tests/blkdisk check <that copy>). `make blk-test` does both.
$(B)/tests/pending/blk.img: tests/system/blk.image.pending $(B)/tests/blk_virtio.svc \
		$(B)/tools/mkimage $(wildcard etc/*.svc tests/system/svc/*.svc) \
		$(patsubst %,$(B)/%,drivers/pci/pci tests/system/t_blk/t_blk \
		tests/system/t_blkcli/t_blkcli tests/system/t_blkdrv/t_blkdrv)
	@mkdir -p $(dir $@)
	$(B)/tools/mkimage -o $@ -b $(B) $$(grep -v '^#' $<)
$(B)/tests/blk.img: $(B)/tests/blk_virtio.svc $(B)/disks/blk.raw $(B)/tests/blkdisk

blk-test: $(B)/kernel.bin $(B)/tests/pending/blk.img $(B)/disks/blk.raw $(B)/tests/blkdisk
	cp $(B)/disks/blk.raw $(B)/tests/pending/blk.disk.img
	timeout -k 5 300 tools/qemu --kernel $(B)/kernel.bin --initrd $(B)/tests/pending/blk.img \
		--disk $(B)/tests/pending/blk.disk.img </dev/null 2>&1 | tr -d '\r' | tee $(B)/tests/pending/blk.log
	tests/system/blk.check $(B)/tests/pending/blk.disk.img
.PHONY: blk-test

# lib/driver's character framework has no user in this tree yet (the tty
# driver may adopt it): compile it with every build so it cannot rot.
$(B)/lib/driver/chardriver.o: lib/driver/chardriver.c $(DRIVERLIB) $(B)/contracts/chardev.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(UCFLAGS) -c $< -o $@
all: $(B)/lib/driver/chardriver.o
