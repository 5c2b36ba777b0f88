/*
 * core.c - the stack as a whole: initialisation, packet buffers,
 * interfaces, Ethernet demultiplexing, routing, the loopback queue and
 * the clock.
 */
#include "net_priv.h"

void
net_init(struct net *n, uint64_t seed, uint64_t now_ms)
{
	int i;

	memset(n, 0, sizeof(*n));
	n->now = now_ms;
	n->rand_state = seed ^ 0x9e3779b97f4a7c15ull;
	n->ip_id = (uint16_t)net_random(n);
	n->next_port = (uint16_t)(49152 + net_random(n) % 16384);
	for (i = NET_PBUFS - 1; i >= 0; i--) {
		n->pbufs[i].next = n->free_pbufs;
		n->free_pbufs = &n->pbufs[i];
	}
	for (i = 0; i < NET_SOCKETS; i++)
		n->socks[i].parent = -1;
	/* Interface 0: the loopback. It carries bare IP packets, no ARP. */
	n->ifs[0].used = true;
	n->ifs[0].loopback = true;
	n->ifs[0].mtu = 1500;
	n->ifs[0].addr = IP_LOOPBACK;
	n->ifs[0].mask = 0xff000000u;
}

void
net_set_notify(struct net *n, net_notify_fn fn, void *arg)
{
	n->notify = fn;
	n->notify_arg = arg;
}

/* splitmix64: ISNs, IP ids, ephemeral ports, DHCP xids. */
uint32_t
net_random(struct net *n)
{
	uint64_t z = (n->rand_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 16);
}

void
net_wake(struct net *n, int sock)
{
	if (n->notify != NULL)
		n->notify(n->notify_arg, sock);
}

struct net_pbuf *
pbuf_alloc(struct net *n)
{
	struct net_pbuf *p = n->free_pbufs;

	if (p == NULL) {
		n->stats.pbuf_exhausted++;
		return NULL;
	}
	n->free_pbufs = p->next;
	p->next = NULL;
	p->len = 0;
	return p;
}

void
pbuf_free(struct net *n, struct net_pbuf *p)
{
	p->next = n->free_pbufs;
	n->free_pbufs = p;
}

int
net_if_add(struct net *n, const uint8_t mac[6], uint16_t mtu,
    net_output_fn output, void *arg)
{
	int i;

	if (output == NULL || mtu < 576 || mtu > NET_PBUF_SIZE - ETH_HLEN)
		return -NET_EINVAL;
	for (i = 1; i < NET_MAX_IFS; i++) {
		if (n->ifs[i].used)
			continue;
		memset(&n->ifs[i], 0, sizeof(n->ifs[i]));
		n->ifs[i].used = true;
		memcpy(n->ifs[i].mac, mac, 6);
		n->ifs[i].mtu = mtu;
		n->ifs[i].output = output;
		n->ifs[i].output_arg = arg;
		return i;
	}
	return -NET_ENOMEM;
}

int
net_if_set_addr(struct net *n, int ifindex, uint32_t addr, uint32_t mask,
    uint32_t gateway)
{
	if (ifindex <= 0 || ifindex >= NET_MAX_IFS || !n->ifs[ifindex].used)
		return -NET_EINVAL;
	n->ifs[ifindex].addr = addr;
	n->ifs[ifindex].mask = mask;
	n->ifs[ifindex].gateway = gateway;
	return 0;
}

bool
net_is_local_addr(const struct net *n, uint32_t addr)
{
	int i;

	if ((addr >> 24) == 127)
		return true;
	for (i = 1; i < NET_MAX_IFS; i++)
		if (n->ifs[i].used && n->ifs[i].addr != 0 &&
		    n->ifs[i].addr == addr)
			return true;
	return false;
}

/*
 * Pick the interface for dst and the neighbour to hand it to: the loopback
 * for our own addresses, a directly attached subnet, else the first
 * interface with a gateway. The limited broadcast goes out of the first
 * Ethernet interface (DHCP needs it before any address is set).
 */
int
route_lookup(const struct net *n, uint32_t dst, uint32_t *nexthop)
{
	int i;

	*nexthop = dst;
	if (net_is_local_addr(n, dst))
		return 0;
	for (i = 1; i < NET_MAX_IFS; i++) {
		const struct net_if *ifp = &n->ifs[i];

		if (!ifp->used)
			continue;
		if (dst == IP_BROADCAST)
			return i;
		if (ifp->addr != 0 && (dst & ifp->mask) ==
		    (ifp->addr & ifp->mask))
			return i;
	}
	for (i = 1; i < NET_MAX_IFS; i++) {
		if (n->ifs[i].used && n->ifs[i].gateway != 0) {
			*nexthop = n->ifs[i].gateway;
			return i;
		}
	}
	return -NET_ENETUNREACH;
}

/* The source address a socket gets when it did not bind one. */
uint32_t
route_source(const struct net *n, uint32_t dst)
{
	uint32_t nexthop;
	int ifindex = route_lookup(n, dst, &nexthop);

	if (ifindex < 0)
		return 0;
	if (ifindex == 0)
		return dst;	/* talking to ourselves: same address both ends */
	return n->ifs[ifindex].addr;
}

void
loopback_queue(struct net *n, struct net_pbuf *p)
{
	p->next = NULL;
	if (n->loop_tail != NULL)
		n->loop_tail->next = p;
	else
		n->loop_head = p;
	n->loop_tail = p;
}

/*
 * Deliver what was sent to ourselves. Delivery may send more (an ACK for
 * the data), which joins the queue: a loop, never recursion, and the guard
 * keeps a nested call from draining out of order.
 */
void
loopback_flush(struct net *n)
{
	struct net_pbuf *p;

	if (n->loopback_draining)
		return;
	n->loopback_draining = 1;
	while ((p = n->loop_head) != NULL) {
		n->loop_head = p->next;
		if (n->loop_head == NULL)
			n->loop_tail = NULL;
		ip_input(n, 0, p->data + ETH_HLEN, p->len - ETH_HLEN);
		pbuf_free(n, p);
	}
	n->loopback_draining = 0;
}

void
net_input(struct net *n, int ifindex, const uint8_t *frame, size_t len)
{
	const struct net_if *ifp;
	uint16_t type;

	n->stats.eth_in++;
	if (ifindex <= 0 || ifindex >= NET_MAX_IFS || !n->ifs[ifindex].used ||
	    frame == NULL || len < ETH_HLEN) {
		n->stats.eth_drop++;
		return;
	}
	ifp = &n->ifs[ifindex];
	/* Ours or broadcast; other unicast and multicast are not for us. */
	if (memcmp(frame, ifp->mac, 6) != 0 &&
	    memcmp(frame, "\xff\xff\xff\xff\xff\xff", 6) != 0) {
		n->stats.eth_drop++;
		return;
	}
	type = get16(frame + 12);
	if (type == ETH_P_IP)
		ip_input(n, ifindex, frame + ETH_HLEN, len - ETH_HLEN);
	else if (type == ETH_P_ARP)
		arp_input(n, ifindex, frame + ETH_HLEN, len - ETH_HLEN);
	else
		n->stats.eth_drop++;
	loopback_flush(n);
}

void
net_tick(struct net *n, uint64_t now_ms)
{
	if (now_ms > n->now)
		n->now = now_ms;
	arp_tick(n);
	reasm_tick(n);
	tcp_tick(n);
	dhcp_tick(n);
	loopback_flush(n);
}
