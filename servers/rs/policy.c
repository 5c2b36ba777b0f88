/*
 * Restart policies. The kernel holds no policy and the manifest format has
 * no key for it yet (docs/recovery.md: the proposed `restart limit N window
 * T backoff B` and `heartbeat N` keys), so this table is the one place it
 * lives. The first row is the default for any service not named below.
 */
#include "reinc.h"

static const struct policy table[] = {
	/* name        limit  window  backoff missed  flags */
	{ "*",          10,    6000,   10,     4,      0 },
	/* system tests: a service that crashes in a loop is given up fast */
	{ "rs_crashy",  3,     6000,   1,      4,      0 },
	/* supervisors and one-shot programs do not answer heartbeats */
	{ "test",       0,     6000,   0,      0,      POL_ONESHOT },
	{ "service",    3,     6000,   10,     0,      POL_ONESHOT },
	{ "init",       10,    6000,   10,     0,      0 },
};

const struct policy *policy_of(const char *name)
{
	unsigned i;

	for (i = 1; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return &table[0];
}
