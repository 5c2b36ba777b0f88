/*
 * The block driver framework's loop (blockdriver.h says what a driver
 * provides). No heap: the tables below are sized by the contract
 * monitor's conversation table, since a client needs a conversation to
 * have anything open or in flight.
 */
#include "blockdriver.h"

#define MAX_CLIENTS	CONTRACT_MAX_CONVS

static const struct blockdriver *drv;
static struct contract_monitor mon;
static struct blockdev_stats stats;

/* Who has what open: access bits of each client's open (the contract
 * allows one conversation, so one open, per client). */
static struct { endpoint_t client; uint32_t access; } opens[MAX_CLIENTS];

/* Transfers the driver had no room for, oldest first. */
static struct blockdriver_req deferred[MAX_CLIENTS];
static int ndeferred;

static int open_slot(endpoint_t client)
{
	int i;

	for (i = 0; i < MAX_CLIENTS; i++)
		if (opens[i].client == client && opens[i].access)
			return i;
	return -1;
}

static void forget(endpoint_t client)
{
	int i = open_slot(client);

	if (i >= 0)
		opens[i].access = 0;
	contract_forget(&mon, client);
}

static void answer(endpoint_t client, int64_t status)
{
	int r;

	if (status >= 0)
		r = blockdev_reply_Done(&mon, client, status);
	else
		r = blockdev_reply_Failed(&mon, client, (int32_t)status);
	if (r == -EDEADSRCDST || r == -EAGAIN)
		forget(client);	/* gone, or no longer waiting: nothing to keep */
}

void blockdriver_reply(endpoint_t client, int64_t status)
{
	stats.requests++;
	if (stats.inflight)
		stats.inflight--;
	answer(client, status);
}

int blockdriver_copy(const struct blockdriver_req *r, int to_client, uint64_t off,
    void *buf, size_t len)
{
	return (int)sys_safecopy(to_client ? SAFECOPY_TO : SAFECOPY_FROM, r->client,
	    r->grant, off, buf, len);
}

/* Hand a transfer to the driver; 1 if it had no room (keep it). */
static int start(const struct blockdriver_req *r)
{
	int64_t s = drv->transfer(r);

	if (s == BLOCKDRIVER_BUSY) {
		stats.deferred++;
		return 1;
	}
	if (s == BLOCKDRIVER_SUSPEND) {
		if (++stats.inflight > stats.max_inflight)
			stats.max_inflight = stats.inflight;
		return 0;
	}
	stats.requests++;
	answer(r->client, s);
	return 0;
}

static void retry_deferred(void)
{
	int i;

	while (ndeferred && !start(&deferred[0])) {
		ndeferred--;
		for (i = 0; i < ndeferred; i++)
			deferred[i] = deferred[i + 1];
	}
}

static void do_open(const struct blockdev_msg *m)
{
	uint64_t size = 0;
	uint32_t ssize = 512;
	int i, r;

	for (i = 0; i < MAX_CLIENTS && opens[i].access; i++)
		;
	if (i == MAX_CLIENTS) {
		blockdev_reply_Failed(&mon, m->peer, -ENFILE);
		return;
	}
	if ((r = drv->open(m->u.Open.minor, m->u.Open.access, &size, &ssize)) < 0) {
		blockdev_reply_Failed(&mon, m->peer, r);
		return;
	}
	if (blockdev_reply_Opened(&mon, m->peer, size, ssize) == 0) {
		opens[i].client = m->peer;
		opens[i].access = m->u.Open.access;
	} else if (drv->close) {
		drv->close(m->u.Open.minor);
	}
}

static void do_transfer(const struct blockdev_msg *m)
{
	int write = m->type == BLOCKDEV_WRITE;
	struct blockdriver_req r = { m->peer, write, m->u.Read.minor, m->u.Read.offset,
		m->u.Read.buf, m->u.Read.length };
	int i = open_slot(m->peer);
	char probe;
	int err;

	if (i < 0 || !(opens[i].access & (write ? 2 : 1))) {
		answer(m->peer, -EBADF);
		return;
	}
	if (write)
		r = (struct blockdriver_req){ m->peer, write, m->u.Write.minor,
			m->u.Write.offset, m->u.Write.buf, m->u.Write.length };
	/* A zero-byte copy at the end of the range checks the grant (valid,
	 * ours, the right direction, long enough) before the device moves. */
	if ((err = blockdriver_copy(&r, !write, r.length, &probe, 0)) < 0) {
		answer(m->peer, err);
		return;
	}
	if (ndeferred || start(&r)) {
		if (ndeferred == MAX_CLIENTS) {	/* cannot happen: one per client */
			answer(m->peer, -EAGAIN);
			return;
		}
		deferred[ndeferred++] = r;
	}
}

static void do_ioctl(const struct blockdev_msg *m)
{
	const struct blockdev_Ioctl *a = &m->u.Ioctl;
	int64_t s;

	if (open_slot(m->peer) < 0)
		s = -EBADF;
	else if (a->request == BLOCKDEV_IOC_STATS)
		s = sys_safecopy(SAFECOPY_TO, m->peer, a->arg, 0, &stats, sizeof(stats));
	else
		s = drv->ioctl ? drv->ioctl(m->peer, a->minor, a->request, a->arg) : -ENOTTY;
	answer(m->peer, s);
}

static void do_notify(const message_t *m)
{
	if (m->source == HARDWARE) {
		if (drv->intr)
			drv->intr(m->u.q[0]);
	} else if (m->source == CLOCK) {
		if (drv->alarm)
			drv->alarm(m->u.q[0]);
	} else if (!driver_heartbeat(m) && drv->notify) {
		drv->notify(m);
	}
}

void blockdriver_task(const struct blockdriver *bd)
{
	struct blockdev_msg bm;
	message_t m;
	int i, r;

	drv = bd;
	driver_init_log();
	blockdev_monitor_init(&mon, CONTRACT_SERVER);
	for (;;) {
		if ((r = ipc_receive(ANY, &m)) < 0) {
			printf("blockdriver: receive failed: %d\n", r);
			continue;
		}
		if (m.type == MSG_NOTIFY)
			do_notify(&m);
		else if (blockdev_accept(&mon, &m, &bm) == 0)
			switch (bm.type) {
			case BLOCKDEV_OPEN:
				do_open(&bm);
				break;
			case BLOCKDEV_CLOSE:
				if ((i = open_slot(bm.peer)) >= 0)
					opens[i].access = 0;
				if (drv->close)
					drv->close(bm.u.Close.minor);
				blockdev_reply_Done(&mon, bm.peer, 0);
				break;
			case BLOCKDEV_READ:
			case BLOCKDEV_WRITE:
				do_transfer(&bm);
				break;
			case BLOCKDEV_IOCTL:
				do_ioctl(&bm);
				break;
			}
		retry_deferred();
	}
}
