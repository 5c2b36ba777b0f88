/*
 * The disk through the virtio-blk driver, as a file server would use it
 * (contracts/blockdev.contract): reads checked against the disk image the
 * host built (pattern.h), writes read back (and checked on the host after
 * the run by host/blkdisk), transfers longer than the driver's slots, the
 * end of the disk, bad grants, and nine clients (t_blkcli, one more than the driver has slots) with
 * requests in flight at once. Then the PCI driver's refusals for a
 * requester whose manifest does not name the device. The driver's own
 * refusals are probed inside the driver (t_blkdrv).
 */
#include "../test.h"
#include "pattern.h"
#include "../../../lib/driver/blockdriver.h"
#include <pci.h>
#include <blktest.h>

#define BUF_BYTES	(128 * 1024)

static uint8_t buf[BUF_BYTES] __attribute__((aligned(4096)));
static uint8_t want[BLK_SECTOR];
static struct grant grants[4];
static struct contract_monitor mon;
static endpoint_t drv;

enum { G_OTHER, G_DRV, G_DRV_READONLY, G_STATS };

/* One request: Done's byte count, or Failed's negative error. */
static long xfer(int write, uint64_t offset, int grant, uint32_t len)
{
	struct blockdev_msg r;
	int e = write ? blockdev_call_Write(&mon, drv, offset, grant, len, 0, &r)
		      : blockdev_call_Read(&mon, drv, offset, grant, len, 0, &r);

	if (e < 0)
		return e;
	return r.type == BLOCKDEV_DONE ? (long)r.u.Done.status : r.u.Failed.error;
}

/* How many of the n sectors at p differ from sectors first.. under tag. */
static int bad_at(const uint8_t *p, uint64_t first, uint32_t n, uint32_t tag)
{
	uint32_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		blk_fill(want, first + i, tag);
		bad += memcmp(p + i * BLK_SECTOR, want, BLK_SECTOR) != 0;
	}
	return bad;
}

static int count_bad(uint64_t first, uint32_t n, uint32_t tag)
{
	return bad_at(buf, first, n, tag);
}

static int open_disk(void)
{
	struct blockdev_msg r;
	int e;

	e = blockdev_call_Open(&mon, drv, 0, 3, &r);
	if (e < 0 || r.type != BLOCKDEV_OPENED) {
		check("blk_open_disk (is a disk attached? tests/system/blk.disk)", 0,
		    e < 0 ? e : r.u.Failed.error);
		return -1;
	}
	CHECK_EQ("blk_open_reports_disk_size", r.u.Opened.size, (uint64_t)BLK_SECTORS * BLK_SECTOR);
	CHECK_EQ("blk_open_reports_sector_size", r.u.Opened.sector_size, BLK_SECTOR);
	return 0;
}

static void test_read_write(void)
{
	uint32_t i;
	long n;

	CHECK_EQ("blk_read_first_sectors", xfer(0, 0, G_DRV, 4096), 4096);
	CHECK_EQ("blk_read_first_sectors_match_host_image", count_bad(0, 8, 0), 0);
	CHECK_EQ("blk_read_64k", xfer(0, 100 * BLK_SECTOR, G_DRV, 65536), 65536);
	CHECK_EQ("blk_read_64k_matches_host_image", count_bad(100, 128, 0), 0);
	n = xfer(0, 300 * BLK_SECTOR, G_DRV, BUF_BYTES);
	check("blk_read_128k_moves_some_whole_sectors", n > 0 && n <= BUF_BYTES && n % BLK_SECTOR == 0, n);
	CHECK_EQ("blk_read_128k_data_matches", count_bad(300, n > 0 ? (uint32_t)n / BLK_SECTOR : 0, 0), 0);
	n = xfer(0, (BLK_SECTORS - 2) * BLK_SECTOR, G_DRV, 4096);
	CHECK_EQ("blk_read_across_end_is_short", n, 1024);
	CHECK_EQ("blk_read_across_end_data_matches", count_bad(BLK_SECTORS - 2, 2, 0), 0);

	for (i = 0; i < BLK_W_COUNT; i++)
		blk_fill(buf + i * BLK_SECTOR, BLK_W_FIRST + i, 1);
	CHECK_EQ("blk_write_sectors", xfer(1, BLK_W_FIRST * BLK_SECTOR, G_DRV, BLK_W_COUNT * BLK_SECTOR),
	    BLK_W_COUNT * BLK_SECTOR);
	memset(buf, 0, BUF_BYTES);
	CHECK_EQ("blk_read_back_written", xfer(0, (BLK_W_FIRST - 1) * BLK_SECTOR, G_DRV,
	    (BLK_W_COUNT + 2) * BLK_SECTOR), (BLK_W_COUNT + 2) * BLK_SECTOR);
	CHECK_EQ("blk_read_back_matches_written", bad_at(buf + BLK_SECTOR, BLK_W_FIRST, BLK_W_COUNT, 1), 0);
	CHECK_EQ("blk_write_left_neighbours_untouched", bad_at(buf, BLK_W_FIRST - 1, 1, 0) +
	    bad_at(buf + (BLK_W_COUNT + 1) * BLK_SECTOR, BLK_W_FIRST + BLK_W_COUNT, 1, 0), 0);
}

