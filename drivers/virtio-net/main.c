/*
 * virtio-net: an Ethernet NIC on PCI (1af4:1000, QEMU's virtio-net-pci at
 * 00:05.0 with tools/qemu --virtio-net), through the legacy (virtio 0.9.5)
 * interface in its I/O BAR 0, on the network driver framework
 * (lib/driver/netdriver, contracts/netdev.contract), like e1000.
 *
 * Two virtqueues: 0 receives, 1 transmits. Each uses NBUF descriptors,
 * one per fixed 2 KiB DMA buffer that starts with the 10-byte legacy
 * virtio_net_hdr (no features that change it are taken: no checksum
 * offload, no segmentation offload, no mergeable buffers). Every receive
 * buffer is given to the device at start; the used ring is the queue NET
 * fetches from (Recv), and a buffer goes back to the device only when NET
 * has its frame, so a NET that falls behind makes the device drop, never
 * the driver overwrite. Send copies the frame from NET's grant behind a
 * zero header and queues it; finished transmit buffers are taken back
 * when a Send needs one.
 *
 * Features: MAC (the address is in the device's configuration) and
 * STATUS (link state, with a configuration-change interrupt).
 */
#include "../../lib/driver/netdriver.h"
#include "../../lib/driver/pcidev.h"
#include "../../lib/driver/virtio.h"

#define VENDOR		0x1af4
#define DEVICE		0x1000	/* transitional virtio-net: legacy interface */

/* The device configuration (lib/driver/virtio.h has the legacy header). */
#define VIO_NET_MAC		VIO_CONFIG	/* 6 bytes */
#define VIO_NET_STATUS		(VIO_CONFIG + 6)	/* u16 */
#define NET_F_MAC		(1u << 5)
#define NET_F_STATUS		(1u << 16)
#define NET_S_LINK_UP		1

#define RXQ		0
#define TXQ		1
#define NBUF		64	/* buffers per queue */
#define BUF		2048
#define HDR		10	/* struct virtio_net_hdr, legacy, no mergeable buffers */
#define DMA_VA		0x200000000ul

/* One virtqueue; its memory is shared with the device (volatile). */
struct vq {
	volatile struct vring_desc *desc;
	volatile uint16_t *avail;	/* flags, idx, ring[size] */
	volatile uint16_t *used;	/* flags, idx, then (id, len) u32 pairs */
	uint8_t *buf;			/* NBUF buffers of BUF bytes */
	uint64_t buf_phys;
	uint16_t size, last_used;
};

static struct vq vq[2];
static unsigned tx_free = NBUF;		/* transmit buffers not with the device */
static uint16_t tx_next;		/* next transmit buffer to fill */
static struct pci_Found pdev;	/* bar[0]: the I/O ports; irq; dev */
static unsigned base;
static uint8_t mac[6];
static uint32_t features;
static uint64_t rx_short;

static uint32_t in(int op, unsigned reg)
{
	return (uint32_t)sys_devio(op, base + reg, 0);
}

static void out(int op, unsigned reg, uint32_t v)
{
	sys_devio(op, base + reg, v);
}

/* Queue q's ring at va/phys and its buffers after it; the bytes used. */
static uint64_t setup_queue(int q, uint64_t va, uint64_t phys)
{
	struct vq *v = &vq[q];
	uint64_t rb = vring_bytes(v->size);
	uint16_t i;

	v->desc = (volatile struct vring_desc *)va;
	v->avail = (volatile uint16_t *)(va + 16ul * v->size);
	v->used = (volatile uint16_t *)(va + vring_used_offset(v->size));
	v->buf = (uint8_t *)(va + rb);
	v->buf_phys = phys + rb;
	for (i = 0; i < NBUF; i++) {
		v->desc[i].addr = v->buf_phys + (uint64_t)i * BUF;
		v->desc[i].len = BUF;
		v->desc[i].flags = q == RXQ ? VRING_DESC_F_WRITE : 0;
		v->desc[i].next = 0;
	}
	if (q == RXQ) {		/* every receive buffer to the device */
		for (i = 0; i < NBUF; i++)
			v->avail[2 + i] = i;
		dma_barrier();
		v->avail[1] = NBUF;
	}
	out(DEVIO_OUT16, VIO_QUEUE_SELECT, (uint32_t)q);
	out(DEVIO_OUT32, VIO_QUEUE_PFN, (uint32_t)(phys >> 12));
	return rb + (uint64_t)NBUF * BUF;
}

