/*
 * arp.c - Address Resolution Protocol (RFC 826) for IPv4 over Ethernet.
 *
 * A fixed cache: an entry is PENDING while we ask (holding up to
 * NET_ARP_QUEUE frames for that neighbour, oldest dropped first) and
 * RESOLVED for NET_ARP_TTL ms after the last reply. A neighbour that does
 * not answer NET_ARP_TRIES requests is forgotten with its queued frames.
 */
#include "net_priv.h"

#define ARP_LEN		28
#define ARP_REQUEST	1
#define ARP_REPLY	2

enum { ARP_FREE, ARP_PENDING, ARP_RESOLVED };

static const uint8_t eth_broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void
send_frame(struct net *n, int ifindex, const uint8_t *dst_mac,
    struct net_pbuf *p)
{
	struct net_if *ifp = &n->ifs[ifindex];

	memcpy(p->data, dst_mac, 6);
	ifp->output(ifp->output_arg, p->data, p->len);
	pbuf_free(n, p);
}

static void
arp_send(struct net *n, int ifindex, uint16_t op, const uint8_t *tha,
    uint32_t tpa)
{
	struct net_if *ifp = &n->ifs[ifindex];
	struct net_pbuf *p = pbuf_alloc(n);
	uint8_t *a;

	if (p == NULL)
		return;
	memcpy(p->data + 6, ifp->mac, 6);
	put16(p->data + 12, ETH_P_ARP);
	a = p->data + ETH_HLEN;
	put16(a, 1);
	put16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, ifp->mac, 6);
	put32(a + 14, ifp->addr);
	memcpy(a + 18, op == ARP_REQUEST ? (const uint8_t *)"\0\0\0\0\0\0" :
	    tha, 6);
	put32(a + 24, tpa);
	/* Pad to the 60-byte Ethernet minimum; some peers insist. */
	memset(a + ARP_LEN, 0, 60 - ETH_HLEN - ARP_LEN);
	p->len = 60;
	if (op == ARP_REQUEST)
		n->stats.arp_request_out++;
	else
		n->stats.arp_reply_out++;
	send_frame(n, ifindex, op == ARP_REQUEST ? eth_broadcast : tha, p);
}

static struct net_arp *
arp_find(struct net *n, int ifindex, uint32_t ip)
{
	int i;

	for (i = 0; i < NET_ARP_ENTRIES; i++)
		if (n->arp[i].state != ARP_FREE && n->arp[i].ip == ip &&
		    n->arp[i].ifindex == ifindex)
			return &n->arp[i];
	return NULL;
}

static void
arp_flush_queue(struct net *n, struct net_arp *e)
{
	struct net_pbuf *p;

	while ((p = e->queue) != NULL) {
		e->queue = p->next;
		pbuf_free(n, p);
	}
	e->qlen = 0;
}

/* A free entry, else the resolved one closest to expiry, else none. */
static struct net_arp *
arp_new(struct net *n)
{
	struct net_arp *victim = NULL;
	int i;

	for (i = 0; i < NET_ARP_ENTRIES; i++) {
		struct net_arp *e = &n->arp[i];

		if (e->state == ARP_FREE)
			return e;
		if (e->state == ARP_RESOLVED &&
		    (victim == NULL || e->deadline < victim->deadline))
			victim = e;
	}
	if (victim != NULL)
		arp_flush_queue(n, victim);
	return victim;
}

static void
arp_update(struct net *n, struct net_arp *e, const uint8_t *mac)
{
	struct net_pbuf *p;

	memcpy(e->mac, mac, 6);
	e->state = ARP_RESOLVED;
	e->deadline = n->now + NET_ARP_TTL;
	while ((p = e->queue) != NULL) {
		e->queue = p->next;
		send_frame(n, e->ifindex, e->mac, p);
	}
	e->qlen = 0;
}