static void test_errors(void)
{
	struct blockdev_msg r;
	int e;

	CHECK_EQ("blk_read_at_end_out_of_range", xfer(0, (uint64_t)BLK_SECTORS * BLK_SECTOR, G_DRV, 512), -ENXIO);
	CHECK_EQ("blk_read_far_beyond_end_out_of_range", xfer(0, 1ull << 40, G_DRV, 512), -ENXIO);
	CHECK_EQ("blk_read_grant_for_another_process_eperm", xfer(0, 0, G_OTHER, 512), -EPERM);
	CHECK_EQ("blk_read_no_such_grant_eperm", xfer(0, 0, 17, 512), -EPERM);
	CHECK_EQ("blk_read_into_read_only_grant_eperm", xfer(0, 0, G_DRV_READONLY, 512), -EPERM);
	CHECK_EQ("blk_read_longer_than_grant_eperm", xfer(0, 0, G_DRV, BUF_BYTES + 512), -EPERM);
	CHECK_EQ("blk_unaligned_length_refused_by_contract", xfer(0, 0, G_DRV, 100), -EPROTO);
	CHECK_EQ("blk_close", blockdev_call_Close(&mon, drv, 0, &r), 0);
	e = blockdev_call_Read(&mon, drv, 0, G_DRV, 512, 0, &r);
	CHECK_EQ("blk_read_after_close_refused_by_contract", e, -EPROTO);
	e = blockdev_call_Open(&mon, drv, 1, 1, &r);
	CHECK_EQ("blk_open_missing_minor_enxio", e < 0 ? e : r.type == BLOCKDEV_FAILED ? r.u.Failed.error : 0, -ENXIO);
	e = blockdev_call_Open(&mon, drv, 0, 1, &r);
	CHECK_EQ("blk_reopen_read_only", e < 0 ? e : r.type, BLOCKDEV_OPENED);
	CHECK_EQ("blk_write_on_read_only_open_ebadf", xfer(1, 0, G_DRV, 512), -EBADF);
}

/* The clients say Ready and wait; all get Go at once. Then each sends its
 * Report (contracts/blktest.contract). */
