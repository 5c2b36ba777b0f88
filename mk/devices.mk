# The RTC, memory and printer drivers' privilege probes (tests/system/
# t_devprobe) run under their drivers' real manifests: copies of etc/*.svc
# with only the service and program lines changed.
$(B)/tests/dev_%p.svc: etc/%.svc
	@mkdir -p $(dir $@)
	sed 's|^service .*|service    dev_$*p|; s|^program .*|program    tests/system/t_devprobe/t_devprobe|' $< > $@
$(B)/tests/dev.img: $(B)/tests/dev_rtcp.svc $(B)/tests/dev_memoryp.svc $(B)/tests/dev_lptp.svc