static int setup_queues(void)
{
	uint64_t total = 0, off;
	long phys;
	int q;

	for (q = 0; q < 2; q++) {
		out(DEVIO_OUT16, VIO_QUEUE_SELECT, (uint32_t)q);
		vq[q].size = (uint16_t)in(DEVIO_IN16, VIO_QUEUE_SIZE);
		if (vq[q].size < NBUF || (vq[q].size & (vq[q].size - 1)))
			return -ENXIO;
		total += vring_bytes(vq[q].size) + (uint64_t)NBUF * BUF;
	}
	if ((phys = kcall(KC_DMA, DMA_ALLOC, DMA_VA, total, 0, 0, 0)) < 0)
		return (int)phys;
	if ((uint64_t)phys >> 44)
		return -ENOMEM;	/* a legacy queue address is a 32-bit page number */
	off = setup_queue(RXQ, DMA_VA, (uint64_t)phys);
	setup_queue(TXQ, DMA_VA + off, (uint64_t)phys + off);
	out(DEVIO_OUT16, VIO_QUEUE_NOTIFY, RXQ);
	return 0;
}

static uint32_t link_mbps(void)
{
	if (!(features & NET_F_STATUS))
		return 1000;	/* no status: always up */
	return (in(DEVIO_IN16, VIO_NET_STATUS) & NET_S_LINK_UP) ? 1000 : 0;
}

static int init(void)
{
	struct contract_monitor pci_mon;
	endpoint_t pci_ep;
	long r;
	int e, i;

	if ((e = pcidev_claim(&pci_mon, &pci_ep, VENDOR, DEVICE, PCI_CMD_IO | PCI_CMD_BUS_MASTER,
	    &pdev)) < 0 || !(pdev.bar[0] & 1)) {
		printf("virtio-net: no device %04x:%04x with I/O BAR 0: %d\n", VENDOR, DEVICE, e);
		return e < 0 ? e : -ENXIO;
	}
	base = pdev.bar[0] & ~3u;
	if ((r = sys_devio(DEVIO_IN8, base + VIO_STATUS, 0)) < 0) {
		printf("virtio-net: ports at 0x%x refused (%ld): etc/virtio-net.svc must name this machine's BAR\n",
		    base, r);
		return (int)r;
	}
	out(DEVIO_OUT8, VIO_STATUS, 0);	/* reset */
	out(DEVIO_OUT8, VIO_STATUS, STATUS_ACK);
	out(DEVIO_OUT8, VIO_STATUS, STATUS_ACK | STATUS_DRIVER);
	features = in(DEVIO_IN32, VIO_HOST_FEATURES) & (NET_F_MAC | NET_F_STATUS);
	out(DEVIO_OUT32, VIO_GUEST_FEATURES, features);
	if (!(features & NET_F_MAC)) {
		printf("virtio-net: the device has no MAC address\n");
		out(DEVIO_OUT8, VIO_STATUS, STATUS_FAILED);
		return -ENXIO;
	}
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)in(DEVIO_IN8, VIO_NET_MAC + (unsigned)i);
	if ((e = setup_queues()) < 0) {
		printf("virtio-net: queue setup failed: %d\n", e);
		out(DEVIO_OUT8, VIO_STATUS, STATUS_FAILED);
		return e;
	}
	if ((r = sys_irqctl(IRQ_ATTACH, (int)pdev.irq)) < 0) {
		printf("virtio-net: irq %u refused (%ld)\n", pdev.irq, r);
		out(DEVIO_OUT8, VIO_STATUS, STATUS_FAILED);
		return (int)r;
	}
	out(DEVIO_OUT8, VIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
	printf("virtio-net: %02x:%02x:%02x:%02x:%02x:%02x, ports 0x%x, irq %u, link %s, queues %u/%u, %u buffers each\n",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], base, pdev.irq,
	    link_mbps() ? "up" : "down", vq[RXQ].size, vq[TXQ].size, NBUF);
	return 0;
}

