/*
 * The block driver framework: the message loop of a block device driver
 * serving contracts/blockdev.contract, so that a driver's own source is
 * only its device logic. docs/writing-a-driver.md walks through a driver.
 *
 * The framework receives every message, checks it against the contract
 * (the monitor refuses and answers anything the protocol does not allow),
 * keeps which client opened with which access, checks a transfer's grant
 * before the device is touched, and answers. The driver fills in a struct
 * blockdriver and calls blockdriver_task(), which never returns:
 *
 *   open      a client opens minor with access (1 read, 2 write, 3 both):
 *             0 and the device's size in bytes and sector size, or -errno.
 *   close     optional.
 *   transfer  move r->length bytes at byte offset r->offset between the
 *             device and the client's grant r->grant (whole sectors; the
 *             grant is known to be valid for the whole length). Return:
 *             - bytes moved (>= 0; fewer than asked is allowed: the client
 *               asks again for the rest), or a negative errno: answered now;
 *             - BLOCKDRIVER_SUSPEND: the request is in flight; the driver
 *               keeps a copy of *r and calls blockdriver_reply() when the
 *               device is done (usually from intr). Any number may be in
 *               flight, one per client (a client waits in SENDREC);
 *             - BLOCKDRIVER_BUSY: no room now; the framework keeps the
 *               request (in arrival order) and offers it again after the
 *               next message it handles.
 *   ioctl     optional (-ENOTTY without): request with an argument grant.
 *             BLOCKDEV_IOC_STATS is answered by the framework itself.
 *   intr      a HARDWARE notification: mask of the IRQ lines that fired.
 *             The driver re-enables its line (KC_IRQCTL IRQ_ENABLE).
 *   alarm     optional: a CLOCK notification (KC_ALARM), with the tick.
 *   notify    optional: a notification from a process other than the
 *             parent (the parent's are RS heartbeats, answered here).
 *
 * Data: the client grants its buffer; the driver copies it with
 * KC_SAFECOPY (blockdriver_copy) into or out of its own memory (for a DMA
 * device, its DMA buffers). So a driver needs `safecopy` in its kcalls.
 */
#ifndef LIB_DRIVER_BLOCKDRIVER_H
#define LIB_DRIVER_BLOCKDRIVER_H

#include "driver.h"
#include <blockdev.h>

#define BLOCKDRIVER_SUSPEND	((int64_t)1 << 40)	/* above any byte count */
#define BLOCKDRIVER_BUSY	((int64_t)1 << 41)

/* Ioctl requests every block driver answers (through the framework). */
#define BLOCKDEV_IOC_STATS	0x6201	/* arg: struct blockdev_stats, written */
struct blockdev_stats {
	uint64_t requests;	/* transfers answered */
	uint64_t max_inflight;	/* most transfers suspended at once */
	uint64_t inflight;	/* suspended now */
	uint64_t deferred;	/* times the driver said BUSY */
};

struct blockdriver_req {
	endpoint_t client;
	int write;		/* 1: client -> device */
	uint32_t minor;
	uint64_t offset;	/* bytes, whole sectors */
	contract_grant_t grant;
	uint32_t length;	/* bytes, whole sectors, > 0 */
};

struct blockdriver {
	int (*open)(uint32_t minor, uint32_t access, uint64_t *size, uint32_t *sector_size);
	void (*close)(uint32_t minor);
	int64_t (*transfer)(const struct blockdriver_req *r);
	int64_t (*ioctl)(endpoint_t client, uint32_t minor, uint32_t request, contract_grant_t arg);
	void (*intr)(uint64_t irq_mask);
	void (*alarm)(uint64_t tick);
	void (*notify)(const message_t *m);
};

void blockdriver_task(const struct blockdriver *bd) __attribute__((noreturn));

/* Answer a suspended transfer: bytes moved or a negative errno. */
void blockdriver_reply(endpoint_t client, int64_t status);

/* Copy between the client's grant (at offset off) and the driver's buf:
 * to_client 1 for a read. 0 or a negative errno. */
int blockdriver_copy(const struct blockdriver_req *r, int to_client, uint64_t off,
    void *buf, size_t len);

#endif
