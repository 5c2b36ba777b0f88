# The process manager's Linux programs, built with musl-gcc -static (they
# are ordinary Linux binaries, not native Bulkhead programs, so they live
# outside the directories PROGDIRS scans for *.c files).
MUSLCC := musl-gcc
LINUX_CFLAGS := -static -O2 -Wall -Wextra -Werror -fno-pie -no-pie

# /sbin/init for the real system (the root file system copies it there).
$(B)/user/linit/linit: user/linit/src/linit.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@$(MUSLCC) $(LINUX_CFLAGS) -o $@ $<
all: $(B)/user/linit/linit

# PM's system test: its Linux programs are data entries of tests/system/pm.image.
PMT := $(B)/tests/system/t_pm
$(PMT)/pmt_init: tests/system/t_pm/src/init.c tests/system/t_pm/src/lt.h
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@$(MUSLCC) $(LINUX_CFLAGS) -o $@ $<
$(PMT)/pmt_child: tests/system/t_pm/src/child.c tests/system/t_pm/src/lt.h
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@$(MUSLCC) $(LINUX_CFLAGS) -o $@ $<
$(B)/tests/pm.img: $(PMT)/pmt_init $(PMT)/pmt_child

# /sbin/service (user/service/linux): the `service` command for the shell,
# user/service/service.c with the native IPC wrappers and RS's contract,
# linked against musl (docs/recovery.md).
SERVICE_LINUX_SRC := user/service/linux/main.c user/service/service.c lib/sys/ipc.c \
	lib/sys/lookup.c lib/contract/monitor.c lib/contract/arith.c $(B)/contracts/rs.c
$(B)/user/service/linux/service: $(SERVICE_LINUX_SRC) $(wildcard include/bulkhead/*.h lib/sys/*.h)
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@$(MUSLCC) $(LINUX_CFLAGS) -Iinclude -Ilib/contract -I$(B)/contracts -o $@ $(SERVICE_LINUX_SRC)
all: $(B)/user/service/linux/service
