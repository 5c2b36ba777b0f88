/*
 * rs_victim: a service the recovery tests kill in every way RS must notice
 * (crash, exit, infinite loop) and that must serve again afterwards. Its
 * running sum lives in DS, so it continues where its predecessor stopped.
 */
#include "../test.h"
#include <victim.h>
#include "../../../servers/ds/heartbeat.h"
#include "../../../servers/ds/dsc.h"

static volatile uintptr_t bad_addr = 0x10;	/* the compiler cannot see the crime */

#define SUM_KEY	"rs_victim.sum"

static void log_line(const char *line)
{
	printf("rs_victim: %s\n", line);
}

int main(endpoint_t self, const char *name)
{
	struct contract_monitor mon;
	struct victim_msg v;
	uint64_t sum = 0;
	message_t m;
	int r;

	contract_log_hook = log_line;
	victim_monitor_init(&mon, CONTRACT_SERVER);
	if ((r = dsc_lookup(SUM_KEY, &sum, NULL)) < 0 && r != -ENOENT)
		printf("%s: cannot read my state from DS: %d\n", name, r);
	printf("%s: serving as endpoint %d, sum %lu\n", name, self, sum);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			rs_heartbeat(&m);
			continue;
		}
		if (victim_accept(&mon, &m, &v) < 0)
			continue;	/* refused, logged, the sender told */
		switch (v.type) {
		case VICTIM_ECHO:
			victim_reply_Value(&mon, v.peer, v.u.Echo.value + 1);
			break;
		case VICTIM_ADD:
			sum += v.u.Add.value;
			if ((r = dsc_store(SUM_KEY, sum)) < 0)
				printf("%s: cannot store my state: %d\n", name, r);
			victim_reply_Value(&mon, v.peer, sum);
			break;
		case VICTIM_CRASH:
			*(volatile int *)bad_addr = 1;
			break;
		case VICTIM_EXIT:
			sys_exit(SELF, 3);
			break;
		case VICTIM_LOOP:
			for (;;)
				__asm__ volatile("" ::: "memory");
		}
	}
}
