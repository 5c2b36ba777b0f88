/* ChaCha20 from RFC 8439, and a fast-key-erasure generator on it. */
#include "chacha20.h"

#define ROTL(v, n)	(((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d) do { \
	a += b; d ^= a; d = ROTL(d, 16); \
	c += d; b ^= c; b = ROTL(b, 12); \
	a += b; d ^= a; d = ROTL(d, 8); \
	c += d; b ^= c; b = ROTL(b, 7); \
} while (0)

void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
    uint8_t out[64])
{
	uint32_t s[16], x[16];
	int i;

	s[0] = 0x61707865;	/* "expand 32-byte k" */
	s[1] = 0x3320646e;
	s[2] = 0x79622d32;
	s[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		s[4 + i] = key[i];
	s[12] = counter;
	s[13] = nonce[0];
	s[14] = nonce[1];
	s[15] = nonce[2];
	for (i = 0; i < 16; i++)
		x[i] = s[i];
	for (i = 0; i < 10; i++) {	/* 20 rounds: column then diagonal */
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++) {
		uint32_t v = x[i] + s[i];
		out[4 * i] = (uint8_t)v;	/* little-endian serialization */
		out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16);
		out[4 * i + 3] = (uint8_t)(v >> 24);
	}
}

static uint32_t key[8], nonce[3];

static void load_key(const uint8_t b[32])
{
	int i;

	for (i = 0; i < 8; i++)
		key[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
		    (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
}

/* Entropy in: XORed into the key, then the key replaced by keystream. */
void csprng_mix(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t blk[64];
	size_t i;

	for (i = 0; i < len; i++)
		key[(i / 4) % 8] ^= (uint32_t)p[i] << (8 * (i % 4));
	nonce[2]++;
	chacha20_block(key, 0, nonce, blk);
	load_key(blk);
	for (i = 0; i < sizeof(blk); i++)
		((volatile uint8_t *)blk)[i] = 0;
}

/* Output: blocks 1.. of the current key; then block 0 becomes the key. */
void csprng_read(uint8_t *out, size_t len)
{
	uint8_t blk[64];
	uint32_t ctr = 1;
	size_t i, n;

	while (len) {
		chacha20_block(key, ctr++, nonce, blk);
		n = len < sizeof(blk) ? len : sizeof(blk);
		for (i = 0; i < n; i++)
			out[i] = blk[i];
		out += n;
		len -= n;
	}
	chacha20_block(key, 0, nonce, blk);
	load_key(blk);
	for (i = 0; i < sizeof(blk); i++)
		((volatile uint8_t *)blk)[i] = 0;
}
