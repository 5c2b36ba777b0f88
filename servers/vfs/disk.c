/*
 * Block special files: VFS reads and writes them through their block
 * drivers (contracts/blockdev.contract), as a client beside the file
 * server. The devices, by Linux number:
 *
 *   254:0  /dev/vda   virtio-blk's minor 0, the disk the root file system
 *                     is on. Read only: the disk belongs to the file
 *                     server, which caches and writes its blocks; a write
 *                     around it would corrupt the file system under it,
 *                     so an open for writing fails with EROFS and VFS
 *                     opens the driver for reading only (the driver
 *                     refuses writes on that open itself).
 *     1:0  /dev/ram0  the memory driver's RAM disk, read and write.
 *
 * The driver copies each piece, at most 64 KiB, into or out of `buf`
 * under a one-entry grant that is valid only while the request is in
 * flight, and VFS copies it on to or from the user. Offsets and lengths
 * need not be whole sectors: a piece covers the sectors around the bytes
 * asked for, and a write that covers a sector only in part reads the
 * piece first. No caching: every read and write reaches the driver. A
 * driver that died is looked up again (RS's new copy) and reopened.
 */
#include "vfs.h"
#include <blockdev.h>

#define SECTOR		512u
#define PIECE		(64u * 1024)	/* virtio-blk's largest transfer */

static struct blkdev {
	uint32_t major, minor;	/* the special file's numbers */
	const char *driver;	/* its driver's service name */
	int writable;
	endpoint_t ep;		/* < 0: no such driver in the image */
	int open;		/* its minor 0 is open on ep */
	uint64_t bytes;
} blkdevs[] = {
	{ DISK_MAJOR, 0, "virtio-blk", 0, -1, 0, 0 },
	{ 1, 0, "memory", 1, -1, 0, 0 },
};
#define NBLKDEV	(sizeof(blkdevs) / sizeof(blkdevs[0]))

static struct contract_monitor disk_mon;
static uint8_t buf[PIECE] __attribute__((aligned(4096)));

/* Called once at start. Without a device's driver in the image (or
 * without VFS's grant table, vfs_grants) opening the device fails with
 * ENXIO. */
void disk_init(void)
{
	size_t i;

	blockdev_monitor_init(&disk_mon, CONTRACT_CLIENT);
	for (i = 0; i < NBLKDEV; i++)
		blkdevs[i].ep = vfs_granting ? lookup_endpoint(blkdevs[i].driver) : -1;
}

/* The device of rdev (major << 8 | minor, minors below 256), or NULL. */
static struct blkdev *blkdev_of(uint32_t rdev)
{
	size_t i;

	for (i = 0; i < NBLKDEV; i++)
		if (rdev == (blkdevs[i].major << 8 | blkdevs[i].minor) && blkdevs[i].ep >= 0)
			return &blkdevs[i];
	return NULL;
}

int disk_present(uint32_t rdev)
{
	return blkdev_of(rdev) != NULL;
}

static int driver_gone(int e)
{
	return e == -EDEADSRCDST || e == -ESRCH;
}

/* Open minor 0 on the driver, once (and again after RS has restarted it:
 * the new process knows nothing of our open). */
static int open_dev(struct blkdev *d)
{
	struct blockdev_msg r;
	long ep;
	int e;

	if (d->open)
		return 0;
	if ((ep = lookup_endpoint(d->driver)) < 0)
		return -ENXIO;
	if (ep != d->ep)
		contract_forget(&disk_mon, d->ep);
	d->ep = (endpoint_t)ep;
	if ((e = blockdev_call_Open(&disk_mon, d->ep, 0, d->writable ? 3 : 1, &r)) < 0)
		return driver_gone(e) ? -EIO : e;
	if (r.type == BLOCKDEV_FAILED)
		return r.u.Failed.error;
	d->bytes = r.u.Opened.size - r.u.Opened.size % SECTOR;
	d->open = 1;
	return 0;
}

/* The device's size in bytes (for lseek SEEK_END), or -errno. */
int64_t disk_size(uint32_t rdev)
{
	struct blkdev *d = blkdev_of(rdev);
	int e;

	if (!d)
		return -ENXIO;
	if ((e = open_dev(d)) < 0)
		return e;
	return (int64_t)d->bytes;
}

/* An open of a block device with the access mode of open(2). */
int disk_open_check(uint32_t rdev, int accmode)
{
	struct blkdev *d = blkdev_of(rdev);

	if (!d)
		return -ENXIO;
	if (accmode != O_RDONLY && !d->writable)
		return -EROFS;
	return open_dev(d);
}

/* Move sectors [at, at + len) between the device and buf: bytes moved
 * (whole sectors, > 0) or -errno. A driver that died is looked up and
 * reopened once. */
static long move_piece(struct blkdev *d, int write, uint64_t at, uint32_t len)
{
	struct blockdev_msg r;
	int e, tries;

	for (tries = 0; tries < 2; tries++) {
		if ((e = open_dev(d)) < 0)
			return e;
		vfs_grants[GRANT_DISK] = (struct grant){ GRANT_VALID | (write ? GRANT_READ : GRANT_WRITE),
			d->ep, (uint64_t)buf, len, 0 };
		if (write)
			e = blockdev_call_Write(&disk_mon, d->ep, at, GRANT_DISK, len, 0, &r);
		else
			e = blockdev_call_Read(&disk_mon, d->ep, at, GRANT_DISK, len, 0, &r);
		vfs_grants[GRANT_DISK].flags = 0;
		if (driver_gone(e)) {
			d->open = 0;
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

/* read(2) and write(2) on a block device: len bytes at *off, to or from
 * ep's memory at addr. */
long disk_io(uint32_t rdev, int write, endpoint_t ep, uint64_t addr, size_t len,
    uint64_t *off)
{
	struct blkdev *d = blkdev_of(rdev);
	size_t done = 0;
	long got = 0;
	int e;

	if (!d)
		return -ENXIO;
	if ((e = open_dev(d)) < 0)
		return e;
	if (*off >= d->bytes)
		return write && len ? -ENOSPC : 0;
	if (len > d->bytes - *off)
		len = (size_t)(d->bytes - *off);
	while (done < len) {
		uint64_t pos = *off + done;
		uint64_t first = pos - pos % SECTOR;
		uint64_t skip = pos - first;
		uint64_t want = skip + (len - done);
		size_t n;

		if (want > PIECE)
			want = PIECE;
		want = (want + SECTOR - 1) / SECTOR * SECTOR;
		if (want > d->bytes - first)
			want = d->bytes - first;
		n = (size_t)(want - skip);
		if (n > len - done)
			n = len - done;
		if (write) {
			/* a sector written only in part keeps the rest */
			if ((skip || skip + n < want) &&
			    (got = move_piece(d, 0, first, (uint32_t)want)) < 0)
				break;
			if (sys_vcopy(ep, addr + done, SELF, (uint64_t)buf + skip, n) < 0) {
				got = -EFAULT;
				break;
			}
			if ((got = move_piece(d, 1, first, (uint32_t)want)) < 0)
				break;
		} else {
			if ((got = move_piece(d, 0, first, (uint32_t)want)) < 0)
				break;
			if ((uint64_t)got < skip + n)
				n = (size_t)((uint64_t)got - skip);
			if (sys_vcopy(SELF, (uint64_t)buf + skip, ep, addr + done, n) < 0) {
				got = -EFAULT;
				break;
			}
		}
		done += n;
	}
	*off += done;
	return done ? (long)done : got;
}
