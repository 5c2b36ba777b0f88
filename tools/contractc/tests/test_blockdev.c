/*
 * The realistic contracts at work: a file-system client and a block driver
 * speaking blockdev, and a DS client, through the generated code and the
 * monitor over the in-memory IPC.
 */
#include <stdint.h>
#include <string.h>

#include "blockdev.h"
#include "check.h"
#include "ds.h"
#include "fake_ipc.h"

#define DRIVER	1
#define FS	2
#define DS_EP	3
#define EPROTO_	(-CONTRACT_EPROTO)

static struct contract_monitor drv;
static struct contract_monitor fs;

static void
setup(void)
{
	fake_reset();
	blockdev_monitor_init(&drv, CONTRACT_SERVER);
	blockdev_monitor_init(&fs, CONTRACT_CLIENT);
}

/* The driver side of one exchange: take the request, answer it. */
static int
driver_answers(int32_t want_type)
{
	struct blockdev_msg m;

	fake_self = DRIVER;
	if (blockdev_receive(&drv, ANY, &m) != 0 || m.type != want_type)
		return -1;
	switch (m.type) {
	case BLOCKDEV_OPEN:
		return blockdev_reply_Opened(&drv, m.peer, 1 << 20, 512);
	case BLOCKDEV_READ:
		return blockdev_reply_Done(&drv, m.peer, m.u.Read.length);
	default:
		return blockdev_reply_Done(&drv, m.peer, 0);
	}
}

static int
fs_gets(int32_t want_type)
{
	struct blockdev_msg m;

	fake_self = FS;
	return blockdev_receive(&fs, DRIVER, &m) == 0 && m.type == want_type;
}

static int
blockdev_open_read_close_passes(void)
{
	setup();
	fake_self = FS;
	CHECK(blockdev_send_Open(&fs, DRIVER, 0, 1) == 0);
	CHECK(driver_answers(BLOCKDEV_OPEN) == 0);
	CHECK(fs_gets(BLOCKDEV_OPENED));
	CHECK(contract_state(&drv, FS) == BLOCKDEV_S_READY);
	CHECK(blockdev_send_Read(&fs, DRIVER, 4096, 7, 1024, 0) == 0);
	CHECK(driver_answers(BLOCKDEV_READ) == 0);
	CHECK(fs_gets(BLOCKDEV_DONE));
	CHECK(blockdev_send_Close(&fs, DRIVER, 0) == 0);
	CHECK(driver_answers(BLOCKDEV_CLOSE) == 0);
	CHECK(fs_gets(BLOCKDEV_DONE));
	CHECK(contract_state(&drv, FS) == BLOCKDEV_S_CLOSED);
	CHECK(drv.rejected == 0 && fs.rejected == 0);
	return 0;
}

static int
blockdev_read_before_open_refused(void)
{
	message_t m;
	struct blockdev_msg out;

	setup();
	fake_self = FS;
	CHECK(blockdev_send_Read(&fs, DRIVER, 0, 7, 512, 0) == EPROTO_);
	CHECK(fake_pending(DRIVER) == 0);
	/* A client without a monitor is stopped by the driver's. */
	CHECK(blockdev_encode_Read(&m, 0, 7, 512, 0) == 0);
	CHECK(fake_inject(FS, DRIVER, &m) == 0);
	fake_self = DRIVER;
	CHECK(blockdev_receive(&drv, ANY, &out) == EPROTO_);
	CHECK(fake_pending(FS) == 1);		/* the rejection notice */
	return 0;
}

static int
blockdev_requires_guard_transfers(void)
{
	message_t m;

	CHECK(blockdev_encode_Read(&m, 512, 1, 512, 0) == 0);
	CHECK(blockdev_encode_Read(&m, 100, 1, 512, 0) == EPROTO_);
	CHECK(blockdev_encode_Read(&m, 512, 1, 0, 0) == EPROTO_);
	CHECK(blockdev_encode_Write(&m, 0, 1, 16777216, 0) == 0);
	CHECK(blockdev_encode_Write(&m, 0, 1, 16777216 + 512, 0) == EPROTO_);
	CHECK(blockdev_encode_Open(&m, 0, 4) == EPROTO_);
	CHECK(blockdev_encode_Opened(&m, 1 << 20, 4096) == 0);
	CHECK(blockdev_encode_Opened(&m, 1 << 20, 1000) == EPROTO_);
	CHECK(blockdev_encode_Failed(&m, -5) == 0);
	CHECK(blockdev_encode_Failed(&m, 0) == EPROTO_);
	CHECK(blockdev_encode_Done(&m, -4096) == EPROTO_);
	/* The layout is the contract's: offset first, then grant, length. */
	CHECK(blockdev_encode_Read(&m, 0x1200, 9, 512, 3) == 0);
	CHECK(m.u.q[0] == 0x1200 && m.u.w[2] == 9 && m.u.w[3] == 512 &&
	    m.u.w[4] == 3);
	return 0;
}

static int
blockdev_driver_cannot_answer_twice(void)
{
	setup();
	fake_self = FS;
	CHECK(blockdev_send_Open(&fs, DRIVER, 0, 3) == 0);
	CHECK(driver_answers(BLOCKDEV_OPEN) == 0);
	fake_self = DRIVER;
	CHECK(blockdev_reply_Opened(&drv, FS, 1 << 20, 512) == EPROTO_);
	CHECK(blockdev_reply_Done(&drv, FS, 0) == EPROTO_);
	return 0;
}

static int
ds_publish_and_lookup(void)
{
	static const uint8_t key[32] = "driver.blk0";
	struct contract_monitor ds, cli;
	struct ds_msg m;
	message_t raw;

	fake_reset();
	ds_monitor_init(&ds, CONTRACT_SERVER);
	ds_monitor_init(&cli, CONTRACT_CLIENT);
	fake_self = FS;
	CHECK(ds_send_Publish(&cli, DS_EP, key, 0, DRIVER, 1) == 0);
	fake_self = DS_EP;
	CHECK(ds_receive(&ds, ANY, &m) == 0 && m.type == DS_PUBLISH);
	CHECK(memcmp(m.u.Publish.key, key, 32) == 0);
	CHECK(m.u.Publish.owner == DRIVER && m.u.Publish.kind == 1);
	CHECK(ds_reply_Ok(&ds, FS) == 0);
	/* Kind 3 does not exist: refused by both monitors. */
	fake_self = FS;
	CHECK(ds_receive(&cli, DS_EP, &m) == 0 && m.type == DS_OK);
	CHECK(ds_send_Publish(&cli, DS_EP, key, 0, DRIVER, 3) == EPROTO_);
	CHECK(ds_encode_Lookup(&raw, key) == 0);
	raw.type = DS_PUBLISH;
	raw.u.w[13] = 3;			/* kind, at offset 52 */
	CHECK(fake_inject(FS, DS_EP, &raw) == 0);
	fake_self = DS_EP;
	CHECK(ds_receive(&ds, ANY, &m) == EPROTO_);
	return 0;
}

int
main(void)
{
	int failures = 0;

	RUN(blockdev_open_read_close_passes);
	RUN(blockdev_read_before_open_refused);
	RUN(blockdev_requires_guard_transfers);
	RUN(blockdev_driver_cannot_answer_twice);
	RUN(ds_publish_and_lookup);
	return failures != 0;
}
