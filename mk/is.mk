# IS's privilege probe (tests/system/t_isprobe) runs under IS's real
# manifest: a copy of etc/is.svc with the service and program lines
# changed and the serves line dropped (the probe serves nothing).
$(B)/tests/is_probe.svc: etc/is.svc mk/is.mk
	@mkdir -p $(dir $@)
	sed 's|^service .*|service    is_probe|; s|^program .*|program    tests/system/t_isprobe/t_isprobe|; /^serves /d' $< > $@
$(B)/tests/ispriv.img: $(B)/tests/is_probe.svc
$(B)/tests/isr.img: $(B)/tests/dsr_ds.svc
