/*
 * prober: holds the kernel calls `exit map getregs` but is nobody's parent,
 * and may send only to `test`. It tries to reach past that and reports
 * each result to the supervisor.
 */
#include "../test.h"

static void report(endpoint_t test, int what, long r)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.type = what;
	m.u.q[0] = (uint64_t)r;
	ipc_sendrec(test, &m);
}

int main(void)
{
	endpoint_t test = lookup_endpoint("test"), echo = lookup_endpoint("echo");
	struct user_regs regs;
	message_t m;

	report(test, 1, sys_exit(test, 0));			/* end a non-child */
	report(test, 2, sys_map(test, 0x10000000, 4096, PROT_R | PROT_W));	/* map into a non-child */
	report(test, 3, sys_getregs(test, &regs));		/* read a non-child */
	memset(&m, 0, sizeof(m));
	report(test, 4, ipc_sendrec(echo, &m));			/* a server outside its mask */
	report(test, 5, sys_map(SELF, 0x10000000, 4096, PROT_W | PROT_X));	/* W+X */
	report(test, 0, 0);
	return 0;
}
