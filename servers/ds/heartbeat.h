/*
 * The heartbeat every service answers (docs/recovery.md). RS, the parent of
 * every boot service, NOTIFYs each one periodically; the service answers
 * with a NOTIFY from its main loop. A service that is busy answers when it
 * next receives (notifications wait as pending bits, so none is lost); RS
 * kills it only after several periods without an answer. Call this on
 * every MSG_NOTIFY the main loop receives: it returns 1 if it was RS's ping
 * (answered). The service needs `getinfo` in its kcalls and `notify` in
 * its primitives; no ipc line: a process may always notify its parent.
 */
#ifndef DS_HEARTBEAT_H
#define DS_HEARTBEAT_H

#include "../../lib/sys/sys.h"

static inline int rs_heartbeat(const message_t *m)
{
	static endpoint_t rs;	/* our parent: RS */
	struct info_proc me;

	if (m->type != MSG_NOTIFY || m->source < 0)
		return 0;
	if (!rs && sys_getinfo(INFO_SELF, 0, &me, sizeof(me)) > 0)
		rs = me.parent;
	if (m->source != rs)
		return 0;
	ipc_notify(rs);
	return 1;
}

#endif
