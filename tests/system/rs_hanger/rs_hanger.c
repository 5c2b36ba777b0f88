/*
 * rs_hanger: the hang injector of tests/run.d/31-rs-hang.sh. It boots in
 * tests/system/rs_hang.boot, where the disk driver is the test build
 * tests/system/t_blkhang, and NOTIFYs the driver HANGS times, STEP driver
 * messages apart; each time the driver then loops forever, and RS has to
 * find it by its missed heartbeats and replace it.
 *
 * Least privilege: it may only notify the driver and read process
 * information (print getinfo alarm; ipc virtio-blk:notify).
 */
#include "../rs_killer/traffic.h"
#include "../../../lib/mini/mini.h"

#define HANGS	2
#define STEP	400	/* driver messages between hangs */

static uint64_t ticks_now(void)
{
	struct info_kernel k;

	return sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k)) < 0 ? 0 : k.ticks;
}

/* rs_hanger: make the test driver loop, and wait for RS to replace it. */
static int hang_driver(const char *name)
{
	int hangs;
	long ep;
	uint64_t t0;
	message_t m;

	for (hangs = 1; hangs <= HANGS; hangs++) {
		uint64_t n = wait_for_traffic("virtio-blk", STEP);
		ep = lookup_endpoint("virtio-blk");
		printf("%s: hang %d of virtio-blk (endpoint %ld) after %lu messages\n",
		    name, hangs, ep, n);
		t0 = ticks_now();
		if (ipc_notify((endpoint_t)ep) < 0)
			printf("%s: notify refused\n", name);
		while (lookup_endpoint("virtio-blk") == ep || lookup_endpoint("virtio-blk") < 0)
			if (sys_alarm(1) == 0)
				ipc_receive(CLOCK, &m);
		/* From the hang to its successor running: detection (missed
		 * heartbeats), back-off and restart, in guest ticks. */
		printf("%s: hang %d: driver replaced after %lu ticks\n", name, hangs,
		    ticks_now() - t0);
	}
	printf("%s: %d hangs done\n", name, HANGS);
	return 0;
}

int main(endpoint_t self, const char *name)
{
	(void)self;
	return hang_driver(name);
}
