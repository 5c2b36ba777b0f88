/*
 * NET: the network server. It wraps lib/net (the TCP/IP protocol core,
 * compiled in by lib_*.c) and owns the Linux socket system calls; the
 * Ethernet driver (e1000 or virtio-net) is below it on contracts/netdev.contract.
 *
 * Configuration: interface 0 is lib/net's loopback (127.0.0.1/8);
 * interface 1 is the driver's, statically 10.0.2.15/24 with gateway
 * 10.0.2.2 (QEMU user networking's fixed plan).
 *
 * Sockets are VFS's descriptors (contracts/vfs_net.contract): VFS owns
 * the socket system calls and forwards each to NET with the socket's
 * index; NET copies data and addresses to and from the user process
 * itself (KC_VCOPY). A call that cannot finish yet (recv on an empty
 * socket, a blocking connect, accept) is answered Wait at once; NET
 * NOTIFYs VFS whenever lib/net says a socket's readiness may have
 * changed, and VFS asks again.
 *
 * Wait-for order: VFS -> NET -> driver. NET calls only the driver
 * (SENDREC, answered at once), answers VFS at once and only NOTIFYs it.
 */
#include "netconf.h"
#include "../../lib/net/net.h"
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <netdev.h>
#include <vfs_net.h>

#define TICK		5	/* clock ticks between net_tick calls */
#define BOUNCE		65536

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

#define L_MSG_DONTWAIT	0x40
#define L_SO_RCVTIMEO	20
#define L_SO_SNDTIMEO	21
#define L_EOPNOTSUPP	95

#define CALL_NONBLOCK	1	/* vfs_net Call flags */
#define CALL_RETRY	2

static struct net stack;
static uint64_t hz = 100;

/* What lib/net does not keep about a socket. */
static struct {
	uint64_t rcvtimeo_ms, sndtimeo_ms;	/* 0: none */
	int connecting;		/* a blocking connect is waiting */
} socks[NET_SOCKETS];

/* VFS, the one client of the sockets, and whom readiness news goes to. */
static endpoint_t vfs_ep = -1;
static struct contract_monitor vfs_mon;

/* The driver: the first of these in the image (NET's manifest may reach
 * either). */
static const char *const drv_names[] = { "e1000", "virtio-net" };
static const char *drv_name;
static endpoint_t drv = -1;
static struct contract_monitor drv_mon;
static struct grant grants[2];
static uint8_t txbuf[1536], rxbuf[1536];
static int ifindex = -1;
static uint64_t tx_dropped, drv_attaches;

/* A call to the driver failed: if it died, forget it. Every tick looks
 * for its successor (RS restarts it under the same name), so frames sent
 * meanwhile are lost and TCP retransmits them: connections survive. */
static void driver_failed(int e)
{
	if (e == -EDEADSRCDST || e == -ESRCH)
		drv = -1;
}

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
	    r.type != NETDEV_DONE) {
		tx_dropped++;
		driver_failed(e);
	}
}

/* Every frame the driver holds. */
static void drain_driver(void)
{
	struct netdev_msg r;
	int n = 0, e;

	while (drv >= 0 && n++ < 256) {
		if ((e = netdev_call_Recv(&drv_mon, drv, 1, sizeof(rxbuf), &r)) < 0 ||
		    r.type != NETDEV_DONE) {
			driver_failed(e);
			return;
		}
		net_tick(&stack, now_ms());
		if ((uint32_t)r.u.Done.status > sizeof(rxbuf))
			continue;	/* a broken driver's length: never read past rxbuf */
		net_input(&stack, ifindex, rxbuf, (size_t)r.u.Done.status);
	}
}

/*
 * Attach to the driver (e1000 or virtio-net): grant it the frame buffers and Init it
 * (from then on it notifies us). The first time, the interface is made and
 * configured; after a driver restart lib/net's interface, and every
 * connection on it, simply carries on.
 */
static int driver_up(void)
{
	struct netdev_msg r;
	int e;

	unsigned i;

	netdev_monitor_init(&drv_mon, CONTRACT_CLIENT);
	for (i = 0; !drv_name && i < sizeof(drv_names) / sizeof(drv_names[0]); i++)
		if (lookup_endpoint(drv_names[i]) >= 0)
			drv_name = drv_names[i];
	if (!drv_name || (drv = lookup_endpoint(drv_name)) < 0)
		return -ENODEV;
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ, drv, (uint64_t)txbuf, sizeof(txbuf), 0 };
	grants[1] = (struct grant){ GRANT_VALID | GRANT_WRITE, drv, (uint64_t)rxbuf, sizeof(rxbuf), 0 };
	if ((e = (int)sys_setgrant(grants, 2)) < 0 || (e = netdev_call_Init(&drv_mon, drv, &r)) < 0) {
		drv = -1;
		return e;
	}
	if (r.type != NETDEV_INFO) {
		drv = -1;
		return r.type == NETDEV_FAIL ? r.u.Fail.error : -EIO;
	}
	if (drv_attaches++) {
		printf("net: %s restarted, attached to endpoint %d (attach %lu; %lu frames dropped so far)\n",
		    drv_name, drv, drv_attaches, tx_dropped);
		drain_driver();
		return 0;
	}
	if ((ifindex = net_if_add(&stack, r.u.Info.mac, (uint16_t)r.u.Info.mtu, output, 0)) < 0)
		return ifindex;
	if ((e = net_if_set_addr(&stack, ifindex, 0x0a00020f, 0xffffff00, 0x0a000202)) < 0)
		return e;
	printf("net: %s %02x:%02x:%02x:%02x:%02x:%02x link %u Mb/s, 10.0.2.15/24 via 10.0.2.2\n",
	    drv_name, r.u.Info.mac[0], r.u.Info.mac[1], r.u.Info.mac[2], r.u.Info.mac[3],
	    r.u.Info.mac[4], r.u.Info.mac[5], r.u.Info.link);
	return 0;
}

