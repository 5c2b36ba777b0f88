/*
 * udp.c - UDP (RFC 768) and the datagram queue that UDP and ping sockets
 * share. A queued datagram is an 8-byte record header (source address,
 * source port, length) followed by its bytes, in the socket's rx ring.
 */
#include "net_priv.h"

#define DGRAM_HDR	8

int
dgram_enqueue(struct net_sock *s, uint32_t addr, uint16_t port,
    const uint8_t *data, size_t len)
{
	uint8_t h[DGRAM_HDR];

	if (len > 65535 || s->rx_len + DGRAM_HDR + len > s->rcvbuf)
		return -NET_ENOBUFS;
	put32(h, addr);
	put16(h + 4, port);
	put16(h + 6, (uint16_t)len);
	ring_put(s->rx, s->rx_start + s->rx_len, h, DGRAM_HDR);
	ring_put(s->rx, s->rx_start + s->rx_len + DGRAM_HDR, data,
	    (uint32_t)len);
	s->rx_len += DGRAM_HDR + (uint32_t)len;
	return 0;
}

/* Copy out the oldest datagram; the excess beyond len is lost (Linux). */
long
dgram_dequeue(struct net_sock *s, uint8_t *buf, size_t len, bool peek,
    uint32_t *addr, uint16_t *port)
{
	uint8_t h[DGRAM_HDR];
	uint32_t dlen;

	if (s->rx_len == 0)
		return -NET_EAGAIN;
	ring_get(s->rx, s->rx_start, h, DGRAM_HDR);
	dlen = get16(h + 6);
	*addr = get32(h);
	*port = get16(h + 4);
	ring_get(s->rx, s->rx_start + DGRAM_HDR, buf,
	    (uint32_t)MIN(len, dlen));
	if (!peek) {
		s->rx_start = (s->rx_start + DGRAM_HDR + dlen) % NET_SOCK_BUF;
		s->rx_len -= DGRAM_HDR + dlen;
	}
	return (long)MIN(len, dlen);
}

static int
udp_lookup(struct net *n, const struct ip_info *ii, uint16_t sport,
    uint16_t dport)
{
	int i, wild = -1;

	for (i = 0; i < NET_SOCKETS; i++) {
		struct net_sock *s = &n->socks[i];

		if (!s->used || s->proto != NET_IPPROTO_UDP ||
		    !(s->flags & SF_BOUND) || s->lport != dport)
			continue;
		if (s->laddr != 0 && s->laddr != ii->dst && !ii->broadcast)
			continue;
		if (s->flags & SF_CONNECTED) {
			if (s->raddr == ii->src && s->rport == sport)
				return i;
			continue;
		}
		if (wild < 0)
			wild = i;
	}
	return wild;
}

void
udp_input(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len)
{
	uint16_t sport, dport, ulen;
	int s;

	n->stats.udp_in++;
	if (len < UDP_HLEN) {
		n->stats.udp_drop++;
		return;
	}
	sport = get16(pl);
	dport = get16(pl + 2);
	ulen = get16(pl + 4);
	if (ulen < UDP_HLEN || ulen > len) {
		n->stats.udp_drop++;
		return;
	}
	/* Zero means the sender computed none (RFC 768); loopback skips it. */
	if (get16(pl + 6) != 0 && cksum_fold(cksum_add(cksum_pseudo(ii->src,
	    ii->dst, NET_IPPROTO_UDP, ulen), pl, ulen)) != 0) {
		n->stats.udp_bad_cksum++;
		return;
	}
	if (dhcp_input(n, ii, dport, pl + UDP_HLEN, ulen - UDP_HLEN))
		return;
	s = udp_lookup(n, ii, sport, dport);
	if (s < 0) {
		n->stats.udp_no_port++;
		icmp_send_unreach(n, ii, 3, pl, len);
		return;
	}
	if (dgram_enqueue(&n->socks[s], ii->src, sport, pl + UDP_HLEN,
	    ulen - UDP_HLEN) < 0) {
		n->stats.udp_drop++;
		return;
	}
	net_wake(n, s);
}

int
udp_send(struct net *n, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, const uint8_t *data, size_t len)
{
	uint8_t *u = n->scratch;
	uint16_t sum;

	if (len > 65535 - IP_HLEN - UDP_HLEN)
		return -NET_EMSGSIZE;
	if (src == 0)
		src = route_source(n, dst);
	put16(u, sport);
	put16(u + 2, dport);
	put16(u + 4, (uint16_t)(UDP_HLEN + len));
	put16(u + 6, 0);
	memcpy(u + UDP_HLEN, data, len);
	sum = cksum_fold(cksum_add(cksum_pseudo(src, dst, NET_IPPROTO_UDP,
	    UDP_HLEN + len), u, UDP_HLEN + len));
	put16(u + 6, sum == 0 ? 0xffff : sum);
	return ip_output(n, src, dst, NET_IPPROTO_UDP, false, u,
	    UDP_HLEN + len);
}
