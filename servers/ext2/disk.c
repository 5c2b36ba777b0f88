/*
 * The file server's disk: minor 0 of a block driver (virtio-blk), spoken
 * to over contracts/blockdev.contract. lib/ext2's block cache sits in
 * front of this; these functions are what it calls on a miss, and on a
 * write-back (sync, close, eviction: main.c).
 *
 * Data never travels in messages: for each transfer the one entry of our
 * grant table is pointed at the caller's buffer, for the driver only and
 * in one direction, and revoked when the driver has answered, so between
 * transfers the driver can touch none of our memory.
 *
 * Reads go through a read-ahead window: a miss reads RA_BYTES from that
 * sector on, so reading a file block by block (lib/ext2 asks for one block
 * at a time) costs one round trip per window instead of one per block.
 * Writes go to the disk at once and into the window where they overlap
 * it, so the window never holds older data than the disk.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <blockdev.h>
#include "fs.h"

#define SECTOR		512u
#define RA_BYTES	(64u * 1024)	/* virtio-blk's largest transfer */

static struct contract_monitor mon;
static endpoint_t drv;
static uint64_t disk_sectors;
static struct grant grants[1];		/* rewritten for every transfer */
static uint8_t window[RA_BYTES] __attribute__((aligned(4096)));
static uint64_t win_first;		/* first sector in the window */
static uint32_t win_count;		/* sectors in it; 0: empty */

/* Move count sectors at sector between the disk and buf: 0 or -errno.
 * The driver may move less than asked (contract); ask again for the rest. */
static int transfer(int write, uint64_t sector, uint32_t count, void *buf)
{
	uint64_t done = 0, len = (uint64_t)count * SECTOR;
	struct blockdev_msg r;
	int e;

	while (done < len) {
		uint32_t n = (uint32_t)(len - done);
		grants[0] = (struct grant){ GRANT_VALID | (write ? GRANT_READ : GRANT_WRITE),
			drv, (uint64_t)buf + done, n, 0 };
		if (write)
			e = blockdev_call_Write(&mon, drv, sector * SECTOR + done, 0, n, 0, &r);
		else
			e = blockdev_call_Read(&mon, drv, sector * SECTOR + done, 0, n, 0, &r);
		grants[0].flags = 0;
		if (e < 0)
			return e;
		if (r.type == BLOCKDEV_FAILED)
			return r.u.Failed.error;
		/* The monitor checked the reply's type; a driver that moves
		 * nothing, too much or part of a sector is a broken driver. */
		if (r.u.Done.status <= 0 || (uint64_t)r.u.Done.status > n ||
		    r.u.Done.status % SECTOR)
			return -EIO;
		done += (uint64_t)r.u.Done.status;
	}
	return 0;
}

int disk_open(const char *driver, uint64_t *nsectors)
{
	struct blockdev_msg r;
	long e;

	if ((drv = lookup_endpoint(driver)) < 0)
		return drv;
	blockdev_monitor_init(&mon, CONTRACT_CLIENT);
	if ((e = sys_setgrant(grants, 1)) < 0)
		return (int)e;
	if ((e = blockdev_call_Open(&mon, drv, 0, 3, &r)) < 0)
		return (int)e;
	if (r.type == BLOCKDEV_FAILED)
		return r.u.Failed.error;
	if (r.u.Opened.sector_size != SECTOR)
		return -EINVAL;	/* lib/ext2 counts in 512-byte sectors */
	disk_sectors = *nsectors = r.u.Opened.size / SECTOR;
	return 0;
}

int disk_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	uint32_t n;
	int e;

	(void)ctx;
	if (sector > disk_sectors || count > disk_sectors - sector)
		return -EIO;
	if (count > RA_BYTES / SECTOR)
		return transfer(0, sector, count, buf);
	if (!win_count || sector < win_first || sector + count > win_first + win_count) {
		n = RA_BYTES / SECTOR;
		if (n > disk_sectors - sector)
			n = (uint32_t)(disk_sectors - sector);
		win_count = 0;
		if ((e = transfer(0, sector, n, window)) < 0)
			return e;
		win_first = sector;
		win_count = n;
	}
	memcpy(buf, window + (sector - win_first) * SECTOR, (size_t)count * SECTOR);
	return 0;
}

int disk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	uint64_t lo, hi;
	int e;

	(void)ctx;
	if (sector > disk_sectors || count > disk_sectors - sector)
		return -EIO;
	/* The grant is for reading only: the driver cannot write into buf. */
	if ((e = transfer(1, sector, count, (void *)buf)) < 0) {
		win_count = 0;	/* part of it may have reached the disk */
		return e;
	}
	lo = sector > win_first ? sector : win_first;
	hi = sector + count < win_first + win_count ? sector + count : win_first + win_count;
	if (win_count && lo < hi)
		memcpy(window + (lo - win_first) * SECTOR,
		    (const uint8_t *)buf + (lo - sector) * SECTOR, (size_t)(hi - lo) * SECTOR);
	return 0;
}
