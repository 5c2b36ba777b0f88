# The DS restart test's DS: etc/ds.svc with its ipc line naming this
# image's services (rs, and test: the subscriber DS notifies); the rest
# (kernel calls, primitives, priority) as in the real system.
$(B)/tests/dsr_ds.svc: etc/ds.svc mk/dsr.mk
	@mkdir -p $(dir $@)
	sed 's|^ipc .*|ipc        rs:notify test:notify|' $< > $@
$(B)/tests/dsr.img: $(B)/tests/dsr_ds.svc
