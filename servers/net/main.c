/*
 * NET: the network server. It wraps lib/net (the TCP/IP protocol core,
 * compiled in by lib_*.c) and owns the Linux socket system calls; the
 * Ethernet driver (e1000) is below it on contracts/netdev.contract.
 *
 * Configuration: interface 0 is lib/net's loopback (127.0.0.1/8);
 * interface 1 is the driver's, statically 10.0.2.15/24 with gateway
 * 10.0.2.2 (QEMU user networking's fixed plan).
 *
 * Wait-for order: NET calls only the driver (SENDREC, which the driver
 * answers at once); it answers user processes with non-blocking sends and
 * never waits on VFS or PM. A call that cannot finish yet (recvfrom on an
 * empty socket, a TCP connect, accept) is kept and run again after every
 * event (frames in, timers, lib/net's readiness callback) until it can,
 * or its SO_RCVTIMEO deadline passes (-EAGAIN, as Linux).
 *
 * Descriptors: a socket is NET_FD_BASE + its lib/net index, owned by the
 * process that made it. Not yet VFS descriptors: read/write/close/poll on
 * them are VFS's calls and do not reach NET (docs/network.md, "Left").
 */
#include "netconf.h"
#include "../../lib/net/net.h"
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <netdev.h>

#define NET_FD_BASE	1000
#define NPEND		16
#define TICK		5	/* clock ticks between net_tick calls */
#define BOUNCE		65536

#define L_SOCKET	41
#define L_CONNECT	42
#define L_ACCEPT	43
#define L_SENDTO	44
#define L_RECVFROM	45
#define L_SENDMSG	46
#define L_RECVMSG	47
#define L_SHUTDOWN	48
#define L_BIND		49
#define L_LISTEN	50
#define L_GETSOCKNAME	51
#define L_GETPEERNAME	52
#define L_SOCKETPAIR	53
#define L_SETSOCKOPT	54
#define L_GETSOCKOPT	55
#define L_ACCEPT4	288

#define L_SOCK_NONBLOCK	04000
#define L_SOCK_CLOEXEC	02000000
#define L_MSG_DONTWAIT	0x40
#define L_SO_RCVTIMEO	20
#define L_EOPNOTSUPP	95

static struct net stack;
static uint64_t hz = 100;

static struct {
	endpoint_t owner;	/* 0: free */
	int nonblock;
	uint64_t rcvtimeo_ms;	/* 0: none */
	int connecting;
} socks[NET_SOCKETS];

static struct pend {
	endpoint_t ep;		/* 0: free */
	message_t m;
	uint64_t deadline;	/* ms, 0: none */
} pend[NPEND];

/* The driver. */
static endpoint_t drv = -1;
static struct contract_monitor drv_mon;
static struct grant grants[2];
static uint8_t txbuf[1536], rxbuf[1536];
static int ifindex = -1;
static uint64_t tx_dropped;

static uint8_t bounce[BOUNCE];

static uint64_t now_ms(void)
{
	struct info_kernel ik;

	if (sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik)) < 0)
		return 0;
	if (ik.hz)
		hz = ik.hz;
	return ik.ticks * 1000 / hz;
}

/* lib/net's output: one frame to the driver. A full ring drops it (TCP
 * retransmits; the driver's notification lets later frames through). */
static void output(void *arg, const uint8_t *frame, size_t len)
{
	struct netdev_msg r;
	int e;

	(void)arg;
	if (len > sizeof(txbuf) || len < 14 || drv < 0)
		return;
	if (len < 60) {
		memset(txbuf + len, 0, 60 - len);
	}
	memcpy(txbuf, frame, len);
	if ((e = netdev_call_Send(&drv_mon, drv, 0, (uint32_t)(len < 60 ? 60 : len), &r)) < 0 ||
	    r.type != NETDEV_DONE)
		tx_dropped++;
}

