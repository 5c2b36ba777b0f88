/*
 * cksum.c - the Internet checksum (RFC 1071), one's complement sum of
 * 16-bit big-endian words. Callers add pieces with cksum_add (each piece
 * except the last must have even length) and fold at the end.
 */
#include "net_priv.h"

uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;

	while (len >= 2) {
		acc += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		acc += (uint32_t)p[0] << 8;
	/* Fold now so that sums of many pieces cannot overflow 32 bits. */
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

uint16_t
cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The TCP/UDP pseudo header: source, destination, protocol, length. */
uint32_t
cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
	uint32_t sum = 0;

	sum += src >> 16;
	sum += src & 0xffff;
	sum += dst >> 16;
	sum += dst & 0xffff;
	sum += proto;
	sum += (uint32_t)len;
	return sum;
}
