/*
 * Contract enforcement in a running system (issue 9): a client that breaks
 * its contracts (tests/system/ct_bad) is refused and logged while the
 * servers keep serving this well-behaved one. Two protocols: a driver's,
 * blockdev, on the memory driver's RAM disk, and a server's, ds, on DS.
 *
 * This supervisor opens the RAM disk and writes to it, publishes a value
 * in DS, then lets the violator loose (a notification) and waits for it
 * to end; its exit status is the number of its own checks that failed.
 * Then it goes on with its open conversation: the data reads back, Close
 * is answered, its DS value is still there, and the driver's other
 * contract (chardev: /dev/zero) serves it too. tests/system/contract.check
 * finds each refusal in the servers' log lines, naming the violator.
 */
#include "../test.h"
#include <blockdev.h>
#include <chardev.h>
#include <ds.h>

#define GOOD_KEY	"ct.good"
#define BYTES		4096

static struct contract_monitor bmon, cmon, dmon;
static uint8_t buf[BYTES];
static struct grant grants[1];

static long xfer(endpoint_t mem, int write, uint64_t off)
{
	struct blockdev_msg r;
	int e = write ? blockdev_call_Write(&bmon, mem, off, 0, BYTES, 0, &r)
		      : blockdev_call_Read(&bmon, mem, off, 0, BYTES, 0, &r);

	if (e < 0)
		return e;
	return r.type == BLOCKDEV_DONE ? (long)r.u.Done.status : r.u.Failed.error;
}

static long ds_lookup_value(endpoint_t ds, const uint8_t key[32])
{
	struct ds_msg r;
	int e = ds_call_Lookup(&dmon, ds, key, &r);

	if (e < 0)
		return e;
	return r.type == DS_FOUND ? (long)r.u.Found.value : r.u.Fail.error;
}

int main(endpoint_t self)
{
	endpoint_t mem = lookup_endpoint("memory"), ds = lookup_endpoint("ds");
	endpoint_t bad = lookup_endpoint("ct_bad");
	struct fault_report fr;
	struct blockdev_msg br;
	struct chardev_msg cr;
	struct ds_msg dr;
	uint8_t key[32];
	size_t i;
	int e;

	printf("ct: good client endpoint %d\n", self);
	blockdev_monitor_init(&bmon, CONTRACT_CLIENT);
	chardev_monitor_init(&cmon, CONTRACT_CLIENT);
	ds_monitor_init(&dmon, CONTRACT_CLIENT);

	/* A conversation in progress: the RAM disk open, a block written. */
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ | GRANT_WRITE, mem, (uint64_t)buf, BYTES, 0 };
	CHECK_EQ("ct_good_setgrant", sys_setgrant(grants, 1), 0);
	e = blockdev_call_Open(&bmon, mem, 0, 3, &br);
	CHECK_EQ("ct_good_opens_ramdisk", e < 0 ? e : br.type, BLOCKDEV_OPENED);
	for (i = 0; i < BYTES; i++)
		buf[i] = (uint8_t)(i * 13 + 5);
	CHECK_EQ("ct_good_writes", xfer(mem, 1, 65536), BYTES);
	memset(key, 0, sizeof(key));
	memcpy(key, GOOD_KEY, sizeof(GOOD_KEY) - 1);
	e = ds_call_Publish(&dmon, ds, key, 42, 0, 2, &dr);
	CHECK_EQ("ct_good_publishes", e < 0 ? e : dr.type, DS_OK);

	/* The violator runs now, and ends. */
	CHECK_EQ("ct_violator_let_go", ipc_notify(bad), 0);
	e = wait_child_event(&fr);
	check("ct_violator_ended", e == 0 && fr.endpoint == bad && fr.vector == EVENT_EXIT,
	    e ? e : (long)fr.vector);
	CHECK_EQ("ct_violator_checks_all_passed", fr.error, 0);

	/* The servers kept serving this client, mid-conversation. */
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("ct_good_reads_after_violations", xfer(mem, 0, 65536), BYTES);
	for (i = 0; i < BYTES && buf[i] == (uint8_t)(i * 13 + 5); i++)
		;
	CHECK_EQ("ct_good_data_intact", i, BYTES);
	e = blockdev_call_Close(&bmon, mem, 0, &br);
	CHECK_EQ("ct_good_close_answered", e < 0 ? e : br.type, BLOCKDEV_DONE);
	CHECK_EQ("ct_good_ds_value_intact", ds_lookup_value(ds, key), 42);
	/* The driver's other contract: /dev/zero (chardev minor 5). */
	memset(buf, 0xaa, 64);
	e = chardev_call_Read(&cmon, mem, (uint64_t)buf, self, 64, 5, &cr);
	check("ct_good_chardev_served", e == 0 && cr.type == CHARDEV_OK && cr.u.Ok.value == 64 &&
	    buf[0] == 0 && buf[63] == 0, e ? e : cr.type);
	CHECK_EQ("ct_good_own_monitors_refused_nothing", bmon.rejected + cmon.rejected + dmon.rejected, 0);
	tests_finish();
}
