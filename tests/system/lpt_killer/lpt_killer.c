/*
 * lpt_killer: the fault injector of the printer recovery test
 * (tests/run.d/55-lpt-recovery.sh). It boots in tests/system/lpt_shell.boot,
 * the real system plus itself, and while the shell prints a file to
 * /dev/lp0 it has RS restart the printer driver (`service restart lpt`,
 * contracts/rs.contract) KILLS times, each time when it finds the driver
 * in the middle of a write: asked for one already (it has received
 * messages) and runnable, not waiting in receive, on two ticks in a row
 * (a write of a 4 KiB piece takes many ticks).
 *
 * Its priority (2, above the driver's 3) is what lets it look while the
 * driver is busy: the shell's `service`, at a user's priority, only runs
 * when the driver waits between writes. It may only send to RS and read
 * process information (print getinfo alarm; ipc rs).
 */
#include "../../../user/service/service.c"

#define KILLS		3
#define APART_TICKS	30	/* let the new driver print a while first */

/* Is the live process named name runnable (not blocked in IPC), having
 * been sent something? */
static int busy(const char *name)
{
	struct info_proc ip;
	long ep = lookup_endpoint(name);

	return ep >= 0 && sys_getinfo(INFO_PROC, ENDPOINT_SLOT(ep), &ip, sizeof(ip)) > 0 &&
	    ip.endpoint == ep && ip.flags == 0 && ip.ipc_received > 0;
}

int main(endpoint_t self, const char *name)
{
	char *restart[] = { "service", "restart", "lpt", NULL };
	message_t m;
	int kills = 0, wait = 0, streak = 0;

	(void)self;
	while (kills < KILLS) {
		if (sys_alarm(1) < 0 || ipc_receive(CLOCK, &m) < 0)
			continue;
		streak = busy("lpt") ? streak + 1 : 0;
		if (wait > 0 || streak < 2) {
			wait -= wait > 0;
			continue;
		}
		kills++;
		printf("%s: kill %d of lpt in a write\n", name, kills);
		if (service_run(3, restart, NULL, 0) < 0)
			printf("%s: restart refused\n", name);
		wait = APART_TICKS;
	}
	printf("%s: %d kills done\n", name, kills);
	return 0;
}