static void vnet_info(uint8_t m[6], uint32_t *mtu, uint32_t *link)
{
	memcpy(m, mac, 6);
	*mtu = 1500;
	*link = link_mbps();
}

/* Take back the transmit buffers the device has finished with. */
static void tx_reclaim(void)
{
	struct vq *v = &vq[TXQ];

	while (v->last_used != v->used[1]) {
		dma_barrier();
		v->last_used++;
		tx_free++;
	}
}

static int vnet_send(const struct netdriver_req *r)
{
	struct vq *v = &vq[TXQ];
	uint16_t b = tx_next, i;
	int e;

	if (r->len > NETDRIVER_FRAME_MAX || r->len < 14)
		return -EINVAL;
	tx_reclaim();
	if (!tx_free)
		return -EAGAIN;
	memset(v->buf + (uint64_t)b * BUF, 0, HDR);
	if ((e = netdriver_copy(r, 0, v->buf + (uint64_t)b * BUF + HDR, r->len)) < 0)
		return e;
	/* buffers go out in order and come back in order: b is free */
	v->desc[b].len = HDR + r->len;
	i = v->avail[1];
	v->avail[2 + (i & (v->size - 1))] = b;
	dma_barrier();		/* the entry before the index that publishes it */
	v->avail[1] = (uint16_t)(i + 1);
	dma_barrier();
	tx_free--;
	tx_next = (uint16_t)((b + 1) % NBUF);
	out(DEVIO_OUT16, VIO_QUEUE_NOTIFY, TXQ);
	return (int)r->len;
}

/* The oldest received frame into NET's grant; a frame of a bad length
 * is dropped and the next one tried. */
static int vnet_recv(const struct netdriver_req *r)
{
	struct vq *v = &vq[RXQ];
	volatile uint32_t *u;
	uint32_t id, len;
	uint16_t i;
	int e;

	for (;;) {
		if (v->last_used == v->used[1])
			return -EAGAIN;
		dma_barrier();
		u = (volatile uint32_t *)(v->used + 2) + 2 * (v->last_used & (v->size - 1));
		id = u[0];
		len = u[1];
		if (id >= NBUF)
			return -EIO;	/* not a descriptor we gave it */
		e = 0;
		if (len < HDR + 14 || len - HDR > r->len)
			rx_short++;
		else if ((e = netdriver_copy(r, 1, v->buf + (uint64_t)id * BUF + HDR, len - HDR)) < 0)
			return e;	/* leave the frame for a Recv with a good grant */
		else
			e = (int)(len - HDR);
		v->last_used++;		/* the buffer back to the device */
		i = v->avail[1];
		v->avail[2 + (i & (v->size - 1))] = (uint16_t)id;
		dma_barrier();
		v->avail[1] = (uint16_t)(i + 1);
		dma_barrier();
		out(DEVIO_OUT16, VIO_QUEUE_NOTIFY, RXQ);
		if (e > 0)
			return e;
	}
}

static void vnet_intr(uint64_t mask)
{
	if (!(mask & (1u << pdev.irq)))
		return;
	/* reading acknowledges; the line may be shared (e1000 is on IRQ 10 too) */
	if (in(DEVIO_IN8, VIO_ISR))
		netdriver_notify();
	sys_irqctl(IRQ_ENABLE, (int)pdev.irq);
}

static const struct netdriver vnet = {
	.info = vnet_info,
	.send = vnet_send,
	.recv = vnet_recv,
	.intr = vnet_intr,
};

int main(void)
{
	if (init() < 0)
		return 1;
#ifdef VIRTIO_NET_AFTER_INIT
	VIRTIO_NET_AFTER_INIT();	/* tests/system/t_vnetdrv: probes with this manifest */
#endif
	netdriver_task(&vnet);
}
