/*
 * Client side of DS (contracts/ds.contract), header-only because a native
 * program links only its own directory's sources: include this and list
 * `ds` in the program's CONTRACTS file. Every function returns 0 or a
 * negative errno.
 */
#ifndef DS_CLIENT_H
#define DS_CLIENT_H

#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <ds.h>

static struct contract_monitor dsc_mon;
static endpoint_t dsc_ep;

/* DS's endpoint: looked up by name once (DS is a boot service). */
static inline endpoint_t dsc_server(void)
{
	if (!dsc_ep) {
		ds_monitor_init(&dsc_mon, CONTRACT_CLIENT);
		dsc_ep = lookup_endpoint("ds");
	}
	return dsc_ep;
}

static inline void dsc_key(uint8_t key[32], const char *name)
{
	memset(key, 0, 32);
	strncpy((char *)key, name, 31);
}

static inline int dsc_done(int r, const struct ds_msg *m)
{
	if (r < 0)
		return r;
	return m->type == DS_FAIL ? m->u.Fail.error : 0;
}

/* Keep 8 bytes of state under name (kind 2). */
static inline int dsc_store(const char *name, uint64_t value)
{
	uint8_t key[32];
	struct ds_msg m;
	endpoint_t ds = dsc_server();

	if (ds < 0)
		return ds;
	dsc_key(key, name);
	return dsc_done(ds_call_Publish(&dsc_mon, ds, key, value, 0, 2, &m), &m);
}

/* Look name up: its value and owner (kind 1: owner is the endpoint). */
static inline int dsc_lookup(const char *name, uint64_t *value, endpoint_t *owner)
{
	uint8_t key[32];
	struct ds_msg m;
	endpoint_t ds = dsc_server();
	int r;

	if (ds < 0)
		return ds;
	dsc_key(key, name);
	if ((r = dsc_done(ds_call_Lookup(&dsc_mon, ds, key, &m), &m)) < 0)
		return r;
	if (value)
		*value = m.u.Found.value;
	if (owner)
		*owner = m.u.Found.owner;
	return 0;
}

/* The current endpoint of service name, as RS published it. */
static inline endpoint_t dsc_endpoint(const char *name)
{
	endpoint_t ep;
	int r = dsc_lookup(name, NULL, &ep);

	return r < 0 ? r : ep;
}

/* Be NOTIFYed by DS whenever name is published again. */
static inline int dsc_subscribe(const char *name)
{
	uint8_t key[32];
	struct ds_msg m;
	endpoint_t ds = dsc_server();

	if (ds < 0)
		return ds;
	dsc_key(key, name);
	return dsc_done(ds_call_Subscribe(&dsc_mon, ds, key, &m), &m);
}

#endif
