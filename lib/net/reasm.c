/*
 * reasm.c - IPv4 reassembly (RFC 791, RFC 815's idea of holes as a bitmap).
 *
 * A slot holds one datagram's payload and one bit per 8-byte block
 * received. Hostile input is handled by refusing, never by trusting:
 *  - a datagram whose fragments reach beyond 65535 bytes in total (the
 *    ping of death) is dropped with every fragment already kept;
 *  - a fragment that overlaps data already received must carry the same
 *    bytes (a duplicate, harmless); different bytes (the teardrop and
 *    overlap attacks that try to rewrite a checked header) kill the
 *    datagram;
 *  - a last fragment that disagrees with the length already known, or data
 *    beyond the end, kills it too;
 *  - an incomplete datagram dies after NET_REASM_TIMEOUT; when all slots
 *    are busy the oldest is sacrificed, so a flood of first fragments
 *    cannot starve real traffic forever.
 */
#include "net_priv.h"

static bool
block_have(const struct net_reasm *r, uint32_t b)
{
	return (r->have[b / 8] >> (b % 8)) & 1;
}

static void
reasm_kill(struct net *n, struct net_reasm *r)
{
	(void)n;
	r->used = false;
}

static struct net_reasm *
reasm_slot(struct net *n, const struct ip_info *ii, uint16_t id)
{
	struct net_reasm *r, *oldest = NULL;
	int i;

	for (i = 0; i < NET_REASM_SLOTS; i++) {
		r = &n->reasm[i];
		if (r->used && r->id == id && r->src == ii->src &&
		    r->dst == ii->dst && r->proto == ii->proto)
			return r;
	}
	for (i = 0; i < NET_REASM_SLOTS; i++) {
		r = &n->reasm[i];
		if (!r->used)
			break;
		if (oldest == NULL || r->deadline < oldest->deadline)
			oldest = r;
	}
	if (i == NET_REASM_SLOTS) {
		n->stats.reasm_drop++;
		r = oldest;
	}
	r->used = true;
	r->id = id;
	r->src = ii->src;
	r->dst = ii->dst;
	r->proto = ii->proto;
	r->ifindex = (uint8_t)ii->ifindex;
	r->total = 0;
	r->hdrlen = (uint32_t)ii->hdrlen;
	r->deadline = n->now + NET_REASM_TIMEOUT;
	memset(r->have, 0, sizeof(r->have));
	return r;
}

/* Highest end of any data received so far (0 if none). */
static uint32_t
reasm_extent(const struct net_reasm *r)
{
	uint32_t b = NET_REASM_MAX / 8 + 1;

	while (b > 0 && !block_have(r, b - 1))
		b--;
	return b * 8;
}

void
reasm_input(struct net *n, const struct ip_info *ii, uint16_t id,
    uint32_t off, bool more, const uint8_t *pl, size_t len)
{
	struct net_reasm *r;
	uint32_t end = off + (uint32_t)len;
	uint32_t b, first, last, nblocks;

	/* Non-final fragments carry whole 8-byte blocks (RFC 791). */
	if (len == 0 || (more && (len % 8) != 0)) {
		n->stats.reasm_drop++;
		return;
	}
	r = reasm_slot(n, ii, id);
	if (off == 0)
		r->hdrlen = (uint32_t)ii->hdrlen;
	if (r->hdrlen + end > 65535 || end > NET_REASM_MAX) {
		n->stats.reasm_oversize++;
		reasm_kill(n, r);
		return;
	}
	if (!more) {
		if ((r->total != 0 && r->total != end) ||
		    reasm_extent(r) > ((end + 7) & ~7u)) {
			n->stats.reasm_overlap++;
			reasm_kill(n, r);
			return;
		}
		r->total = end;
	} else if (r->total != 0 && end > r->total) {
		n->stats.reasm_overlap++;
		reasm_kill(n, r);
		return;
	}
	first = off / 8;
	last = (end + 7) / 8;
	for (b = first; b < last; b++) {
		uint32_t lo, hi;

		if (!block_have(r, b))
			continue;
		lo = MAX(off, b * 8);
		hi = MIN(end, b * 8 + 8);
		if (memcmp(r->data + lo, pl + (lo - off), hi - lo) != 0) {
			n->stats.reasm_overlap++;
			reasm_kill(n, r);
			return;
		}
	}
	memcpy(r->data + off, pl, len);
	for (b = first; b < last; b++)
		r->have[b / 8] |= (uint8_t)(1u << (b % 8));
	if (r->total == 0)
		return;
	nblocks = (r->total + 7) / 8;
	for (b = 0; b < nblocks; b++)
		if (!block_have(r, b))
			return;
	n->stats.reasm_ok++;
	{
		struct ip_info whole = *ii;

		whole.src = r->src;
		whole.dst = r->dst;
		whole.proto = r->proto;
		r->used = false;	/* before delivery: it may reenter us */
		ip_deliver(n, &whole, r->data, r->total);
	}
}

void
reasm_tick(struct net *n)
{
	int i;

	for (i = 0; i < NET_REASM_SLOTS; i++) {
		if (n->reasm[i].used && n->now >= n->reasm[i].deadline) {
			n->stats.reasm_timeout++;
			reasm_kill(n, &n->reasm[i]);
		}
	}
}