/* Every frame the driver holds. */
static void drain_driver(void)
{
	struct netdev_msg r;
	int n = 0;

	while (drv >= 0 && n++ < 256) {
		if (netdev_call_Recv(&drv_mon, drv, 1, sizeof(rxbuf), &r) < 0 || r.type != NETDEV_DONE)
			return;
		net_tick(&stack, now_ms());
		net_input(&stack, ifindex, rxbuf, (size_t)r.u.Done.status);
	}
}

static int driver_up(void)
{
	struct netdev_msg r;
	int e;

	netdev_monitor_init(&drv_mon, CONTRACT_CLIENT);
	if ((drv = lookup_endpoint("e1000")) < 0)
		return -ENODEV;
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ, drv, (uint64_t)txbuf, sizeof(txbuf), 0 };
	grants[1] = (struct grant){ GRANT_VALID | GRANT_WRITE, drv, (uint64_t)rxbuf, sizeof(rxbuf), 0 };
	if ((e = (int)sys_setgrant(grants, 2)) < 0)
		return e;
	if ((e = netdev_call_Init(&drv_mon, drv, &r)) < 0)
		return e;
	if (r.type != NETDEV_INFO)
		return r.type == NETDEV_FAIL ? r.u.Fail.error : -EIO;
	if ((ifindex = net_if_add(&stack, r.u.Info.mac, (uint16_t)r.u.Info.mtu, output, 0)) < 0)
		return ifindex;
	if ((e = net_if_set_addr(&stack, ifindex, 0x0a00020f, 0xffffff00, 0x0a000202)) < 0)
		return e;
	printf("net: e1000 %02x:%02x:%02x:%02x:%02x:%02x link %u Mb/s, 10.0.2.15/24 via 10.0.2.2\n",
	    r.u.Info.mac[0], r.u.Info.mac[1], r.u.Info.mac[2], r.u.Info.mac[3],
	    r.u.Info.mac[4], r.u.Info.mac[5], r.u.Info.link);
	return 0;
}

/* ---- user memory ---- */

static int from_user(endpoint_t ep, uint64_t uva, void *buf, size_t len)
{
	return sys_vcopy(ep, uva, SELF, (uint64_t)buf, len) < 0 ? -EFAULT : 0;
}

static int to_user(endpoint_t ep, uint64_t uva, const void *buf, size_t len)
{
	return sys_vcopy(SELF, (uint64_t)buf, ep, uva, len) < 0 ? -EFAULT : 0;
}

static int get_sin(endpoint_t ep, uint64_t uva, uint64_t len, struct net_sin *sin)
{
	if (len < sizeof(*sin))
		return -EINVAL;
	return from_user(ep, uva, sin, sizeof(*sin));
}

/* Write an address to (uva, *lenp) the Linux way: truncated to the
 * caller's length, the real length stored back. */
static int put_sin(endpoint_t ep, uint64_t uva, uint64_t lenp, const struct net_sin *sin)
{
	uint32_t l;
	int e;

	if (!uva)
		return 0;
	if ((e = from_user(ep, lenp, &l, 4)) < 0)
		return e;
	if ((int32_t)l < 0)
		return -EINVAL;
	if ((e = to_user(ep, uva, sin, l < sizeof(*sin) ? l : sizeof(*sin))) < 0)
		return e;
	l = sizeof(*sin);
	return to_user(ep, lenp, &l, 4);
}

static int sock_of(endpoint_t ep, uint64_t fd)
{
	uint64_t s = fd - NET_FD_BASE;

	if (fd < NET_FD_BASE || s >= NET_SOCKETS || socks[s].owner != ep)
		return -EBADF;
	return (int)s;
}

#define SUSPEND	(-100000L)