static void answer(endpoint_t ep, long v)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.u.q[0] = (uint64_t)v;
	ipc_sendnb(ep, &m);	/* a caller that went away loses its answer */
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

/* Write an option or address to (uva, *lenp) the Linux way: truncated to
 * the caller's length, the real length stored back. */
static int put_sized(endpoint_t ep, uint64_t uva, uint64_t lenp, const void *val, uint32_t size)
{
	uint32_t l;
	int e;

	if (!uva)
		return 0;
	if ((e = from_user(ep, lenp, &l, 4)) < 0)
		return e;
	if ((int32_t)l < 0)
		return -EINVAL;
	if ((e = to_user(ep, uva, val, l < size ? l : size)) < 0)
		return e;
	return to_user(ep, lenp, &size, 4);
}

#define WAIT	(-100000L)

/* A timeval option from user memory, in ms. */
static int get_timeo(endpoint_t ep, uint64_t uva, uint64_t len, uint64_t *ms)
{
	uint64_t tv[2];
	int e;

	if (len < sizeof(tv))
		return -EINVAL;
	if ((e = from_user(ep, uva, tv, sizeof(tv))) < 0)
		return e;
	*ms = tv[0] * 1000 + tv[1] / 1000;
	return 0;
}

/*
 * One socket call (contracts/vfs_net.contract, Call). Returns the result,
 * or WAIT with *timeout set when a blocking caller must wait.
 */
static long do_call(const struct vfs_net_Call *c, uint64_t *timeout)
{
	endpoint_t ep = c->ep;
	int s = c->sock, e, v;
	int nb = (c->flags & CALL_NONBLOCK) != 0;
	struct net_sin sin;
	long r;

	*timeout = 0;
	if (s >= NET_SOCKETS)
		return -EBADF;
	switch (c->nr) {
	case L_BIND:
		if ((e = get_sin(ep, c->a2, c->a3, &sin)) < 0)
			return e;
		return net_bind(&stack, s, &sin);
	case L_LISTEN:
		return net_listen(&stack, s, (int)c->a2);
	case L_CONNECT:
		if ((c->flags & CALL_RETRY) && socks[s].connecting) {
			int ev = net_sock_poll(&stack, s);
			if (!(ev & (NET_POLLOUT | NET_POLLERR | NET_POLLHUP)))
				return WAIT;
			socks[s].connecting = 0;
			if (net_getsockopt(&stack, s, NET_SOL_SOCKET, NET_SO_ERROR, &v) == 0 && v)
				return -v;
			return 0;
		}
		if ((e = get_sin(ep, c->a2, c->a3, &sin)) < 0)
			return e;
		r = net_connect(&stack, s, &sin);
		if (r == -NET_EINPROGRESS && !nb) {
			socks[s].connecting = 1;
			return WAIT;
		}
		return r;
	case L_ACCEPT:
	case L_ACCEPT4: {
		int ns;
		if ((ns = net_accept(&stack, s, &sin)) == -NET_EAGAIN && !nb) {
			*timeout = socks[s].rcvtimeo_ms;
			return WAIT;
		}
		if (ns < 0)
			return ns;
		memset(&socks[ns], 0, sizeof(socks[ns]));
		if ((e = put_sized(ep, c->a2, c->a3, &sin, sizeof(sin))) < 0) {
			net_close(&stack, ns);
			return e;
		}
		return ns;
	}
	case L_SENDTO: {
		size_t len = c->a3 > BOUNCE ? BOUNCE : (size_t)c->a3;
		int fl = (int)(c->a4 & ~(uint64_t)L_MSG_DONTWAIT);
		if ((e = from_user(ep, c->a2, bounce, len)) < 0)
			return e;
		if (c->a5) {
			if ((e = get_sin(ep, c->a5, c->a6, &sin)) < 0)
				return e;
			r = net_sendto(&stack, s, bounce, len, fl, &sin);
		} else {
			r = net_send(&stack, s, bounce, len, fl);
		}
		if (r == -NET_EAGAIN && !nb && !(c->a4 & L_MSG_DONTWAIT)) {
			*timeout = socks[s].sndtimeo_ms;
			return WAIT;
		}
		return r;
	}
	case L_RECVFROM: {
		size_t len = c->a3 > BOUNCE ? BOUNCE : (size_t)c->a3;
		memset(&sin, 0, sizeof(sin));
		r = net_recvfrom(&stack, s, bounce, len, (int)(c->a4 & ~(uint64_t)L_MSG_DONTWAIT), &sin);
		if (r == -NET_EAGAIN && !nb && !(c->a4 & L_MSG_DONTWAIT)) {
			*timeout = socks[s].rcvtimeo_ms;
			return WAIT;
		}
		if (r < 0)
			return r;
		if ((e = to_user(ep, c->a2, bounce, (size_t)r)) < 0)
			return e;
		if (c->a5 && (e = put_sized(ep, c->a5, c->a6, &sin, sizeof(sin))) < 0)
			return e;
		return r;
	}
	case L_SENDMSG:
	case L_RECVMSG:
		return -L_EOPNOTSUPP;
	case L_SHUTDOWN:
		return net_shutdown(&stack, s, (int)c->a2);
	case L_GETSOCKNAME:
	case L_GETPEERNAME:
		memset(&sin, 0, sizeof(sin));
		e = c->nr == L_GETSOCKNAME ? net_getsockname(&stack, s, &sin) :
		    net_getpeername(&stack, s, &sin);
		if (e < 0)
			return e;
		return put_sized(ep, c->a2, c->a3, &sin, sizeof(sin));
	case L_SETSOCKOPT:
		if (c->a2 == NET_SOL_SOCKET && c->a3 == L_SO_RCVTIMEO)
			return get_timeo(ep, c->a4, c->a5, &socks[s].rcvtimeo_ms);
		if (c->a2 == NET_SOL_SOCKET && c->a3 == L_SO_SNDTIMEO)
			return get_timeo(ep, c->a4, c->a5, &socks[s].sndtimeo_ms);
		if (c->a5 < 4)
			return -EINVAL;
		if ((e = from_user(ep, c->a4, &v, 4)) < 0)
			return e;
		return net_setsockopt(&stack, s, (int)c->a2, (int)c->a3, v);
	case L_GETSOCKOPT:
		if ((e = net_getsockopt(&stack, s, (int)c->a2, (int)c->a3, &v)) < 0)
			return e;
		return put_sized(ep, c->a4, c->a5, &v, 4);
	}
	return -ENOSYS;
}

