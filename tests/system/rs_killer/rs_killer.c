/*
 * rs_killer: the fault injector of the disk recovery test
 * (tools/run-tests, "recovery in the real system"). It boots in
 * tests/system/rs_shell.boot, the real system plus itself, and while the
 * shell's workload writes and reads files it has virtio-blk restarted by
 * RS (`service restart virtio-blk`, contracts/rs.contract) KILLS times,
 * each time the driver has received STEP more messages since the last
 * kill, so every kill lands in the middle of disk traffic. Then it prints
 * `service list` on the console and exits (one-shot in RS's policy).
 *
 * Least privilege: it may only send to RS and read process information
 * (print getinfo alarm; ipc rs); it cannot touch the driver itself.
 */
#include "../../../user/service/service.c"
#include "traffic.h"

/* Another target (the network's tests/system/rs_netkiller) defines these
 * and includes this file. */
#ifndef TARGET
#define TARGET	"virtio-blk"
#define KILLS	3
#define STEP	400	/* driver messages between kills */
#endif

int main(endpoint_t self, const char *name)
{
	char *restart[] = { "service", "restart", TARGET, NULL };
	char *list[] = { "service", "list", NULL };
	uint64_t seen = 0, n;
	message_t m;
	int kills = 0;

	(void)self;
	while (kills < KILLS) {
		if (sys_alarm(2) < 0 || ipc_receive(CLOCK, &m) < 0)
			continue;
		n = received(TARGET);
		/* a fresh driver counts from 0: add up across incarnations */
		if (n < STEP)
			continue;
		kills++;
		printf("%s: kill %d of %s after %lu messages\n", name, kills, TARGET, n);
		if (service_run(3, restart, NULL, 0) < 0)
			printf("%s: restart refused\n", name);
		seen = n;
	}
	(void)seen;
	printf("%s: %d kills done\n", name, kills);
	service_run(2, list, NULL, 0);
	return 0;
}
