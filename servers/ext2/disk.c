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
 *
 * Recovery: the driver is a child of RS, which restarts it when it
 * crashes, exits or hangs. The restarted driver is a new process, so a
 * call to the old endpoint (or one that was waiting for its answer) fails
 * with EDEADSRCDST. Then we look the driver up again by name (RS names
 * the new process after its service), open the disk on it and reissue the
 * transfer that was in flight: a read or a write of the same sectors from
 * the same buffer is idempotent, so nothing above us sees the failure.
 *
 * A driver can also fail while it lives: its reply refused by our
 * contract monitor, an Open it refuses, a transfer of nothing or too much
 * (the fault-injection campaigns, docs/reliability.md, found all three).
 * Then we complain to RS, as MINIX's servers do: RS restarts it (`service
 * restart`, contracts/rs.contract) and we go on as after a crash. At most
 * COMPLAINTS times per failed transfer, so a driver that is broken in
 * every incarnation still ends in an error, not a loop.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <blockdev.h>
#include <rs.h>
#include "fs.h"

#define SECTOR		512u
#define RA_BYTES	(64u * 1024)	/* virtio-blk's largest transfer */

#define REOPEN_TICKS	3000	/* how long we wait for a restarted driver */
#define COMPLAINTS	3	/* restarts we ask of RS for one transfer */

static struct contract_monitor mon;
static endpoint_t drv;
static char drv_name[16];
static uint32_t recoveries;		/* driver restarts we came through */
static uint64_t disk_sectors;
static struct grant grants[1];		/* rewritten for every transfer */
static uint8_t window[RA_BYTES] __attribute__((aligned(4096)));
static uint64_t win_first;		/* first sector in the window */
static uint32_t win_count;		/* sectors in it; 0: empty */

static int driver_gone(int e)
{
	return e == -EDEADSRCDST || e == -ESRCH;
}

/* Open minor 0 on the current driver; its size must not have changed. */
static int open_disk(uint64_t *nsectors)
{
	struct blockdev_msg r;
	int e;

	if ((e = blockdev_call_Open(&mon, drv, 0, 3, &r)) < 0)
		return e;
	if (r.type == BLOCKDEV_FAILED)
		return r.u.Failed.error;
	if (r.u.Opened.sector_size != SECTOR)
		return -EINVAL;	/* lib/ext2 counts in 512-byte sectors */
	*nsectors = r.u.Opened.size / SECTOR;
	return 0;
}

/* Sleep one tick: an alarm, and a receive from CLOCK alone, so requests
 * from VFS wait in their queue until the disk is back. */
static void wait_tick(void)
{
	message_t m;

	if (sys_alarm(1) >= 0)
		(void)ipc_receive(CLOCK, &m);
}

/* A live driver broke the protocol (error e): ask RS to restart it. 0 if
 * RS did (the caller then reconnects), else e: no RS in this image, or it
 * refused. */
static int complain(int e)
{
	static struct contract_monitor rsmon;
	endpoint_t rs = lookup_endpoint("rs");
	uint8_t name[16];
	struct rs_msg m;

	if (rs < 0)
		return e;
	printf("ext2: %s (endpoint %d) broke the protocol (error %d): asking RS to restart it\n",
	    drv_name, drv, e);
	memset(name, 0, sizeof(name));
	memcpy(name, drv_name, sizeof(drv_name) < sizeof(name) ? sizeof(drv_name) : sizeof(name));
	rs_monitor_init(&rsmon, CONTRACT_CLIENT);
	if (rs_call_Restart(&rsmon, rs, name, &m) < 0 || m.type != RS_DONE)
		return e;
	return 0;
}

/*
 * The driver died (error e): wait for RS to restart it, find the new
 * endpoint by name and reopen the disk. 0, or the error to give up with
 * after REOPEN_TICKS. A new driver that refuses the Open is complained
 * about (*complaints counts down).
 */
static int reconnect(int e, int *complaints)
{
	uint64_t n;
	long ep;
	int tries;

	for (tries = 0; tries < REOPEN_TICKS; tries++) {
		ep = lookup_endpoint(drv_name);
		if (ep >= 0 && ep != drv) {
			drv = (endpoint_t)ep;
			e = open_disk(&n);
			if (!e && n != disk_sectors)
				e = -EIO;	/* another disk: never write to it */
			if (!e) {
				recoveries++;
				printf("ext2: %s restarted (endpoint %d): disk reopened, "
				    "request reissued (recovery %u)\n", drv_name, drv, recoveries);
				/* Our write-back alarm may have been taken here:
				 * give the main loop a tick of its own. */
				(void)sys_alarm(1);
				return 0;
			}
			if (e == -EPROTO && (*complaints)-- > 0 && !complain(e))
				continue;
			if (!driver_gone(e))
				return e;
		}
		wait_tick();
	}
	printf("ext2: %s did not come back (error %d)\n", drv_name, e);
	return e;
}

/* Move count sectors at sector between the disk and buf: 0 or -errno.
 * The driver may move less than asked (contract); ask again for the rest. */
static int transfer(int write, uint64_t sector, uint32_t count, void *buf)
{
	uint64_t done = 0, len = (uint64_t)count * SECTOR;
	int e, complaints = COMPLAINTS;
	struct blockdev_msg r;

	while (done < len) {
		uint32_t n = (uint32_t)(len - done);
		grants[0] = (struct grant){ GRANT_VALID | (write ? GRANT_READ : GRANT_WRITE),
			drv, (uint64_t)buf + done, n, 0 };
		if (write)
			e = blockdev_call_Write(&mon, drv, sector * SECTOR + done, 0, n, 0, &r);
		else
			e = blockdev_call_Read(&mon, drv, sector * SECTOR + done, 0, n, 0, &r);
		grants[0].flags = 0;
		if (driver_gone(e)) {
			/* The driver died with this piece in flight (or
			 * before): reissue it to its successor. */
			if ((e = reconnect(e, &complaints)) < 0)
				return e;
			continue;
		}
		/* The monitor checked the reply's type; a driver that moves
		 * nothing, too much or part of a sector is a broken driver. */
		if (!e && r.type != BLOCKDEV_FAILED && (r.u.Done.status <= 0 ||
		    (uint64_t)r.u.Done.status > n || r.u.Done.status % SECTOR))
			e = -EPROTO;
		if (e == -EPROTO && complaints-- > 0 && !complain(e)) {
			if ((e = reconnect(-EDEADSRCDST, &complaints)) < 0)
				return e;
			continue;
		}
		if (e < 0)
			return e;
		if (r.type == BLOCKDEV_FAILED)
			return r.u.Failed.error;
		done += (uint64_t)r.u.Done.status;
	}
	return 0;
}

int disk_open(const char *driver, uint64_t *nsectors)
{
	long e;

	strncpy(drv_name, driver, sizeof(drv_name) - 1);
	if ((drv = lookup_endpoint(driver)) < 0)
		return drv;
	blockdev_monitor_init(&mon, CONTRACT_CLIENT);
	if ((e = sys_setgrant(grants, 1)) < 0)
		return (int)e;
	if ((e = open_disk(nsectors)) < 0)
		return (int)e;
	disk_sectors = *nsectors;
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
