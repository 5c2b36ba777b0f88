/*
 * The raw disk: the block special file 254:0 (Linux numbers virtio-blk
 * disks from major 254) reads the whole of virtio-blk's minor 0, the disk
 * the root file system is on, as /dev/vda does on Linux.
 *
 * Read only: the disk belongs to the file server, which caches and writes
 * its blocks; a write around it would corrupt the file system under it,
 * so an open for writing fails with EROFS and VFS opens the driver for
 * reading only (the driver refuses writes on that open itself).
 *
 * VFS speaks the block-device protocol as a second client beside ext2
 * (contracts/blockdev.contract): the driver copies each piece, at most
 * 64 KiB, into `buf` under a one-entry grant that is valid only while the
 * request is in flight, and VFS copies it on to the reader. Offsets and
 * lengths need not be whole sectors: a piece covers the sectors around
 * the bytes asked for. No caching: every read reaches the driver.
 */
#include "vfs.h"
#include <blockdev.h>

#define SECTOR		512u
#define PIECE		(64u * 1024)	/* virtio-blk's largest transfer */

static endpoint_t disk_ep = -1;
static struct contract_monitor disk_mon;
static struct grant disk_grant[1];
static uint8_t buf[PIECE] __attribute__((aligned(4096)));
static uint64_t disk_bytes;
static int disk_open;		/* minor 0 is open on disk_ep */

/* Called once at start. Without virtio-blk in the image (or without a
 * grant table) there is no raw disk: opening 254:0 fails with ENXIO. */
void disk_init(void)
{
	blockdev_monitor_init(&disk_mon, CONTRACT_CLIENT);
	if ((disk_ep = lookup_endpoint("virtio-blk")) >= 0 &&
	    sys_setgrant(disk_grant, 1) < 0)
		disk_ep = -1;
}

int disk_present(void)
{
	return disk_ep >= 0;
}

static int driver_gone(int e)
{
	return e == -EDEADSRCDST || e == -ESRCH;
}

/* Open minor 0 for reading on the driver, once (and again after RS has
 * restarted it: the new process knows nothing of our open). */
static int open_minor0(void)
{
	struct blockdev_msg r;
	long ep;
	int e;

	if (disk_open)
		return 0;
	if ((ep = lookup_endpoint("virtio-blk")) < 0)
		return -ENXIO;
	if (ep != disk_ep)
		contract_forget(&disk_mon, disk_ep);
	disk_ep = (endpoint_t)ep;
	if ((e = blockdev_call_Open(&disk_mon, disk_ep, 0, 1, &r)) < 0)
		return driver_gone(e) ? -EIO : e;
	if (r.type == BLOCKDEV_FAILED)
		return r.u.Failed.error;
	disk_bytes = r.u.Opened.size - r.u.Opened.size % SECTOR;
	disk_open = 1;
	return 0;
}

/* An open of the raw disk: reading only. */
int disk_open_check(int accmode)
{
	if (accmode != O_RDONLY)
		return -EROFS;
	return open_minor0();
}

/* Read sectors [at, at + len) into buf: bytes read (whole sectors, > 0) or
 * -errno. A driver that died is looked up and reopened once. */
static long read_piece(uint64_t at, uint32_t len)
{
	struct blockdev_msg r;
	int e, tries;

	for (tries = 0; tries < 2; tries++) {
		if ((e = open_minor0()) < 0)
			return e;
		disk_grant[0] = (struct grant){ GRANT_VALID | GRANT_WRITE, disk_ep,
			(uint64_t)buf, len, 0 };
		e = blockdev_call_Read(&disk_mon, disk_ep, at, 0, len, 0, &r);
		disk_grant[0].flags = 0;
		if (driver_gone(e)) {
			disk_open = 0;
			continue;
		}
		if (e < 0)
			return e;
		if (r.type == BLOCKDEV_FAILED)
			return r.u.Failed.error;
		if (r.u.Done.status <= 0 || (uint64_t)r.u.Done.status > len ||
		    r.u.Done.status % SECTOR)
			return -EIO;	/* a broken driver */
		return (long)r.u.Done.status;
	}
	return -EIO;
}

/* read(2) on the raw disk: len bytes at *off into ep's memory at addr. */
long disk_read(endpoint_t ep, uint64_t addr, size_t len, uint64_t *off)
{
	size_t done = 0;
	long got = 0;
	int e;

	if ((e = open_minor0()) < 0)
		return e;
	if (*off >= disk_bytes)
		return 0;
	if (len > disk_bytes - *off)
		len = (size_t)(disk_bytes - *off);
	while (done < len) {
		uint64_t pos = *off + done;
		uint64_t first = pos - pos % SECTOR;
		uint64_t skip = pos - first;
		uint64_t want = skip + (len - done);
		size_t n;

		if (want > PIECE)
			want = PIECE;
		want = (want + SECTOR - 1) / SECTOR * SECTOR;
		if (want > disk_bytes - first)
			want = disk_bytes - first;
		if ((got = read_piece(first, (uint32_t)want)) < 0)
			break;
		n = (size_t)((uint64_t)got - skip);
		if (n > len - done)
			n = len - done;
		if (sys_vcopy(SELF, (uint64_t)buf + skip, ep, addr + done, n) < 0) {
			got = -EFAULT;
			break;
		}
		done += n;
	}
	*off += done;
	return done ? (long)done : got;
}
