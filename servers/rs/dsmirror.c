/*
 * RS keeps DS's state so that DS can be restarted (servers/ds/dsstate.h):
 * a buffer RS never reads, granted read and write to whichever process is
 * DS now. DS writes its tables there after each change and reads them
 * back when it starts. RS only moves the grant to each new DS endpoint,
 * so it still never waits on DS.
 */
#include "reinc.h"
#include "../ds/dsstate.h"

static struct ds_state mirror;
static struct grant grants[DS_MIRROR_GRANT + 1];

int ds_mirror_init(void)
{
	return (int)sys_setgrant(grants, DS_MIRROR_GRANT + 1);
}

/* Called each time round RS's loop: the grant follows DS's endpoint. */
void ds_mirror_follow(const struct svc *ds)
{
	struct grant *g = &grants[DS_MIRROR_GRANT];

	if (!ds || ds->status != ST_UP || ds->ep <= 0) {
		g->flags = 0;
		return;
	}
	g->grantee = ds->ep;
	g->addr = (uint64_t)&mirror;
	g->len = sizeof(mirror);
	g->flags = GRANT_VALID | GRANT_READ | GRANT_WRITE;
}