static void test_clients(void)
{
	endpoint_t ready[BLK_CLIENTS], failed[BLK_CLIENTS];
	struct contract_monitor cmon;
	struct blockdev_stats st;
	struct blktest_msg b;
	message_t m;
	int nready = 0, nfailed = 0, got, bad = 0, n = 0, i;

	blktest_monitor_init(&cmon, CONTRACT_SERVER);
	while (nready + nfailed < BLK_CLIENTS && ipc_receive(ANY, &m) == 0) {
		if (!BLKTEST_OWNS(m.type) || blktest_accept(&cmon, &m, &b) < 0)
			continue;	/* notifications: children's events */
		if (b.type == BLKTEST_READY) {
			ready[nready++] = b.peer;
		} else {	/* could not even open: reports at once */
			failed[nfailed++] = b.peer;
			bad += (int)b.u.Report.errors;
		}
	}
	for (i = 0; i < nready; i++)
		blktest_reply_Go(&cmon, ready[i]);
	for (i = 0; i < nfailed; i++)
		blktest_reply_Ack(&cmon, failed[i]);
	got = nfailed;
	while (got < BLK_CLIENTS) {
		if (ipc_receive(ANY, &m) < 0)
			break;
		if (!BLKTEST_OWNS(m.type) || blktest_accept(&cmon, &m, &b) < 0 ||
		    b.type != BLKTEST_REPORT)
			continue;
		got++;
		bad += (int)b.u.Report.errors;
		n += (int)b.u.Report.transfers;
		blktest_reply_Ack(&cmon, b.peer);
	}
	CHECK_EQ("blk_clients_all_reported", got, BLK_CLIENTS);
	CHECK_EQ("blk_clients_concurrent_transfers_verified", bad, 0);
	check("blk_clients_made_transfers", n >= BLK_CLIENTS * 8, n);
	memset(&st, 0, sizeof(st));
	grants[G_STATS] = (struct grant){ GRANT_VALID | GRANT_WRITE, drv, (uint64_t)&st, sizeof(st), 0 };
	{
		struct blockdev_msg r;
		int e = blockdev_call_Ioctl(&mon, drv, 0, BLOCKDEV_IOC_STATS, G_STATS, &r);
		CHECK_EQ("blk_stats_ioctl", e < 0 ? e : r.type == BLOCKDEV_DONE ? r.u.Done.status : r.u.Failed.error, 0);
	}
	printf("# driver: %lu requests, at most %lu in flight, %lu deferred\n",
	    st.requests, st.max_inflight, st.deferred);
	check("blk_several_requests_in_flight_at_once", st.max_inflight >= 2, (long)st.max_inflight);
	/* Nine clients, eight slots: whether a ninth request ever found all
	 * slots busy depends on how fast the emulated disk answers, so the
	 * deferral count is reported above, not asserted (it was flaky);
	 * every request, deferred or not, was verified by its client. */
}

/* Our manifest names no device the machine has (only 1234:5678), so the
 * PCI driver must refuse us the disk and the host bridge. */
static void test_pci(void)
{
	struct contract_monitor pm;
	struct pci_msg r;
	endpoint_t pci = lookup_endpoint("pci");
	int e;

	pci_monitor_init(&pm, CONTRACT_CLIENT);
	e = pci_call_Find(&pm, pci, 0x1af4, 0x1001, 0, &r);
	CHECK_EQ("pci_find_device_not_in_manifest_eperm", e < 0 ? e : r.type == PCI_FAIL ? r.u.Fail.error : 0, -EPERM);
	e = pci_call_ReadConf(&pm, pci, 0x18, 0, 4, &r);	/* 00:03.0, the disk */
	CHECK_EQ("pci_readconf_device_not_in_manifest_eperm", e < 0 ? e : r.type == PCI_FAIL ? r.u.Fail.error : 0, -EPERM);
	e = pci_call_WriteConf(&pm, pci, 0, 0, 0x04, 2, &r);	/* the host bridge */
	CHECK_EQ("pci_writeconf_device_not_in_manifest_eperm", e < 0 ? e : r.type == PCI_FAIL ? r.u.Fail.error : 0, -EPERM);
	e = pci_call_Find(&pm, pci, 0x1234, 0x5678, 0, &r);
	CHECK_EQ("pci_find_named_but_absent_enodev", e < 0 ? e : r.type == PCI_FAIL ? r.u.Fail.error : 0, -ENODEV);
}

int main(void)
{
	contract_log_hook = 0;	/* the refusals below are expected */
	blockdev_monitor_init(&mon, CONTRACT_CLIENT);
	drv = lookup_endpoint("virtio-blk");
	grants[G_OTHER] = (struct grant){ GRANT_VALID | GRANT_READ | GRANT_WRITE,
		lookup_endpoint("pci"), (uint64_t)buf, BUF_BYTES, 0 };
	grants[G_DRV] = (struct grant){ GRANT_VALID | GRANT_READ | GRANT_WRITE, drv,
		(uint64_t)buf, BUF_BYTES, 0 };
	grants[G_DRV_READONLY] = (struct grant){ GRANT_VALID | GRANT_READ, drv,
		(uint64_t)buf, BUF_BYTES, 0 };
	CHECK_EQ("blk_setgrant", sys_setgrant(grants, 4), 0);
	if (open_disk() == 0) {
		test_read_write();
		test_errors();
		test_clients();
	}
	test_pci();
	tests_finish();
}
