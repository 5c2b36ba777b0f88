/*
 * dhcp.c - a DHCP client (RFC 2131): DISCOVER, OFFER, REQUEST, ACK, and
 * renewal at half the lease. It speaks from 0.0.0.0:68 to the limited
 * broadcast with the broadcast flag set, so the server's answers reach
 * an interface that has no address yet. Every option is bounds-checked;
 * a reply for another transaction or another MAC is ignored.
 */
#include "net_priv.h"

enum { DHCP_OFF, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND };

#define BOOTP_LEN	236
#define DHCP_MAGIC	0x63825363u
#define DHCPDISCOVER	1
#define DHCPOFFER	2
#define DHCPREQUEST	3
#define DHCPACK		5
#define DHCPNAK		6

static void
dhcp_send(struct net *n, int ifindex, uint8_t type)
{
	struct net_if *ifp = &n->ifs[ifindex];
	struct net_dhcp *d = &ifp->dhcp;
	uint8_t m[BOOTP_LEN + 64];
	uint8_t *o;

	memset(m, 0, sizeof(m));
	m[0] = 1;		/* BOOTREQUEST */
	m[1] = 1;		/* Ethernet */
	m[2] = 6;
	put32(m + 4, d->xid);
	put16(m + 10, 0x8000);	/* broadcast the reply: we have no address */
	memcpy(m + 28, ifp->mac, 6);
	put32(m + BOOTP_LEN, DHCP_MAGIC);
	o = m + BOOTP_LEN + 4;
	*o++ = 53;
	*o++ = 1;
	*o++ = type;
	if (type == DHCPREQUEST) {
		*o++ = 50;	/* requested address */
		*o++ = 4;
		put32(o, d->offered);
		o += 4;
		*o++ = 54;	/* the server we chose */
		*o++ = 4;
		put32(o, d->server);
		o += 4;
	}
	*o++ = 55;		/* we want: mask, router, DNS, lease */
	*o++ = 3;
	*o++ = 1;
	*o++ = 3;
	*o++ = 6;
	*o++ = 255;
	(void)udp_send(n, 0, 68, IP_BROADCAST, 67, m, (size_t)(o - m));
}

int
net_dhcp_start(struct net *n, int ifindex)
{
	struct net_dhcp *d;

	if (ifindex <= 0 || ifindex >= NET_MAX_IFS || !n->ifs[ifindex].used)
		return -NET_EINVAL;
	d = &n->ifs[ifindex].dhcp;
	memset(d, 0, sizeof(*d));
	d->state = DHCP_SELECTING;
	d->xid = net_random(n);
	d->deadline = n->now + 4000;
	dhcp_send(n, ifindex, DHCPDISCOVER);
	return 0;
}

bool
net_dhcp_bound(const struct net *n, int ifindex)
{
	if (ifindex <= 0 || ifindex >= NET_MAX_IFS)
		return false;
	return n->ifs[ifindex].dhcp.state == DHCP_BOUND;
}

uint32_t
net_dhcp_dns(const struct net *n, int ifindex)
{
	if (ifindex <= 0 || ifindex >= NET_MAX_IFS)
		return 0;
	return n->ifs[ifindex].dhcp.dns;
}

struct dhcp_opts {
	uint8_t type;
	uint32_t server, mask, router, dns, lease;
};

static bool
parse_opts(const uint8_t *o, size_t len, struct dhcp_opts *r)
{
	size_t i = 0;

	memset(r, 0, sizeof(*r));
	while (i < len) {
		uint8_t code = o[i], l;

		if (code == 255)
			break;
		if (code == 0) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return false;
		l = o[i + 1];
		if (i + 2 + l > len)
			return false;
		if (code == 53 && l == 1)
			r->type = o[i + 2];
		else if (l >= 4 && code == 54)
			r->server = get32(o + i + 2);
		else if (l >= 4 && code == 1)
			r->mask = get32(o + i + 2);
		else if (l >= 4 && code == 3)
			r->router = get32(o + i + 2);
		else if (l >= 4 && code == 6)
			r->dns = get32(o + i + 2);
		else if (l >= 4 && code == 51)
			r->lease = get32(o + i + 2);
		i += 2u + l;
	}
	return r->type != 0;
}

bool
dhcp_input(struct net *n, const struct ip_info *ii, uint16_t dport,
    const uint8_t *m, size_t len)
{
	struct net_if *ifp;
	struct net_dhcp *d;
	struct dhcp_opts o;
	uint32_t yiaddr;

	if (dport != 68 || ii->ifindex <= 0)
		return false;
	ifp = &n->ifs[ii->ifindex];
	d = &ifp->dhcp;
	if (d->state == DHCP_OFF)
		return false;
	if (len < BOOTP_LEN + 4 || m[0] != 2 || get32(m + 4) != d->xid ||
	    memcmp(m + 28, ifp->mac, 6) != 0 ||
	    get32(m + BOOTP_LEN) != DHCP_MAGIC)
		return true;
	if (!parse_opts(m + BOOTP_LEN + 4, len - BOOTP_LEN - 4, &o))
		return true;
	yiaddr = get32(m + 16);
	if (o.type == DHCPOFFER && d->state == DHCP_SELECTING) {
		if (yiaddr == 0 || yiaddr == IP_BROADCAST || o.server == 0)
			return true;
		d->offered = yiaddr;
		d->server = o.server;
		d->state = DHCP_REQUESTING;
		d->tries = 0;
		d->deadline = n->now + 4000;
		dhcp_send(n, ii->ifindex, DHCPREQUEST);
	} else if (o.type == DHCPACK && d->state == DHCP_REQUESTING &&
	    yiaddr == d->offered) {
		d->mask = o.mask != 0 ? o.mask : 0xffffff00u;
		d->router = o.router;
		d->dns = o.dns;
		d->lease = o.lease != 0 ? o.lease : 3600;
		d->state = DHCP_BOUND;
		d->bound_at = n->now;
		/* Renew at T1 = half the lease (RFC 2131 4.4.5). */
		d->deadline = n->now + (uint64_t)d->lease * 500;
		ifp->addr = yiaddr;
		ifp->mask = d->mask;
		ifp->gateway = d->router;
	} else if (o.type == DHCPNAK && d->state == DHCP_REQUESTING) {
		(void)net_dhcp_start(n, ii->ifindex);
	}
	return true;
}

void
dhcp_tick(struct net *n)
{
	int i;

	for (i = 1; i < NET_MAX_IFS; i++) {
		struct net_dhcp *d = &n->ifs[i].dhcp;

		if (!n->ifs[i].used || d->state == DHCP_OFF ||
		    n->now < d->deadline)
			continue;
		switch (d->state) {
		case DHCP_SELECTING:
			d->tries++;
			d->deadline = n->now + MIN(4000u << MIN(d->tries, 4),
			    64000u);
			dhcp_send(n, i, DHCPDISCOVER);
			break;
		case DHCP_REQUESTING:
			if (++d->tries > 4) {
				(void)net_dhcp_start(n, i);
				break;
			}
			d->deadline = n->now + 4000;
			dhcp_send(n, i, DHCPREQUEST);
			break;
		case DHCP_BOUND:
			/* Keep the address while asking to extend it. */
			d->state = DHCP_REQUESTING;
			d->tries = 0;
			d->deadline = n->now + 4000;
			dhcp_send(n, i, DHCPREQUEST);
			break;
		default:
			break;
		}
	}
}