/* One socket call; SUSPEND if it must wait. */
static long do_call(endpoint_t ep, const message_t *m, int retry)
{
	uint64_t nr = m->u.q[0], a1 = m->u.q[1], a2 = m->u.q[2], a3 = m->u.q[3],
	    a4 = m->u.q[4], a5 = m->u.q[5], a6 = m->u.q[6];
	struct net_sin sin;
	long r;
	int s, e, v;

	if (nr == L_SOCKET) {
		int type = (int)(a2 & 0xF);

		if ((a2 & ~(uint64_t)(0xF | L_SOCK_NONBLOCK | L_SOCK_CLOEXEC)))
			return -EINVAL;
		if ((s = net_socket(&stack, (int)a1, type, (int)a3)) < 0)
			return s;
		socks[s].owner = ep;
		socks[s].nonblock = (a2 & L_SOCK_NONBLOCK) != 0;
		socks[s].rcvtimeo_ms = 0;
		socks[s].connecting = 0;
		return NET_FD_BASE + s;
	}
	if (nr == L_SOCKETPAIR || nr == L_SENDMSG || nr == L_RECVMSG)
		return -L_EOPNOTSUPP;
	if ((s = sock_of(ep, a1)) < 0)
		return s;
	switch (nr) {
	case L_BIND:
		if ((e = get_sin(ep, a2, a3, &sin)) < 0)
			return e;
		return net_bind(&stack, s, &sin);
	case L_LISTEN:
		return net_listen(&stack, s, (int)a2);
	case L_CONNECT:
		if (retry && socks[s].connecting) {
			int ev = net_sock_poll(&stack, s);
			if (!(ev & (NET_POLLOUT | NET_POLLERR | NET_POLLHUP)))
				return SUSPEND;
			socks[s].connecting = 0;
			if (net_getsockopt(&stack, s, NET_SOL_SOCKET, NET_SO_ERROR, &v) == 0 && v)
				return -v;
			return 0;
		}
		if ((e = get_sin(ep, a2, a3, &sin)) < 0)
			return e;
		r = net_connect(&stack, s, &sin);
		if (r == -NET_EINPROGRESS && !socks[s].nonblock) {
			socks[s].connecting = 1;
			return SUSPEND;
		}
		return r;
	case L_ACCEPT:
	case L_ACCEPT4: {
		int ns;
		if ((ns = net_accept(&stack, s, &sin)) == -NET_EAGAIN && !socks[s].nonblock)
			return SUSPEND;
		if (ns < 0)
			return ns;
		socks[ns].owner = ep;
		socks[ns].nonblock = nr == L_ACCEPT4 && (a4 & L_SOCK_NONBLOCK);
		socks[ns].rcvtimeo_ms = 0;
		socks[ns].connecting = 0;
		if ((e = put_sin(ep, a2, a3, &sin)) < 0)
			return e;
		return NET_FD_BASE + ns;
	}
	case L_SENDTO: {
		size_t len = a3 > BOUNCE ? BOUNCE : (size_t)a3;
		if ((e = from_user(ep, a2, bounce, len)) < 0)
			return e;
		if (a5) {
			if ((e = get_sin(ep, a5, a6, &sin)) < 0)
				return e;
			r = net_sendto(&stack, s, bounce, len, (int)(a4 & ~(uint64_t)L_MSG_DONTWAIT), &sin);
		} else {
			r = net_send(&stack, s, bounce, len, (int)(a4 & ~(uint64_t)L_MSG_DONTWAIT));
		}
		if (r == -NET_EAGAIN && !socks[s].nonblock && !(a4 & L_MSG_DONTWAIT))
			return SUSPEND;
		return r;
	}
	case L_RECVFROM: {
		size_t len = a3 > BOUNCE ? BOUNCE : (size_t)a3;
		memset(&sin, 0, sizeof(sin));
		r = net_recvfrom(&stack, s, bounce, len, (int)(a4 & ~(uint64_t)L_MSG_DONTWAIT), &sin);
		if (r == -NET_EAGAIN && !socks[s].nonblock && !(a4 & L_MSG_DONTWAIT))
			return SUSPEND;
		if (r < 0)
			return r;
		if ((e = to_user(ep, a2, bounce, (size_t)r)) < 0)
			return e;
		if (a5 && (e = put_sin(ep, a5, a6, &sin)) < 0)
			return e;
		return r;
	}
	case L_SHUTDOWN:
		return net_shutdown(&stack, s, (int)a2);
	case L_GETSOCKNAME:
	case L_GETPEERNAME:
		memset(&sin, 0, sizeof(sin));
		e = nr == L_GETSOCKNAME ? net_getsockname(&stack, s, &sin) :
		    net_getpeername(&stack, s, &sin);
		if (e < 0)
			return e;
		return put_sin(ep, a2, a3, &sin);
	case L_SETSOCKOPT:
		if (a2 == NET_SOL_SOCKET && a3 == L_SO_RCVTIMEO) {
			uint64_t tv[2];
			if (a5 < sizeof(tv))
				return -EINVAL;
			if ((e = from_user(ep, a4, tv, sizeof(tv))) < 0)
				return e;
			socks[s].rcvtimeo_ms = tv[0] * 1000 + tv[1] / 1000;
			return 0;
		}
		if (a5 < 4)
			return -EINVAL;
		if ((e = from_user(ep, a4, &v, 4)) < 0)
			return e;
		return net_setsockopt(&stack, s, (int)a2, (int)a3, v);
	case L_GETSOCKOPT: {
		uint32_t l = 4;
		if ((e = net_getsockopt(&stack, s, (int)a2, (int)a3, &v)) < 0)
			return e;
		if ((e = to_user(ep, a4, &v, 4)) < 0)
			return e;
		return to_user(ep, a5, &l, 4);
	}
	}
	return -ENOSYS;
}

