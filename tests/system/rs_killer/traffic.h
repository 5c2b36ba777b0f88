/*
 * The fault injectors' clock (tests/system/rs_killer and those that
 * include it, rs_hanger): wait until the current driver has served enough
 * requests that the next fault lands in the middle of its traffic.
 */
#ifndef RS_TRAFFIC_H
#define RS_TRAFFIC_H

#include "../../../lib/sys/sys.h"

/* Messages received by the live process named name; 0 if none. */
static inline uint64_t received(const char *name)
{
	struct info_proc ip;
	long ep = lookup_endpoint(name);

	if (ep < 0 || sys_getinfo(INFO_PROC, ENDPOINT_SLOT(ep), &ip, sizeof(ip)) <= 0 ||
	    ip.endpoint != ep)
		return 0;
	return ip.ipc_received;
}

/* Wait until the current driver named name has received step messages (a
 * fresh driver counts from 0), so the fault lands in the middle of traffic. */
static inline uint64_t wait_for_traffic(const char *name, uint64_t step)
{
	message_t m;
	uint64_t n;

	for (;;) {
		if (sys_alarm(2) < 0 || ipc_receive(CLOCK, &m) < 0)
			continue;
		if ((n = received(name)) >= step)
			return n;
	}
}

#endif
