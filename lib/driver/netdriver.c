/*
 * The network driver framework's loop (netdriver.h says what a driver
 * provides). No heap, no blocking: answers are non-blocking sends through
 * the contract monitor, news a NOTIFY.
 */
#include "netdriver.h"

static const struct netdriver *drv;
static struct contract_monitor mon;
static endpoint_t client = NONE;
struct netdriver_stats netdriver_stats;

void netdriver_notify(void)
{
	if (client == NONE)
		return;
	netdriver_stats.notifies++;
	if (ipc_notify(client) < 0)
		client = NONE;	/* gone: the next Init names the new one */
}

int netdriver_copy(const struct netdriver_req *r, int to_client, void *buf, size_t len)
{
	long e = sys_safecopy(to_client ? SAFECOPY_TO : SAFECOPY_FROM, r->client,
	    r->grant, 0, buf, len);

	return e < 0 ? (int)e : 0;
}

static void answer(endpoint_t to, int status)
{
	int r;

	if (status >= 0)
		r = netdev_reply_Done(&mon, to, status);
	else
		r = netdev_reply_Fail(&mon, to, status);
	if (r == -EDEADSRCDST || r == -EAGAIN)
		contract_forget(&mon, to);
}

static void info(endpoint_t to)
{
	uint8_t mac[6];
	uint32_t mtu = 1500, link = 0;
	int r;

	drv->info(mac, &mtu, &link);
	r = netdev_reply_Info(&mon, to, mtu, link, mac);
	if (r == -EDEADSRCDST || r == -EAGAIN)
		contract_forget(&mon, to);
}

static void do_notify(const message_t *m)
{
	if (m->source == HARDWARE) {
		if (drv->intr)
			drv->intr(m->u.q[0]);
	} else if (m->source == CLOCK) {
		if (drv->alarm)
			drv->alarm(m->u.q[0]);
	} else {
		(void)driver_heartbeat(m);
	}
}

void netdriver_task(const struct netdriver *nd)
{
	struct netdev_msg nm;
	struct netdriver_req req;
	message_t m;
	int r;

	drv = nd;
	driver_init_log();
	netdev_monitor_init(&mon, CONTRACT_SERVER);
	for (;;) {
		if ((r = ipc_receive(ANY, &m)) < 0) {
			printf("netdriver: receive failed: %d\n", r);
			continue;
		}
		if (m.type == MSG_NOTIFY) {
			do_notify(&m);
			continue;
		}
		if (netdev_accept(&mon, &m, &nm) != 0)
			continue;
		switch (nm.type) {
		case NETDEV_INIT:
			client = nm.peer;
			info(nm.peer);
			break;
		case NETDEV_STATUS:
			info(nm.peer);
			break;
		case NETDEV_SEND:
			req = (struct netdriver_req){ nm.peer, nm.u.Send.buf, nm.u.Send.len };
			r = drv->send(&req);
			if (r >= 0) {
				netdriver_stats.tx_frames++;
				netdriver_stats.tx_bytes += (uint64_t)r;
			} else if (r == -EAGAIN) {
				netdriver_stats.tx_full++;
			}
			answer(nm.peer, r);
			break;
		case NETDEV_RECV:
			req = (struct netdriver_req){ nm.peer, nm.u.Recv.buf, nm.u.Recv.len };
			r = drv->recv(&req);
			if (r >= 0) {
				netdriver_stats.rx_frames++;
				netdriver_stats.rx_bytes += (uint64_t)r;
			}
			answer(nm.peer, r);
			break;
		}
	}
}