static void answer(endpoint_t ep, long v)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.u.q[0] = (uint64_t)v;
	ipc_sendnb(ep, &m);	/* a caller that went away loses its answer */
}

static void syscall_msg(const message_t *m)
{
	struct pend *p, *slot = 0;
	long r;
	int s;

	/* A new call from a process ends any older one it had waiting. */
	for (p = pend; p < pend + NPEND; p++)
		if (p->ep == m->source)
			p->ep = 0;
	r = do_call(m->source, m, 0);
	if (r != SUSPEND) {
		answer(m->source, r);
		return;
	}
	for (p = pend; p < pend + NPEND; p++)
		if (!p->ep) {
			slot = p;
			break;
		}
	if (!slot) {
		answer(m->source, -EAGAIN);
		return;
	}
	slot->ep = m->source;
	slot->m = *m;
	slot->deadline = 0;
	s = sock_of(m->source, m->u.q[1]);
	if (s >= 0 && m->u.q[0] == L_RECVFROM && socks[s].rcvtimeo_ms)
		slot->deadline = now_ms() + socks[s].rcvtimeo_ms;
}

static void retry_pending(void)
{
	uint64_t now = now_ms();
	struct pend *p;
	long r;

	for (p = pend; p < pend + NPEND; p++) {
		if (!p->ep)
			continue;
		r = do_call(p->ep, &p->m, 1);
		if (r == SUSPEND && p->deadline && now >= p->deadline)
			r = -EAGAIN;
		if (r == SUSPEND)
			continue;
		answer(p->ep, r);
		p->ep = 0;
	}
}

static int ready;
static void sock_notify(void *arg, int sock)
{
	(void)arg;
	(void)sock;
	ready = 1;
}

int main(void)
{
	message_t m;
	int e;

	net_init(&stack, now_ms() ^ 0x9e3779b97f4a7c15ull, now_ms());
	net_set_notify(&stack, sock_notify, 0);
	if ((e = driver_up()) < 0)
		printf("net: no Ethernet driver (%d): loopback only\n", e);
	sys_alarm(TICK);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			if (m.source == CLOCK) {
				net_tick(&stack, now_ms());
				sys_alarm(TICK);
			} else if (m.source == drv) {
				drain_driver();
			}
		} else if (m.type == MSG_SYSCALL) {
			net_tick(&stack, now_ms());
			syscall_msg(&m);
		} else {
			answer(m.source, -ENOSYS);
			continue;
		}
		ready = 0;
		retry_pending();
	}
}
