# The image verifier, the system report and `make verify`
# (docs/verification.md).
#
# - Every boot image is verified before it is built: `mkimage --verify`
#   over the same manifests (resource conflicts, contracts), leaving a
#   stamp that the image depends on. A refused image is never written.
# - `make report`: docs/system-report.md, .dot and .svg for etc/boot.image
#   (REPORT_IMAGE=tests/system/vfs.image for another list).
# - `make verify`: the contract models, the kernel IPC model and the
#   Frama-C WP proofs (verify/run).

VERIFY_LISTS := $(wildcard etc/*.image tests/system/*.image bench/native/*.image)
verify_stamp = $(B)/verify/$(subst /,_,$(basename $(1))).ok
VERIFY_CONTRACTS := $(wildcard contracts/*.contract) \
	$(wildcard user/*/CONTRACTS servers/*/CONTRACTS drivers/*/CONTRACTS tests/system/*/CONTRACTS)

define VERIFY_RULE
$(call verify_stamp,$(1)): $(1) $(B)/tools/mkimage $(shell grep -v '^#' $(1)) $(VERIFY_CONTRACTS)
	@mkdir -p $$(dir $$@)
	@echo "  VERIFY  $(1)"
	@$(B)/tools/mkimage --verify -c contracts $$$$(grep -v '^#' $(1))
	@touch $$@
endef
$(foreach l,$(VERIFY_LISTS),$(eval $(call VERIFY_RULE,$(l))))

$(B)/boot.img: $(call verify_stamp,etc/boot.image)
$(foreach l,$(wildcard tests/system/*.image),\
	$(eval $(patsubst tests/system/%.image,$(B)/tests/%.img,$(l)): $(call verify_stamp,$(l))))
$(foreach l,$(wildcard bench/native/*.image),\
	$(eval $(patsubst bench/native/%.image,$(B)/bench/%.img,$(l)): $(call verify_stamp,$(l))))

REPORT_IMAGE ?= etc/boot.image
report: $(B)/tools/mkimage
	@BULKHEAD_EXTRA_PKGS=graphviz tools/deps.sh || echo "report: no graphviz, so no .svg" >&2
	$(B)/tools/mkimage --verify -c contracts -t $(REPORT_IMAGE) \
		-m docs/system-report.md -g docs/system-report.dot $$(grep -v '^#' $(REPORT_IMAGE))
	@if command -v dot >/dev/null; then \
		dot -Tsvg docs/system-report.dot -o docs/system-report.svg && \
		echo "docs/system-report.svg"; fi

verify: $(B)/tools/mkimage $(B)/tools/contractc
	@BULKHEAD_EXTRA_PKGS="spin frama-c-base why3 z3 cvc4" tools/deps.sh
	@verify/run

.PHONY: report verify
