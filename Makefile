# Bulkhead: `make run` boots it in QEMU, `make test` runs every test.
# Everything is built under build/.

B := build
CC := gcc
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic \
	-fno-stack-protector -mno-red-zone -mno-sse -mno-mmx -mno-80387 \
	-mcmodel=kernel -fno-asynchronous-unwind-tables -Iinclude -Ikernel
UCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-pic \
	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables -Iinclude \
	-Ilib/contract -I$(B)/contracts
HOSTCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude

KSRC := $(wildcard kernel/*.c kernel/kcall/*.c kernel/arch/x86_64/*.c) \
	$(wildcard kernel/arch/x86_64/*.S)
KOBJ := $(patsubst %,$(B)/%.o,$(KSRC))
LIBSRC := $(wildcard lib/mini/*.c lib/sys/*.c lib/contract/*.c) lib/sys/crt0.S
LIBOBJ := $(patsubst %,$(B)/%.o,$(LIBSRC))

# Native programs: every directory with a main under user/, servers/,
# drivers/ and tests/system/ becomes build/<dir>/<name>.
PROGDIRS := $(patsubst %/,%,$(sort $(dir $(wildcard user/*/*.c servers/*/*.c \
	drivers/*/*.c tests/system/*/*.c bench/native/*/*.c))))
PROGS := $(foreach d,$(PROGDIRS),$(B)/$(d)/$(notdir $(d)))

all: $(B)/kernel.bin $(B)/boot.img $(PROGS)

deps:
	@tools/deps.sh

$(B)/kernel/%.c.o: kernel/%.c $(wildcard kernel/*.h kernel/arch/x86_64/*.h include/bulkhead/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@
$(B)/kernel/%.S.o: kernel/%.S
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@
$(B)/kernel.elf: $(KOBJ) kernel/arch/x86_64/linker.ld
	@echo "  LD      $@"
	@ld -n -nostdlib -z noexecstack --no-warn-rwx-segments -T kernel/arch/x86_64/linker.ld -o $@ $(KOBJ)
$(B)/kernel.bin: $(B)/kernel.elf
	objcopy -O binary $< $@

$(B)/lib/%.c.o: lib/%.c $(wildcard lib/*/*.h include/bulkhead/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(UCFLAGS) -c $< -o $@
$(B)/lib/%.S.o: lib/%.S
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(UCFLAGS) -c $< -o $@
$(B)/libsys.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $(LIBOBJ)

# Channel contracts compile to C (docs/contracts.md); a program that speaks
# contract X lists X in its directory's CONTRACTS file.
CONTRACTC_LIB := tools/contractc/summary.c tools/contractc/parse.c tools/contractc/check.c
$(B)/tools/contractc: $(wildcard tools/contractc/*.c tools/contractc/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror -o $@ \
		$(wildcard tools/contractc/*.c)
$(B)/contracts/%.c $(B)/contracts/%.h: contracts/%.contract $(B)/tools/contractc
	@mkdir -p $(B)/contracts
	@$(B)/tools/contractc -o $(B)/contracts $<

# One rule for every native program directory.
contracts_of = $(if $(wildcard $(1)/CONTRACTS),$(patsubst %,$(B)/contracts/%.c,$(shell cat $(1)/CONTRACTS)))
define PROG_RULE
$(B)/$(1)/$(notdir $(1)): $(wildcard $(1)/*.c $(1)/*.h) $(call contracts_of,$(1)) $(B)/libsys.a lib/sys/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$(CC) $(UCFLAGS) -I$(1) -static -nostdlib -Wl,-T,lib/sys/user.ld -Wl,-z,noexecstack \
		-Wl,--build-id=none -o $$@ $(B)/lib/sys/crt0.S.o $(wildcard $(1)/*.c) \
		$(call contracts_of,$(1)) $(B)/libsys.a
endef
$(foreach d,$(PROGDIRS),$(eval $(call PROG_RULE,$(d))))

# The image verifier reads contracts with contractc's own parser and checker.
MKIMAGE_SRCS := tools/mkimage.c $(CONTRACTC_LIB)
$(B)/tools/mkimage: $(MKIMAGE_SRCS) $(wildcard include/bulkhead/*.h tools/contractc/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(HOSTCFLAGS) -o $@ $(MKIMAGE_SRCS)

# An image list names manifests in start order; the image is rebuilt when
# any of them or any program changes.
$(B)/%.img: etc/%.image $(B)/tools/mkimage $(PROGS) $(wildcard etc/*.svc)
	$(B)/tools/mkimage -o $@ -b $(B) $$(grep -v '^#' $<)
$(B)/tests/%.img: tests/system/%.image $(B)/tools/mkimage $(PROGS) $(wildcard etc/*.svc tests/system/svc/*.svc)
	@mkdir -p $(dir $@)
	$(B)/tools/mkimage -o $@ -b $(B) $$(grep -v '^#' $<)

# Fragments owned by subsystems (e.g. the root file system build).
-include $(sort $(wildcard mk/*.mk))

run: deps all $(B)/disk.img
	tools/qemu --interactive $(if $(DISPLAY),--vga --window) --kernel $(B)/kernel.bin \
		--initrd $(B)/boot.img --disk $(B)/disk.img

TEST_IMAGES := $(patsubst tests/system/%.image,$(B)/tests/%.img,$(wildcard tests/system/*.image))

test: deps all $(TEST_IMAGES) $(B)/bulkhead.iso
	tools/run-tests

iso: deps $(B)/bulkhead.iso
$(B)/bulkhead.iso: $(B)/kernel.bin $(B)/boot.img etc/grub.cfg
	rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	cp $(B)/kernel.bin $(B)/boot.img $(B)/iso/boot/
	cp etc/grub.cfg $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2>/dev/null

$(B)/bench/%.img: bench/native/%.image $(B)/tools/mkimage $(PROGS) $(wildcard bench/native/svc/*.svc tests/system/svc/*.svc)
	@mkdir -p $(dir $@)
	$(B)/tools/mkimage -o $@ -b $(B) $$(grep -v '^#' $<)

# Bulkhead (bench/bulkhead/run.sh) and Linux (bench/linux/run.sh) in the
# same tools/qemu --bench machine; the table goes to docs/performance.md.
bench: deps all $(B)/bench/ipcbench.img
	$(MAKE) -C bench bench

loc: deps
	@cloc --quiet --include-lang=C,Assembly,"C/C++ Header" kernel | sed -n '/^Language/,$$p'
	@n=$$(cloc --quiet --csv --include-lang=C,Assembly,"C/C++ Header" kernel | awk -F, '/SUM/{print $$5}'); \
		echo "kernel code lines: $$n (budget 4000)"; [ "$$n" -le 4000 ]

clean:
	rm -rf $(B)

.PHONY: all deps run test iso bench loc clean
.DELETE_ON_ERROR:
.PRECIOUS: $(B)/contracts/%.c $(B)/contracts/%.h
