# Audio (drivers/ac97, docs/audio.md): the shell's `mixer` command, a
# Linux program on the root file system (/bin/mixer) like /sbin/init.
$(B)/user/mixer/mixer: user/mixer/src/mixer.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@musl-gcc -static -O2 -Wall -Wextra -Werror -fno-pie -no-pie -o $@ $<
$(B)/rootfs.img: $(B)/user/mixer/mixer
all: $(B)/user/mixer/mixer

# The driver test (tests/system/audio.image) runs the driver with its real
# manifest, only the program changed to the build with the privilege
# probe (tests/system/t_ac97drv).
$(B)/tests/audio_ac97.svc: etc/ac97.svc mk/audio.mk
	@mkdir -p $(dir $@)
	sed 's|^program .*|program    tests/system/t_ac97drv/t_ac97drv|' $< > $@
$(B)/tests/audio.img: $(B)/tests/audio_ac97.svc
$(B)/tests/system/t_ac97drv/t_ac97drv: $(DRIVERLIB) $(wildcard drivers/ac97/*.c)
