# Fuzzing (docs/reliability.md, "Fuzzing"; owned by fuzz/).
#
#   make fuzz                    every host libFuzzer target for FUZZ_SECONDS
#                                (default 60) each; ok/not ok per target
#   make -C fuzz test            the CI-sized host run (10 s each)
#   make fuzz-guest              the in-guest kernel and IPC fuzzers at a
#                                larger size: FUZZ_ITERS (default 1000000),
#                                FUZZ_SEED (default 0: a fresh seed, printed)
FUZZ_SECONDS ?= 60
FUZZ_ITERS ?= 1000000
FUZZ_SEED ?= 0
FUZZ_GUARD ?= 3600

fuzz:
	@$(MAKE) -s -C fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# The guest fuzzers rebuilt with other constants, in their own directory,
# with manifests pointing there; the test images are untouched.
FG := $(B)/fuzz/guest
$(FG)/t_fuzz_kcall: $(wildcard tests/system/t_fuzz_kcall/*.c tests/system/t_fuzz_kcall/*.h) $(B)/libsys.a FORCE
	@mkdir -p $(FG)
	@$(CC) $(UCFLAGS) -DFUZZ_ITERS=$(FUZZ_ITERS) -DFUZZ_SEED=$(FUZZ_SEED) -DFUZZ_DEADLINE='(($(FUZZ_GUARD) - 60) * 100)' \
		-static -nostdlib -Wl,-T,lib/sys/user.ld -Wl,-z,noexecstack -Wl,--build-id=none -o $@ \
		$(B)/lib/sys/crt0.S.o $(wildcard tests/system/t_fuzz_kcall/*.c) $(B)/libsys.a

fuzz-guest: $(FG)/t_fuzz_kcall $(B)/kernel.bin $(B)/tools/mkimage
	@for img in fuzz_kcall fuzz_ipc; do \
		mkdir -p $(FG)/$$img; set --; \
		for m in $$(grep -v '^#' tests/system/$$img.image); do \
			sed 's|^program *tests/system/t_fuzz_kcall/t_fuzz_kcall|program fuzz/guest/t_fuzz_kcall|' $$m > $(FG)/$$img/$$(basename $$m); \
			set -- "$$@" $(FG)/$$img/$$(basename $$m); done; \
		$(B)/tools/mkimage -o $(FG)/$$img.img -b $(B) "$$@" || exit 1; \
		echo "== $$img: FUZZ_ITERS=$(FUZZ_ITERS), log $(FG)/$$img.log"; \
		start=$$(date +%s); \
		timeout -k 5 $(FUZZ_GUARD) tools/qemu --kernel $(B)/kernel.bin --initrd $(FG)/$$img.img \
			</dev/null > $(FG)/$$img.log 2>&1; \
		tr -d '\r' < $(FG)/$$img.log | grep -aE '^(not )?ok |fuzz: (kcall|ipc|results|supervisor)'; \
		grep -aq 'kernel panic' $(FG)/$$img.log && echo "not ok $$img: kernel panic"; \
		grep -aq 'bulkhead: tests done' $(FG)/$$img.log || echo "not ok $$img: no 'tests done' (hang?)"; \
		echo "$$img: $$(( $$(date +%s) - start )) s"; \
	done

FORCE:
.PHONY: fuzz fuzz-guest FORCE