/* One request from VFS, answered at once. */
static void vfs_request(const message_t *raw)
{
	struct vfs_net_msg m;
	uint64_t timeout;
	long r;

	if (vfs_net_accept(&vfs_mon, raw, &m) < 0)
		return;
	vfs_ep = raw->source;
	switch (m.type) {
	case VFS_NET_OPEN:
		if ((r = net_socket(&stack, m.u.Open.domain, m.u.Open.type, m.u.Open.protocol)) >= 0)
			memset(&socks[r], 0, sizeof(socks[r]));
		break;
	case VFS_NET_CALL:
		r = do_call(&m.u.Call, &timeout);
		if (r == WAIT) {
			vfs_net_reply_Wait(&vfs_mon, raw->source, timeout);
			return;
		}
		break;
	case VFS_NET_POLL:
		r = m.u.Poll.sock < NET_SOCKETS ? net_sock_poll(&stack, m.u.Poll.sock) : -EBADF;
		break;
	case VFS_NET_CLOSE:
		r = m.u.Close.sock < NET_SOCKETS ? net_close(&stack, m.u.Close.sock) : -EBADF;
		break;
	default:
		r = -ENOSYS;
	}
	if (r < 0)
		vfs_net_reply_Fail(&vfs_mon, raw->source, (int32_t)(r < -4095 ? -EIO : r));
	else
		vfs_net_reply_Ok(&vfs_mon, raw->source, r);
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

	vfs_net_monitor_init(&vfs_mon, CONTRACT_SERVER);
	net_init(&stack, now_ms() ^ 0x9e3779b97f4a7c15ull, now_ms());
	net_set_notify(&stack, sock_notify, 0);
	if ((e = driver_up()) < 0)
		printf("net: no Ethernet driver (%d): loopback only\n", e);
	/* After a restart: VFS retries its waiting socket calls, which then
	 * find their sockets gone with the old NET (ECONNRESET). */
	if ((vfs_ep = lookup_endpoint("vfs")) >= 0)
		ipc_notify(vfs_ep);
	sys_alarm(TICK);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			if (m.source == CLOCK) {
				/* the driver restarted (or died): find it again */
				if (ifindex >= 0 && lookup_endpoint(drv_name) != drv)
					driver_up();
				net_tick(&stack, now_ms());
				sys_alarm(TICK);
			} else if (m.source == drv) {
				drain_driver();
			}
		} else if (VFS_NET_OWNS(m.type)) {
			net_tick(&stack, now_ms());
			vfs_request(&m);
		} else {
			answer(m.source, -ENOSYS);
			continue;
		}
		/* A socket may have become ready: VFS retries its waiting calls. */
		if (ready && vfs_ep >= 0)
			ipc_notify(vfs_ep);
		ready = 0;
	}
}
