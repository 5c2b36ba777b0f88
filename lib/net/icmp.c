/*
 * icmp.c - ICMP (RFC 792): we answer echo requests, send port unreachable
 * for UDP to closed ports, hand echo replies to ping sockets (Linux's
 * SOCK_DGRAM/IPPROTO_ICMP, the id is the socket's "port") and turn a
 * port unreachable into ECONNREFUSED on the connected UDP socket it names.
 */
#include "net_priv.h"

#define ICMP_ECHOREPLY	0
#define ICMP_UNREACH	3
#define ICMP_ECHO	8
#define ICMP_UNREACH_PORT	3

static void
icmp_error_input(struct net *n, const uint8_t *pl, size_t len)
{
	const uint8_t *ip = pl + ICMP_HLEN;
	size_t hlen;
	uint32_t dst;
	uint16_t sport, dport;
	int i;

	/* The quoted datagram: its header and at least 8 bytes of UDP. */
	if (len < ICMP_HLEN + IP_HLEN + 8 || pl[0] != ICMP_UNREACH ||
	    pl[1] != ICMP_UNREACH_PORT)
		return;
	hlen = (size_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || hlen < IP_HLEN ||
	    len < ICMP_HLEN + hlen + 8 || ip[9] != NET_IPPROTO_UDP)
		return;
	dst = get32(ip + 16);
	sport = get16(ip + hlen);
	dport = get16(ip + hlen + 2);
	for (i = 0; i < NET_SOCKETS; i++) {
		struct net_sock *s = &n->socks[i];

		if (s->used && s->type == NET_SOCK_DGRAM &&
		    s->proto == NET_IPPROTO_UDP &&
		    (s->flags & SF_CONNECTED) && s->lport == sport &&
		    s->rport == dport && s->raddr == dst) {
			s->so_error = NET_ECONNREFUSED;
			net_wake(n, i);
		}
	}
}

void
icmp_input(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len)
{
	uint8_t *out = n->scratch;
	int i;

	n->stats.icmp_in++;
	if (len < ICMP_HLEN || cksum_fold(cksum_add(0, pl, len)) != 0) {
		n->stats.icmp_drop++;
		return;
	}
	switch (pl[0]) {
	case ICMP_ECHO:
		/* Never answer a broadcast ping: a smurf amplifier we are not. */
		if (ii->broadcast)
			return;
		memcpy(out, pl, len);
		out[0] = ICMP_ECHOREPLY;
		put16(out + 2, 0);
		put16(out + 2, cksum_fold(cksum_add(0, out, len)));
		if (ip_output(n, ii->dst, ii->src, NET_IPPROTO_ICMP, false, out,
		    len) == 0)
			n->stats.icmp_echo_reply_out++;
		break;
	case ICMP_ECHOREPLY:
		for (i = 0; i < NET_SOCKETS; i++) {
			struct net_sock *s = &n->socks[i];

			if (s->used && s->proto == NET_IPPROTO_ICMP &&
			    (s->flags & SF_BOUND) && s->lport == get16(pl + 4)) {
				if (dgram_enqueue(s, ii->src, 0, pl, len) == 0)
					net_wake(n, i);
				break;
			}
		}
		break;
	case ICMP_UNREACH:
		icmp_error_input(n, pl, len);
		break;
	default:
		break;
	}
}

/* Quote the offending header and 8 bytes of its payload (RFC 792). */
void
icmp_send_unreach(struct net *n, const struct ip_info *ii, uint8_t code,
    const uint8_t *pl, size_t len)
{
	uint8_t *out = n->scratch;
	size_t quote = MIN(len, 8);

	/* Never about broadcasts, nor in reply to an ICMP error. */
	if (ii->broadcast || ii->proto == NET_IPPROTO_ICMP)
		return;
	out[0] = ICMP_UNREACH;
	out[1] = code;
	put16(out + 2, 0);
	put32(out + 4, 0);
	memcpy(out + ICMP_HLEN, ii->hdr, ii->hdrlen);
	memcpy(out + ICMP_HLEN + ii->hdrlen, pl, quote);
	put16(out + 2, cksum_fold(cksum_add(0, out,
	    ICMP_HLEN + ii->hdrlen + quote)));
	if (ip_output(n, ii->dst, ii->src, NET_IPPROTO_ICMP, false, out,
	    ICMP_HLEN + ii->hdrlen + quote) == 0)
		n->stats.icmp_unreach_out++;
}
