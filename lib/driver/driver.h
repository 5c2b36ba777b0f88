/*
 * What every driver shares, whatever its device class: the answer to the
 * reincarnation server's heartbeat and a console line for the contract
 * monitor. The block and character frameworks (blockdriver.h,
 * chardriver.h) call these from their loops; a driver with its own loop
 * (the PCI bus driver) calls them itself. docs/writing-a-driver.md.
 *
 * The RS handshake, kept minimal: RS is the
 * parent of every boot service; it NOTIFYs a service now and then and the
 * service NOTIFYs it back from its main loop (contracts/rs.contract,
 * docs/recovery.md). A driver has nothing to announce at start-up: RS
 * itself publishes a restarted service's endpoint in DS, and the server
 * above a restarted driver reissues what was in flight. So a driver only
 * answers pings; a notification from a process that is not its parent is
 * left to the driver's own callback. Answering needs `notify` in the
 * manifest's primitives, no `ipc` line: a process may always notify its
 * parent (docs/ipc.md), so one manifest serves in images with and without
 * RS.
 */
#ifndef LIB_DRIVER_H
#define LIB_DRIVER_H

#include "../sys/sys.h"
#include "../mini/mini.h"
#include <contract.h>

/* 1 if m was the parent's (RS's) heartbeat ping, now answered. */
static inline int driver_heartbeat(const message_t *m)
{
	static endpoint_t parent;
	struct info_proc me;

	if (m->type != MSG_NOTIFY || m->source < 0)
		return 0;
	if (!parent && sys_getinfo(INFO_SELF, 0, &me, sizeof(me)) > 0)
		parent = me.parent;
	if (m->source != parent)
		return 0;
	ipc_notify(parent);	/* a refusal is logged by the kernel */
	return 1;
}

/* Contract monitor refusals go to the console, one line each. */
static inline void driver_log_line(const char *line)
{
	printf("%s\n", line);
}

static inline void driver_init_log(void)
{
	contract_log_hook = driver_log_line;
}

#endif
