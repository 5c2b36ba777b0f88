# The RTC, memory, printer and terminal drivers' privilege probes (tests/system/
# t_devprobe) run under their drivers' real manifests: copies of etc/*.svc
# with the service and program lines changed and the serves lines dropped
# (contracts spoken, not privileges: the probe serves nothing).
$(B)/tests/dev_%p.svc: etc/%.svc mk/devices.mk
	@mkdir -p $(dir $@)
	sed 's|^service .*|service    dev_$*p|; s|^program .*|program    tests/system/t_devprobe/t_devprobe|; /^serves /d' $< > $@
$(B)/tests/devpriv.img: $(B)/tests/dev_rtcp.svc $(B)/tests/dev_memoryp.svc $(B)/tests/dev_lptp.svc \
	$(B)/tests/dev_ttyp.svc
