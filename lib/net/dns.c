/*
 * dns.c - the two halves of a minimal DNS stub resolver (RFC 1035): build
 * an A query, and pick the A records out of an answer. Sending it over a
 * UDP socket to the server from DHCP or /etc/resolv.conf is the caller's
 * business. The answer is hostile until proven otherwise: every read is
 * bounds-checked, and compression pointers are stepped over, never
 * followed (we need no names back), so a pointer loop cannot hang us.
 */
#include "net_priv.h"

#define DNS_HDR		12
#define DNS_TYPE_A	1
#define DNS_CLASS_IN	1

int
net_dns_query(uint8_t *buf, size_t size, uint16_t id, const char *name)
{
	size_t pos = DNS_HDR, label;
	const char *p = name;

	if (buf == NULL || name == NULL || size < DNS_HDR + 6)
		return -NET_EINVAL;
	memset(buf, 0, DNS_HDR);
	put16(buf, id);
	put16(buf + 2, 0x0100);	/* recursion desired */
	put16(buf + 4, 1);
	while (*p != '\0') {
		for (label = 0; p[label] != '\0' && p[label] != '.'; label++)
			;
		if (label == 0 || label > 63)
			return -NET_EINVAL;
		if (pos + 1 + label + 5 > size || pos + 1 + label > 255 + DNS_HDR)
			return -NET_EMSGSIZE;
		buf[pos++] = (uint8_t)label;
		memcpy(buf + pos, p, label);
		pos += label;
		p += label;
		if (*p == '.')
			p++;
	}
	if (pos == DNS_HDR)
		return -NET_EINVAL;
	buf[pos++] = 0;
	put16(buf + pos, DNS_TYPE_A);
	put16(buf + pos + 2, DNS_CLASS_IN);
	return (int)(pos + 4);
}

/* Step over a (possibly compressed) name; returns the offset after it. */
static long
skip_name(const uint8_t *msg, size_t len, size_t pos)
{
	while (pos < len) {
		uint8_t l = msg[pos];

		if (l == 0)
			return (long)pos + 1;
		if ((l & 0xc0) == 0xc0)
			return pos + 2 <= len ? (long)pos + 2 : -1;
		if (l & 0xc0)
			return -1;	/* reserved label types */
		pos += 1u + l;
	}
	return -1;
}

int
net_dns_answer(const uint8_t *msg, size_t len, uint16_t id, uint32_t *addrs,
    int max)
{
	size_t pos = DNS_HDR;
	uint16_t qd, an, i;
	int found = 0;
	long next;

	if (msg == NULL || len < DNS_HDR || get16(msg) != id ||
	    !(msg[2] & 0x80))
		return -NET_EINVAL;
	if ((msg[3] & 0x0f) != 0)
		return -NET_EHOSTUNREACH;	/* NXDOMAIN, SERVFAIL... */
	qd = get16(msg + 4);
	an = get16(msg + 6);
	for (i = 0; i < qd; i++) {
		next = skip_name(msg, len, pos);
		if (next < 0 || (size_t)next + 4 > len)
			return -NET_EINVAL;
		pos = (size_t)next + 4;
	}
	for (i = 0; i < an; i++) {
		uint16_t type, class, rdlen;

		next = skip_name(msg, len, pos);
		if (next < 0 || (size_t)next + 10 > len)
			return -NET_EINVAL;
		pos = (size_t)next;
		type = get16(msg + pos);
		class = get16(msg + pos + 2);
		rdlen = get16(msg + pos + 8);
		pos += 10;
		if (pos + rdlen > len)
			return -NET_EINVAL;
		if (type == DNS_TYPE_A && class == DNS_CLASS_IN && rdlen == 4 &&
		    found < max)
			addrs[found++] = get32(msg + pos);
		pos += rdlen;
	}
	return found;
}
