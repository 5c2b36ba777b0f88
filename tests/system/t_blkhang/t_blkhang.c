/*
 * The virtio-blk driver with one test-only fault: a notification from the
 * process named rs_hanger (tests/system/rs_hanger, the hang
 * injector) makes it loop forever, as a driver with a bug would. It
 * receives no more requests and answers no more heartbeats, so RS must
 * find it by missed heartbeats, end it and start it again (a fresh copy
 * of this program, which serves until told to hang again). Booted in
 * tests/system/rs_hang.boot under the real manifest with only the program
 * changed (tests/run.d/31-rs-hang.sh). Everything else is the driver as
 * shipped: its loop, its framework, its heartbeat answer.
 */

static void serve_until_told_to_hang(void);
#define VIRTIO_BLK_AFTER_INIT serve_until_told_to_hang
#include "../../../drivers/virtio-blk/main.c"
#include "../../../drivers/virtio-blk/driverlib.c"

static void hang_if_asked(const message_t *m)
{
	if (m->source != lookup_endpoint("rs_hanger"))
		return;
	printf("virtio-blk: told to hang: looping forever\n");
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* Serve with the driver's own table plus the hang trigger; never returns. */
static void serve_until_told_to_hang(void)
{
	static struct blockdriver hanging;

	hanging = vblk;
	hanging.notify = hang_if_asked;
	blockdriver_task(&hanging);
}
