/*
 * One of several disk clients running at once (blkcli0, blkcli1, ...), so
 * that the virtio-blk driver has requests from different clients in flight
 * together. Client k writes its own region (pattern.h, tag 2 + k) in 64 KiB
 * transfers, reads each back and compares, reads untouched sectors too, and
 * reports to the supervisor (t_blk): type 1, q[0] errors, q[1] transfers.
 * Before the first transfer it waits for the supervisor's go (type 2), so
 * that every client's requests reach the driver together.
 */
#include "../test.h"
#include "../t_blk/pattern.h"
#include <blockdev.h>
#include <blktest.h>

#define XFER	(64 * 1024)
#define ROUNDS	4

static uint8_t wbuf[XFER] __attribute__((aligned(4096)));
static uint8_t rbuf[XFER] __attribute__((aligned(4096)));
static uint8_t want[BLK_SECTOR];
static struct grant grants[2];
static struct contract_monitor mon;
static endpoint_t drv;
static long errors, transfers;

static void xfer(int write, uint64_t sector, int grant)
{
	struct blockdev_msg r;
	int e = write ? blockdev_call_Write(&mon, drv, sector * BLK_SECTOR, grant, XFER, 0, &r)
		      : blockdev_call_Read(&mon, drv, sector * BLK_SECTOR, grant, XFER, 0, &r);

	transfers++;
	if (e < 0 || r.type != BLOCKDEV_DONE || r.u.Done.status != XFER) {
		printf("# blkcli: %s at sector %lu failed: %d/%ld\n", write ? "write" : "read",
		    sector, e, e < 0 ? 0 : r.type == BLOCKDEV_DONE ? (long)r.u.Done.status : r.u.Failed.error);
		errors++;
	}
}

static void verify(uint64_t sector, uint32_t tag)
{
	uint32_t i;

	for (i = 0; i < XFER / BLK_SECTOR; i++) {
		blk_fill(want, sector + i, tag);
		if (memcmp(rbuf + i * BLK_SECTOR, want, BLK_SECTOR)) {
			printf("# blkcli: sector %lu holds wrong data\n", sector + i);
			errors++;
			return;
		}
	}
}

int main(endpoint_t self, const char *name)
{
	int k = name[6] - '0', round, part;
	uint64_t first = BLK_CLI_FIRST(k), s;
	struct blockdev_msg r;
	struct contract_monitor sup_mon;
	struct blktest_msg b;
	endpoint_t sup = lookup_endpoint("blktest");
	uint32_t i;

	(void)self;
	drv = lookup_endpoint("virtio-blk");
	blockdev_monitor_init(&mon, CONTRACT_CLIENT);
	blktest_monitor_init(&sup_mon, CONTRACT_CLIENT);
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ, drv, (uint64_t)wbuf, XFER, 0 };
	grants[1] = (struct grant){ GRANT_VALID | GRANT_WRITE, drv, (uint64_t)rbuf, XFER, 0 };
	if (sys_setgrant(grants, 2) < 0 || blockdev_call_Open(&mon, drv, 0, 3, &r) < 0 ||
	    r.type != BLOCKDEV_OPENED) {
		errors++;
	} else {
		/* Wait for the supervisor's go, so all clients start together. */
		blktest_call_Ready(&sup_mon, sup, &b);
		for (round = 0; round < ROUNDS; round++)
			for (part = 0; part < (int)(BLK_CLI_COUNT * BLK_SECTOR / XFER); part++) {
				s = first + (uint64_t)part * (XFER / BLK_SECTOR);
				for (i = 0; i < XFER / BLK_SECTOR; i++)
					blk_fill(wbuf + i * BLK_SECTOR, s + i, 2 + (uint32_t)k);
				xfer(1, s, 0);
				memset(rbuf, 0, XFER);
				xfer(0, s, 1);
				verify(s, 2 + (uint32_t)k);
				s = 5000 + 64 * (uint64_t)(round * BLK_CLIENTS + k);	/* untouched area */
				xfer(0, s, 1);
				verify(s, 0);
			}
		blockdev_call_Close(&mon, drv, 0, &r);
	}
	blktest_call_Report(&sup_mon, sup, (uint64_t)errors, (uint64_t)transfers, &b);
	return 0;
}
