/*
 * The test disk's contents, shared by the guest tests (t_blk, t_blkcli) and
 * the host tool that makes and checks the disk (host/blkdisk.c). Every
 * sector is filled from its number and a tag, so a sector read from the
 * wrong place, or written with the wrong data, shows.
 *
 *   tag 0            every sector as built on the host
 *   tag 1            sectors BLK_W_FIRST.. (BLK_W_COUNT), written by t_blk
 *   tag 2 + k        client k's region (t_blkcli, k = 0..BLK_CLIENTS-1)
 */
#ifndef T_BLK_PATTERN_H
#define T_BLK_PATTERN_H

#include <stdint.h>

#define BLK_SECTOR	512
#define BLK_SECTORS	8192u		/* a 4 MiB disk */
#define BLK_W_FIRST	1000u
#define BLK_W_COUNT	16u
#define BLK_CLIENTS	9
#define BLK_CLI_FIRST(k) (2048u + 256u * (uint32_t)(k))
#define BLK_CLI_COUNT	256u		/* 128 KiB: two full driver slots */

static inline void blk_fill(uint8_t *buf, uint64_t sector, uint32_t tag)
{
	uint32_t x = (uint32_t)sector * 2654435761u ^ (tag + 1) * 0x9E3779B9u;
	int i;

	for (i = 0; i < BLK_SECTOR; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;	/* xorshift32 */
		buf[i] = (uint8_t)x;
	}
}

/* The tag sector s should hold once every test has written. */
static inline uint32_t blk_final_tag(uint64_t s)
{
	int k;

	if (s >= BLK_W_FIRST && s < BLK_W_FIRST + BLK_W_COUNT)
		return 1;
	for (k = 0; k < BLK_CLIENTS; k++)
		if (s >= BLK_CLI_FIRST(k) && s < BLK_CLI_FIRST(k) + BLK_CLI_COUNT)
			return 2 + (uint32_t)k;
	return 0;
}

#endif
