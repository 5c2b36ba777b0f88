/*
 * The character driver framework: the message loop of a driver serving
 * contracts/chardev.contract (VFS is the client), so that the driver's
 * source is only its device logic. Kept small on purpose; the terminal
 * driver may adopt it. docs/writing-a-driver.md.
 *
 * The contract's rule is that a driver never blocks VFS: every request is
 * answered at once. So there is no suspension here, unlike the block
 * framework: a read with nothing ready returns -EAGAIN, and the driver
 * NOTIFYs VFS (chardriver_wake) when data arrives; VFS asks again.
 *
 *   read, write  move up to r->len bytes between the device and r->addr in
 *                the memory of user process r->ep (chardriver_copy, which
 *                uses KC_VCOPY: the driver needs `vcopy` in its kcalls).
 *                Return bytes moved, or a negative errno (-EAGAIN: none
 *                ready).
 *   ioctl        request on minor, argument block at arg in r->ep; pgrp as
 *                VFS knows it. Optional: -ENOTTY without.
 *   poll         revents for events (POLLIN 1, POLLOUT 4). Optional:
 *                without, always ready for both.
 *   take_signal  a pending terminal signal for VFS to hand to PM: 0 and
 *                *pgrp, *signo, or -EAGAIN. Optional.
 *   track        the printer's Track (chardev.contract): record write
 *                progress under grant `rec` of `client`. Optional: -ENOSYS.
 *   intr, alarm, notify   as in blockdriver.h.
 */
#ifndef LIB_DRIVER_CHARDRIVER_H
#define LIB_DRIVER_CHARDRIVER_H

#include "driver.h"
#include <chardev.h>

struct chardriver_req {
	endpoint_t ep;		/* the user process whose memory is addressed */
	uint64_t addr;
	uint32_t len;
	uint32_t minor;
	uint32_t request;	/* ioctl only */
	int32_t pgrp;		/* ioctl only */
	endpoint_t client;	/* who asked (VFS) */
};

struct chardriver {
	int64_t (*read)(const struct chardriver_req *r);
	int64_t (*write)(const struct chardriver_req *r);
	int64_t (*ioctl)(const struct chardriver_req *r);
	int64_t (*poll)(uint32_t minor, uint32_t events);
	int (*take_signal)(int32_t *pgrp, int32_t *signo);
	int64_t (*track)(endpoint_t client, int32_t rec, uint32_t minor);
	void (*intr)(uint64_t irq_mask);
	void (*alarm)(uint64_t tick);
	void (*notify)(const message_t *m);
};

void chardriver_task(const struct chardriver *cd) __attribute__((noreturn));

/* Copy between the driver's buf and r->addr + off in r->ep. */
int chardriver_copy(const struct chardriver_req *r, int to_user, uint64_t off,
    void *buf, size_t len);

/* Tell the last VFS that asked (or vfs, if nonzero) that something a
 * waiting read or poll may care about has happened. */
void chardriver_wake(endpoint_t vfs);

#endif
