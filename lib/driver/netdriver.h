/*
 * The network driver framework: the message loop of an Ethernet driver
 * serving contracts/netdev.contract (its client is the network server,
 * NET), so that a driver's own source is only its device logic. The shape
 * of a network driver:
 *
 *   - received frames land in the driver's DMA buffers (its receive ring);
 *     the driver tells NET with netdriver_notify() and NET fetches them one
 *     at a time (Recv): the driver copies the frame into NET's grant;
 *   - NET hands it frames to send (Send): the driver copies each from
 *     NET's grant into a transmit DMA buffer and queues it on the device.
 *
 * The driver never blocks on NET and never sends it a message it must
 * receive: answers go out non-blocking, news goes out as a NOTIFY.
 *
 * The driver fills in a struct netdriver and calls netdriver_task(), which
 * never returns:
 *
 *   info   MAC address, MTU, link (0 down, else Mb/s): for Init and Status.
 *   send   queue the frame of r (r->len bytes in NET's grant; copy it with
 *          netdriver_copy before returning): bytes queued, -EAGAIN if the
 *          transmit ring is full, -ENETDOWN, or another negative errno.
 *   recv   copy the oldest received frame into r's grant (at most r->len
 *          bytes) and give its buffer back to the device: the frame's
 *          length, or -EAGAIN if none is waiting.
 *   intr   a HARDWARE notification: mask of the IRQ lines that fired. The
 *          driver re-enables its line (KC_IRQCTL IRQ_ENABLE).
 *   alarm  optional: a CLOCK notification (KC_ALARM), with the tick.
 *
 * Grants are checked by the kernel on the copy itself: a bad grant makes
 * netdriver_copy fail with -EPERM before the device is touched.
 */
#ifndef LIB_DRIVER_NETDRIVER_H
#define LIB_DRIVER_NETDRIVER_H

#include "driver.h"
#include <netdev.h>

#define NETDRIVER_FRAME_MAX	1514	/* Ethernet header + 1500, no FCS */

struct netdriver_req {
	endpoint_t client;
	contract_grant_t grant;
	uint32_t len;
};

struct netdriver_stats {
	uint64_t rx_frames, tx_frames;
	uint64_t rx_bytes, tx_bytes;
	uint64_t tx_full;	/* Send answered -EAGAIN: ring full */
	uint64_t notifies;
};

struct netdriver {
	void (*info)(uint8_t mac[6], uint32_t *mtu, uint32_t *link);
	int (*send)(const struct netdriver_req *r);
	int (*recv)(const struct netdriver_req *r);
	void (*intr)(uint64_t irq_mask);
	void (*alarm)(uint64_t tick);
};

void netdriver_task(const struct netdriver *nd) __attribute__((noreturn));

/* Tell the client (the endpoint that last sent Init) that something
 * changed: frames arrived, transmit room freed, link changed. */
void netdriver_notify(void);

/* Copy between the client's grant (at offset 0) and the driver's buf:
 * to_client 1 for a received frame. 0 or a negative errno. */
int netdriver_copy(const struct netdriver_req *r, int to_client, void *buf, size_t len);

extern struct netdriver_stats netdriver_stats;

#endif