void
arp_input(struct net *n, int ifindex, const uint8_t *a, size_t len)
{
	struct net_if *ifp = &n->ifs[ifindex];
	struct net_arp *e;
	uint32_t spa, tpa;
	uint16_t op;

	n->stats.arp_in++;
	if (len < ARP_LEN || get16(a) != 1 || get16(a + 2) != ETH_P_IP ||
	    a[4] != 6 || a[5] != 4) {
		n->stats.arp_drop++;
		return;
	}
	op = get16(a + 6);
	spa = get32(a + 14);
	tpa = get32(a + 24);
	/* A sender claiming broadcast or a zero MAC would poison the cache. */
	if ((a[8] & 1) || memcmp(a + 8, "\0\0\0\0\0\0", 6) == 0 ||
	    spa == 0 || spa == IP_BROADCAST) {
		n->stats.arp_drop++;
		return;
	}
	/* RFC 826 merge: refresh a known sender; learn it if it asks us. */
	e = arp_find(n, ifindex, spa);
	if (e != NULL)
		arp_update(n, e, a + 8);
	if (ifp->addr == 0 || tpa != ifp->addr)
		return;
	if (e == NULL && (e = arp_new(n)) != NULL) {
		e->ifindex = (uint8_t)ifindex;
		e->ip = spa;
		e->queue = NULL;
		e->qlen = 0;
		arp_update(n, e, a + 8);
	}
	if (op == ARP_REQUEST)
		arp_send(n, ifindex, ARP_REPLY, a + 8, spa);
}

/* Send p (an Ethernet frame lacking its destination) towards nexthop. */
void
arp_output(struct net *n, int ifindex, uint32_t nexthop, struct net_pbuf *p)
{
	struct net_if *ifp = &n->ifs[ifindex];
	struct net_arp *e;

	memcpy(p->data + 6, ifp->mac, 6);
	put16(p->data + 12, ETH_P_IP);
	if (nexthop == IP_BROADCAST || (ifp->mask != 0xffffffffu &&
	    ifp->addr != 0 && (nexthop | ifp->mask) == IP_BROADCAST)) {
		send_frame(n, ifindex, eth_broadcast, p);
		return;
	}
	e = arp_find(n, ifindex, nexthop);
	if (e != NULL && e->state == ARP_RESOLVED) {
		send_frame(n, ifindex, e->mac, p);
		return;
	}
	if (e == NULL) {
		e = arp_new(n);
		if (e == NULL) {
			pbuf_free(n, p);
			return;
		}
		e->state = ARP_PENDING;
		e->ifindex = (uint8_t)ifindex;
		e->ip = nexthop;
		e->tries = 1;
		e->queue = NULL;
		e->qlen = 0;
		e->deadline = n->now + NET_ARP_RETRY;
		arp_send(n, ifindex, ARP_REQUEST, NULL, nexthop);
	}
	if (e->qlen == NET_ARP_QUEUE) {
		struct net_pbuf *old = e->queue;

		e->queue = old->next;
		pbuf_free(n, old);
		e->qlen--;
	}
	p->next = NULL;
	if (e->queue == NULL) {
		e->queue = p;
	} else {
		struct net_pbuf *q = e->queue;

		while (q->next != NULL)
			q = q->next;
		q->next = p;
	}
	e->qlen++;
}

void
arp_tick(struct net *n)
{
	int i;

	for (i = 0; i < NET_ARP_ENTRIES; i++) {
		struct net_arp *e = &n->arp[i];

		if (e->state == ARP_FREE || n->now < e->deadline)
			continue;
		if (e->state == ARP_PENDING && e->tries < NET_ARP_TRIES) {
			e->tries++;
			e->deadline = n->now + NET_ARP_RETRY;
			arp_send(n, e->ifindex, ARP_REQUEST, NULL, e->ip);
			continue;
		}
		n->stats.arp_timeout++;
		arp_flush_queue(n, e);
		e->state = ARP_FREE;
	}
}
