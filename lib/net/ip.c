/*
 * ip.c - IPv4 (RFC 791) input checks, delivery and output with
 * fragmentation. We are a host, never a router: what is not addressed to
 * us is dropped.
 */
#include "net_priv.h"

#define IP_MF		0x2000
#define IP_DF		0x4000
#define IP_OFFMASK	0x1fff
#define IP_TTL		64

static bool
is_broadcast_for(const struct net *n, int ifindex, uint32_t dst)
{
	const struct net_if *ifp = &n->ifs[ifindex];

	if (dst == IP_BROADCAST)
		return true;
	return ifp->addr != 0 && ifp->mask != 0xffffffffu &&
	    (dst & ~ifp->mask) == ~ifp->mask &&
	    (dst & ifp->mask) == (ifp->addr & ifp->mask);
}

void
ip_input(struct net *n, int ifindex, const uint8_t *pkt, size_t len)
{
	struct ip_info ii;
	size_t hlen, total;
	uint16_t frag;

	n->stats.ip_in++;
	if (len < IP_HLEN || (pkt[0] >> 4) != 4) {
		n->stats.ip_bad_hdr++;
		return;
	}
	hlen = (size_t)(pkt[0] & 0x0f) * 4;
	total = get16(pkt + 2);
	/* Ethernet pads short frames: trust total length, not the frame. */
	if (hlen < IP_HLEN || hlen > len || total < hlen || total > len) {
		n->stats.ip_bad_hdr++;
		return;
	}
	if (cksum_fold(cksum_add(0, pkt, hlen)) != 0) {
		n->stats.ip_bad_cksum++;
		return;
	}
	if (pkt[8] == 0) {	/* TTL 0 should never have been sent */
		n->stats.ip_bad_hdr++;
		return;
	}
	ii.ifindex = ifindex;
	ii.src = get32(pkt + 12);
	ii.dst = get32(pkt + 16);
	ii.proto = pkt[9];
	ii.ttl = pkt[8];
	ii.hdr = pkt;
	ii.hdrlen = hlen;
	ii.broadcast = false;
	/* A broadcast or multicast source is a forgery (RFC 1122 3.2.1.3). */
	if (ii.src == IP_BROADCAST || (ii.src >> 28) == 0xe) {
		n->stats.ip_bad_hdr++;
		return;
	}
	if (ifindex == 0) {
		if ((ii.dst >> 24) != 127 && !net_is_local_addr(n, ii.dst)) {
			n->stats.ip_not_ours++;
			return;
		}
	} else if (is_broadcast_for(n, ifindex, ii.dst)) {
		ii.broadcast = true;
	} else if (n->ifs[ifindex].addr == 0 &&
	    n->ifs[ifindex].dhcp.state != 0 && ii.proto == NET_IPPROTO_UDP) {
		/* No address yet: a DHCP server may unicast to the offer. */
	} else if (ii.dst != n->ifs[ifindex].addr ||
	    n->ifs[ifindex].addr == 0) {
		n->stats.ip_not_ours++;
		return;
	}
	frag = get16(pkt + 6);
	if ((frag & (IP_MF | IP_OFFMASK)) != 0) {
		n->stats.ip_frag_in++;
		reasm_input(n, &ii, get16(pkt + 4),
		    (uint32_t)(frag & IP_OFFMASK) * 8, (frag & IP_MF) != 0,
		    pkt + hlen, total - hlen);
		return;
	}
	ip_deliver(n, &ii, pkt + hlen, total - hlen);
}

void
ip_deliver(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len)
{
	switch (ii->proto) {
	case NET_IPPROTO_ICMP:
		icmp_input(n, ii, pl, len);
		break;
	case NET_IPPROTO_UDP:
		udp_input(n, ii, pl, len);
		break;
	case NET_IPPROTO_TCP:
		tcp_input(n, ii, pl, len);
		break;
	default:
		/* Protocol unreachable would tell a scanner what we run; drop. */
		break;
	}
}

static int
ip_send_piece(struct net *n, int ifindex, uint32_t nexthop, uint32_t src,
    uint32_t dst, uint8_t proto, uint16_t id, uint16_t frag,
    const uint8_t *data, size_t len)
{
	struct net_pbuf *p = pbuf_alloc(n);
	uint8_t *h;

	if (p == NULL)
		return -NET_ENOBUFS;
	h = p->data + ETH_HLEN;
	h[0] = 0x45;
	h[1] = 0;
	put16(h + 2, (uint16_t)(IP_HLEN + len));
	put16(h + 4, id);
	put16(h + 6, frag);
	h[8] = IP_TTL;
	h[9] = proto;
	put16(h + 10, 0);
	put32(h + 12, src);
	put32(h + 16, dst);
	put16(h + 10, cksum_fold(cksum_add(0, h, IP_HLEN)));
	memcpy(h + IP_HLEN, data, len);
	p->len = (uint16_t)(ETH_HLEN + IP_HLEN + len);
	n->stats.ip_out++;
	if (ifindex == 0)
		loopback_queue(n, p);
	else
		arp_output(n, ifindex, nexthop, p);
	return 0;
}

/*
 * Send one datagram. If it does not fit the interface MTU it is cut into
 * fragments whose payloads are multiples of 8 bytes (RFC 791), unless the
 * caller forbade that with df (TCP, which sizes its own segments).
 */
int
ip_output(struct net *n, uint32_t src, uint32_t dst, uint8_t proto,
    bool df, const uint8_t *payload, size_t len)
{
	uint32_t nexthop;
	size_t chunk, off;
	uint16_t id;
	int ifindex, err;

	if (len > 65535 - IP_HLEN)
		return -NET_EMSGSIZE;
	ifindex = route_lookup(n, dst, &nexthop);
	if (ifindex < 0)
		return ifindex;
	if (src == 0)
		src = ifindex == 0 ? dst : n->ifs[ifindex].addr;
	id = n->ip_id++;
	if (IP_HLEN + len <= n->ifs[ifindex].mtu)
		return ip_send_piece(n, ifindex, nexthop, src, dst, proto, id,
		    df ? IP_DF : 0, payload, len);
	if (df)
		return -NET_EMSGSIZE;
	chunk = (size_t)(n->ifs[ifindex].mtu - IP_HLEN) & ~(size_t)7;
	for (off = 0; off < len; off += chunk) {
		size_t piece = MIN(chunk, len - off);
		uint16_t frag = (uint16_t)(off / 8);

		if (off + piece < len)
			frag |= IP_MF;
		err = ip_send_piece(n, ifindex, nexthop, src, dst, proto, id,
		    frag, payload + off, piece);
		if (err < 0)
			return err;
		n->stats.ip_frag_out++;
	}
	return 0;
}
