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
 *
 * DS restarts without losing anything: RS keeps a copy of the tables
 * (dsstate.h), which DS writes after each change, before it answers, and
 * reads back when it starts.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include "heartbeat.h"
#include "dsstate.h"
#include <ds.h>

/* The state, in the block RS keeps a copy of (dsstate.h). */
static struct ds_state state;

static struct contract_monitor mon;
static endpoint_t parent;

/* Give RS the tables as they are now (before the change is answered). */
static void state_save(void)
{
	static int warned;

	state.magic = DS_STATE_MAGIC;
	state.saves++;
	if (sys_safecopy(SAFECOPY_TO, parent, DS_MIRROR_GRANT, 0, &state, sizeof(state)) < 0 &&
	    !warned++)
		printf("ds: RS keeps no copy of the names: a restart will lose them\n");
}

/* A restarted DS: take back what its predecessor saved with RS. */
static void state_restore(const char *name)
{
	int i, n = 0, ns = 0;

	if (sys_safecopy(SAFECOPY_FROM, parent, DS_MIRROR_GRANT, 0, &state, sizeof(state)) < 0 ||
	    state.magic != DS_STATE_MAGIC) {
		memset(&state, 0, sizeof(state));
		return;
	}
	for (i = 0; i < NR_ENTRIES; i++)
		n += state.entries[i].kind != 0;
	for (i = 0; i < NR_SUBS; i++)
		ns += state.subs[i].ep != 0;
	printf("%s: %d names and %d subscriptions restored from RS's copy (save %u)\n",
	    name, n, ns, state.saves);
}

/* The privilege id of a live endpoint, or -1. */
static long priv_of(endpoint_t ep)
{
	struct info_proc ip;

	if (ep <= 0 || sys_getinfo(INFO_PROC, ENDPOINT_SLOT(ep), &ip, sizeof(ip)) < 0 ||
	    ip.endpoint != ep)
		return -1;
	return ip.priv_id;
}

static struct ds_entry *find(const uint8_t *key)
{
	int i;

	for (i = 0; i < NR_ENTRIES; i++)
		if (state.entries[i].kind && !memcmp(state.entries[i].key, key, KEY_LEN))
			return &state.entries[i];
	return NULL;
}

/* Tell every subscriber of key; forget those that are gone. */
static void notify_subscribers(const uint8_t *key)
{
	int i;

	for (i = 0; i < NR_SUBS; i++)
		if (state.subs[i].ep && !memcmp(state.subs[i].key, key, KEY_LEN) &&
		    ipc_notify(state.subs[i].ep) == -EDEADSRCDST)
			state.subs[i].ep = 0;
}

static int publish(endpoint_t src, const struct ds_Publish *p)
{
	struct ds_entry *e = find(p->key);
	long priv = priv_of(src);
	int i;

	if (priv < 0)
		return -ESRCH;
	if (e && e->priv_id != (uint32_t)priv && src != parent)
		return -EPERM;
	if (!e) {
		for (i = 0; i < NR_ENTRIES && state.entries[i].kind; i++)
			;
		if (i == NR_ENTRIES)
			return -ENOSPC;
		e = &state.entries[i];
		memcpy(e->key, p->key, KEY_LEN);
		e->priv_id = (uint32_t)priv;
	}
	e->kind = p->kind;
	e->value = p->value;
	/* An endpoint is what the publisher says (RS names services); state
	 * is stamped with its real publisher, which no one can forge. */
	e->owner = p->kind == 1 ? p->owner : src;
	state_save();
	notify_subscribers(p->key);
	return 0;
}

static int retract(endpoint_t src, const uint8_t *key)
{
	struct ds_entry *e = find(key);
	long priv = priv_of(src);

	if (!e)
		return -ENOENT;
	if (e->priv_id != (uint32_t)priv && src != parent)
		return -EPERM;
	e->kind = 0;
	state_save();
	notify_subscribers(key);
	return 0;
}

static int subscribe(endpoint_t src, const uint8_t *key)
{
	int i, free = -1;

	for (i = 0; i < NR_SUBS; i++) {
		if (state.subs[i].ep == src && !memcmp(state.subs[i].key, key, KEY_LEN))
			return 0;
		/* A slot whose subscriber died is free too. */
		if (free < 0 && (!state.subs[i].ep || priv_of(state.subs[i].ep) < 0))
			free = i;
	}
	if (free < 0)
		return -ENOSPC;
	memcpy(state.subs[free].key, key, KEY_LEN);
	state.subs[free].ep = src;
	state_save();
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
	state_restore(name);
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
			struct ds_entry *e = find(d.u.Lookup.key);
			int r = e ? ds_reply_Found(&mon, d.peer, e->value, e->owner, e->kind)
			    : ds_reply_Fail(&mon, d.peer, -ENOENT);
			if (r < 0)
				contract_forget(&mon, d.peer);
			break;
		}
		}
	}
}
