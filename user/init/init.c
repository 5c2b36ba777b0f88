/*
 * init (for now): the first boot service and so the parent of the others.
 * It reports what it is told about its children and ends any that faulted;
 * the reincarnation server will take this role over.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"

int main(endpoint_t self, const char *name)
{
	struct fault_report r;
	message_t m;

	printf("%s: Bulkhead is up (endpoint %d)\n", name, self);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.source != SYSTEM)
			continue;
		while (sys_getevent(&r) == 1) {
			printf("init: child %d stopped (vector %u)\n", r.endpoint, r.vector);
			if (r.vector != EVENT_EXIT)
				sys_exit(r.endpoint, 0);
		}
	}
}
