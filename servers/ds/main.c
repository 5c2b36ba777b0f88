/*
 * DS, the data store (contracts/ds.contract). Names map to values: the
 * endpoint of a service (kind 1; RS publishes one for every service it
 * starts, so a client finds a restarted service's new endpoint here) or 8
 * bytes of state (kind 2) that a service keeps here so it outlives the
 * service's process. A client may subscribe to a name; DS then NOTIFYs it
 * whenever the name is published again, and the client looks it up.
 *
 * Ownership: a name belongs to the privilege id of its first publisher, so
 * a restarted service (same privilege id, new endpoint) may update and read
 * back its state, and no other service may overwrite it. RS, DS's parent,
 * may publish any endpoint. Fixed tables, no heap.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include "heartbeat.h"
#include <ds.h>

#define NR_ENTRIES	64
#define NR_SUBS		64
#define KEY_LEN		32

struct entry {
	uint8_t key[KEY_LEN];
	uint64_t value;
	endpoint_t owner;	/* kind 1: the endpoint; kind 2: the publisher */
	uint32_t kind;		/* 0: free */
	uint32_t priv_id;	/* who may change it */
};

struct sub {
	uint8_t key[KEY_LEN];
	endpoint_t ep;		/* 0: free */
};

static struct entry entries[NR_ENTRIES];
static struct sub subs[NR_SUBS];
static struct contract_monitor mon;
static endpoint_t parent;

/* The privilege id of a live endpoint, or -1. */
static long priv_of(endpoint_t ep)
{
	struct info_proc ip;

	if (ep <= 0 || sys_getinfo(INFO_PROC, ENDPOINT_SLOT(ep), &ip, sizeof(ip)) < 0 ||
	    ip.endpoint != ep)
		return -1;
	return ip.priv_id;
}

static struct entry *find(const uint8_t *key)
{
	int i;

	for (i = 0; i < NR_ENTRIES; i++)
		if (entries[i].kind && !memcmp(entries[i].key, key, KEY_LEN))
			return &entries[i];
	return NULL;
}

/* Tell every subscriber of key; forget those that are gone. */
static void notify_subscribers(const uint8_t *key)
{
	int i;

	for (i = 0; i < NR_SUBS; i++)
		if (subs[i].ep && !memcmp(subs[i].key, key, KEY_LEN) &&
		    ipc_notify(subs[i].ep) == -EDEADSRCDST)
			subs[i].ep = 0;
}

static int publish(endpoint_t src, const struct ds_Publish *p)
{
	struct entry *e = find(p->key);
	long priv = priv_of(src);
	int i;

	if (priv < 0)
		return -ESRCH;
	if (e && e->priv_id != (uint32_t)priv && src != parent)
		return -EPERM;
	if (!e) {
		for (i = 0; i < NR_ENTRIES && entries[i].kind; i++)
			;
		if (i == NR_ENTRIES)
			return -ENOSPC;
		e = &entries[i];
		memcpy(e->key, p->key, KEY_LEN);
		e->priv_id = (uint32_t)priv;
	}
	e->kind = p->kind;
	e->value = p->value;
	/* An endpoint is what the publisher says (RS names services); state
	 * is stamped with its real publisher, which no one can forge. */
	e->owner = p->kind == 1 ? p->owner : src;
	notify_subscribers(p->key);
	return 0;
}

static int retract(endpoint_t src, const uint8_t *key)
{
	struct entry *e = find(key);
	long priv = priv_of(src);

	if (!e)
		return -ENOENT;
	if (e->priv_id != (uint32_t)priv && src != parent)
		return -EPERM;
	e->kind = 0;
	notify_subscribers(key);
	return 0;
}

static int subscribe(endpoint_t src, const uint8_t *key)
{
	int i, free = -1;

	for (i = 0; i < NR_SUBS; i++) {
		if (subs[i].ep == src && !memcmp(subs[i].key, key, KEY_LEN))
			return 0;
		/* A slot whose subscriber died is free too. */
		if (free < 0 && (!subs[i].ep || priv_of(subs[i].ep) < 0))
			free = i;
	}
	if (free < 0)
		return -ENOSPC;
	memcpy(subs[free].key, key, KEY_LEN);
	subs[free].ep = src;
	return 0;
}

static void answer(int r, endpoint_t to)
{
	/* A reply that cannot be delivered (the client is gone or not
	 * waiting, e.g. RS's non-blocking publications) ends that
	 * conversation, so the client's next request starts afresh. */
	if ((r < 0 ? ds_reply_Fail(&mon, to, r) : ds_reply_Ok(&mon, to)) < 0)
		contract_forget(&mon, to);
}

static void log_line(const char *line)
{
	printf("ds: %s\n", line);
}

int main(endpoint_t self, const char *name)
{
	struct info_proc me;
	struct ds_msg d;
	message_t m;

	contract_log_hook = log_line;
	ds_monitor_init(&mon, CONTRACT_SERVER);
	if (sys_getinfo(INFO_SELF, 0, &me, sizeof(me)) > 0)
		parent = me.parent;
	printf("%s: data store up (endpoint %d)\n", name, self);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			rs_heartbeat(&m);
			continue;
		}
		if (ds_accept(&mon, &m, &d) < 0)
			continue;	/* refused, logged, the sender told */
		switch (d.type) {
		case DS_PUBLISH:
			answer(publish(d.peer, &d.u.Publish), d.peer);
			break;
		case DS_RETRACT:
			answer(retract(d.peer, d.u.Retract.key), d.peer);
			break;
		case DS_SUBSCRIBE:
			answer(subscribe(d.peer, d.u.Subscribe.key), d.peer);
			break;
		case DS_LOOKUP: {
			struct entry *e = find(d.u.Lookup.key);
			int r = e ? ds_reply_Found(&mon, d.peer, e->value, e->owner, e->kind)
			    : ds_reply_Fail(&mon, d.peer, -ENOENT);
			if (r < 0)
				contract_forget(&mon, d.peer);
			break;
		}
		}
	}
}
