/*
 * rs_victim: a service the recovery tests kill in every way RS must notice
 * (crash, exit, infinite loop) and that must serve again afterwards. Its
 * running sum lives in DS, so it continues where its predecessor stopped.
 */
#include "../test.h"
#include "../rs_proto.h"
#include "../../../servers/ds/heartbeat.h"
#include "../../../servers/ds/dsc.h"

static volatile uintptr_t bad_addr = 0x10;	/* the compiler cannot see the crime */

int main(endpoint_t self, const char *name)
{
	uint64_t sum = 0;
	message_t m;
	int r;

	if ((r = dsc_lookup(V_SUM_KEY, &sum, NULL)) < 0 && r != -ENOENT)
		printf("%s: cannot read my state from DS: %d\n", name, r);
	printf("%s: serving as endpoint %d, sum %lu\n", name, self, sum);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			rs_heartbeat(&m);
			continue;
		}
		switch (m.type) {
		case V_ECHO:
			m.u.q[0]++;
			break;
		case V_ADD:
			sum += m.u.q[0];
			if ((r = dsc_store(V_SUM_KEY, sum)) < 0)
				printf("%s: cannot store my state: %d\n", name, r);
			m.u.q[0] = sum;
			break;
		case V_CRASH:
			*(volatile int *)bad_addr = 1;
			break;
		case V_EXIT:
			sys_exit(SELF, 3);
			break;
		case V_LOOP:
			for (;;)
				__asm__ volatile("" ::: "memory");
		default:
			m.u.q[0] = (uint64_t)-1;
		}
		ipc_sendnb(m.source, &m);
	}
}
