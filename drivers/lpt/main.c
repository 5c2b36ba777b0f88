/*
 * lpt: the first parallel port (LPT1, ports 0x378-0x37a) as /dev/lp0
 * (chardev, Linux major 6 minor 0). Polled, a byte at a time: wait until
 * the printer is not busy (status bit 7 set), put the byte on the data
 * lines, pulse STROBE. No IRQ: the ACK interrupt would save only the
 * busy-wait, and a printer at QEMU's file backend is never busy.
 *
 * The contract says a driver never blocks VFS: a write moves what the
 * printer takes now (at most CHUNK bytes) and answers; a printer that
 * stays busy makes the write fail with EAGAIN (0 bytes) or come back
 * short, and the writer asks again.
 *
 * Restartable mid-job (chardev Track, servers/vfs/lpt.c): when VFS asks,
 * the driver records in VFS's memory how far the write in progress has
 * got, around each strobe: 2n+1 once byte n is strobed, 2n+2 once the
 * strobe is down again. A byte is printed at the strobe, and the strobe
 * stays up until the record says so, so a restarted driver that finds
 * STROBE up (start_control) tells VFS its predecessor strobed a byte it
 * may not have recorded; with the record that decides exactly which
 * bytes reached the printer.
 */
#include "../../lib/driver/chardriver.h"

#define LPT_DATA	0x378
#define LPT_STATUS	0x379
#define LPT_CONTROL	0x37a
#define ST_NOT_BUSY	0x80
#define CT_STROBE	0x01
#define CT_INIT		0x04	/* active low: set means "not resetting" */
#define CT_SELECT	0x08
#define CHUNK		4096
#define BUSY_POLLS	100000

static uint8_t buf[CHUNK];
static long start_control;		/* the control register as we found it */
static endpoint_t track_ep;		/* VFS, when it asked us to record */
static int32_t track_grant = -1;

/* The progress record of the write in progress (see the top), for VFS's
 * writes once it asked for one. */
static int record(const struct chardriver_req *r, uint64_t v)
{
	if (track_grant < 0 || r->client != track_ep)
		return 0;
	return sys_safecopy(SAFECOPY_TO, track_ep, track_grant, 0, &v, sizeof(v)) < 0 ? -EIO : 0;
}

static int64_t lpt_track(endpoint_t client, int32_t rec, uint32_t minor)
{
	if (minor != 0)
		return -ENXIO;
	track_ep = client;
	track_grant = rec;
	return start_control;
}

/* Byte n of the write r. */
static int put_byte(const struct chardriver_req *r, uint8_t c, uint32_t n)
{
	long st = 0;
	int i;

	for (i = 0; i < BUSY_POLLS; i++) {
		if ((st = sys_devio(DEVIO_IN8, LPT_STATUS, 0)) < 0)
			return (int)st;
		if (st & ST_NOT_BUSY)
			break;
	}
	if (!(st & ST_NOT_BUSY))
		return -EAGAIN;
	if (sys_devio(DEVIO_OUT8, LPT_DATA, c) < 0 ||
	    sys_devio(DEVIO_OUT8, LPT_CONTROL, CT_INIT | CT_SELECT | CT_STROBE) < 0 ||
	    record(r, 2 * (uint64_t)n + 1) < 0 ||
	    sys_devio(DEVIO_OUT8, LPT_CONTROL, CT_INIT | CT_SELECT) < 0 ||
	    record(r, 2 * (uint64_t)n + 2) < 0)
		return -EIO;
	return 0;
}

static int64_t lpt_write(const struct chardriver_req *r)
{
	uint32_t n = r->len > CHUNK ? CHUNK : r->len, i;
	int e;

	if (r->minor != 0)
		return -ENXIO;
	if (n == 0)
		return 0;
	if ((e = chardriver_copy(r, 0, 0, buf, n)) < 0)
		return -EFAULT;
	for (i = 0; i < n; i++)
		if ((e = put_byte(r, buf[i], i)) < 0)
			return i ? (int64_t)i : e;
	return n;
}

static int64_t lpt_read(const struct chardriver_req *r)
{
	return r->minor != 0 ? -ENXIO : -EINVAL;	/* a printer is written only */
}

static const struct chardriver lpt = {
	.read = lpt_read,
	.write = lpt_write,
	.track = lpt_track,
};

int main(void)
{
	long st;

	/* What our predecessor left (STROBE up: it strobed a byte), then out
	 * of reset, selected, strobe low. */
	if ((start_control = sys_devio(DEVIO_IN8, LPT_CONTROL, 0)) < 0 ||
	    sys_devio(DEVIO_OUT8, LPT_CONTROL, CT_INIT | CT_SELECT) < 0 ||
	    (st = sys_devio(DEVIO_IN8, LPT_STATUS, 0)) < 0) {
		printf("lpt: LPT1 ports refused\n");
		return 1;
	}
	printf("lpt: LPT1 at 0x378, status %02lx, control %02lx\n", st, start_control);
	chardriver_task(&lpt);
}
