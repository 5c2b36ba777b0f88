/*
 * virtio-blk: the disk, a virtio block device on PCI (1af4:1001, QEMU's
 * virtio-blk-pci), through the legacy (virtio 0.9.5) interface in its I/O
 * BAR 0. Serves contracts/blockdev.contract through lib/driver's block
 * framework: minor 0 is the whole disk.
 *
 * Interrupt-driven, up to NSLOTS requests in flight on the one virtqueue.
 * Each slot owns three fixed descriptors (request header, data, status
 * byte) and a 64 KiB bounce buffer in DMA memory: a write is copied from
 * the client's grant into the bounce buffer before the device is told, a
 * read is copied out to the client's grant when the device is done. The
 * driver cannot hand the device the client's own pages: KC_DMA gives
 * physical addresses of the caller's pages only, which is what keeps a
 * client's memory out of a driver's reach but through a grant. A transfer
 * moves at most 64 KiB; the client asks again for the rest (the contract
 * allows a short Done).
 *
 * The ports and IRQ line in etc/virtio-blk.svc must be the ones firmware
 * gave the device on this machine (the PCI driver reports them; the kernel
 * refuses anything else). docs/writing-a-driver.md.
 */
#include "../../lib/driver/blockdriver.h"
#include "../../lib/driver/pcidev.h"
#include "../../lib/driver/virtio.h"

#define VENDOR		0x1af4
#define DEVICE		0x1001	/* transitional virtio-blk: legacy interface */

/* The device configuration (lib/driver/virtio.h has the legacy header). */
#define VIO_BLK_CAPACITY	VIO_CONFIG	/* u64, 512-byte sectors */
#define BLK_F_RO		(1u << 5)


#define BLK_T_IN	0	/* read */
#define BLK_T_OUT	1	/* write */
#define BLK_S_OK	0

#define NSLOTS		8
#define SLOT_BYTES	(64 * 1024)
#define DMA_VA		0x200000000ul
#define PAGE		4096ul
#define SECTOR		512

struct blk_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

/* Ring memory is shared with the device: every access goes through a
 * volatile pointer, and barriers order what the device must see first. */
static volatile struct vring_desc *desc;
static volatile uint16_t *avail;	/* flags, idx, ring[qsize] */
static volatile uint16_t *used;		/* flags, idx, then (id, len) u32 pairs */
static volatile struct blk_hdr *hdrs;
static volatile uint8_t *statuses;
static uint8_t *bounce;
static uint64_t ring_phys, hdr_phys, bounce_phys;
static uint16_t qsize, last_used;

static unsigned base, irq;
static uint64_t sectors;
static int read_only;

static struct slot {
	int busy;
	struct blockdriver_req req;
	uint32_t len;
} slots[NSLOTS];

static endpoint_t pci_ep;
static uint32_t pci_dev;
static struct contract_monitor pci_mon;

static uint32_t in(int op, unsigned reg)
{
	return (uint32_t)sys_devio(op, base + reg, 0);
}

static void out(int op, unsigned reg, uint32_t v)
{
	sys_devio(op, base + reg, v);
}

/* Our device from the PCI driver, I/O decoding and bus mastering on
 * (the device reads and writes our DMA memory itself). */
static int find_device(void)
{
	struct pci_Found f = { 0 };
	int e;

	if ((e = pcidev_claim(&pci_mon, &pci_ep, VENDOR, DEVICE,
	    PCI_CMD_IO | PCI_CMD_BUS_MASTER, &f)) < 0)
		return e;
	if (!(f.bar[0] & 1))
		return -ENXIO;	/* no I/O BAR 0 */
	base = f.bar[0] & ~3u;
	irq = f.irq;
	pci_dev = f.dev;
	return 0;
}

static int setup_queue(void)
{
	uint64_t rb, total;
	long phys;

	out(DEVIO_OUT16, VIO_QUEUE_SELECT, 0);
	qsize = (uint16_t)in(DEVIO_IN16, VIO_QUEUE_SIZE);
	if (qsize < 3 * NSLOTS || (qsize & (qsize - 1)))
		return -ENXIO;
	rb = vring_bytes(qsize);
	total = rb + PAGE + (uint64_t)NSLOTS * SLOT_BYTES;
	if ((phys = kcall(KC_DMA, DMA_ALLOC, DMA_VA, total, 0, 0, 0)) < 0)
		return (int)phys;
	ring_phys = (uint64_t)phys;
	hdr_phys = ring_phys + rb;
	bounce_phys = hdr_phys + PAGE;
	if (ring_phys >> 44)
		return -ENOMEM;	/* a legacy queue address is a 32-bit page number */
	desc = (volatile struct vring_desc *)DMA_VA;
	avail = (volatile uint16_t *)(DMA_VA + 16ul * qsize);
	used = (volatile uint16_t *)(DMA_VA + vring_used_offset(qsize));
	hdrs = (volatile struct blk_hdr *)(DMA_VA + rb);
	statuses = (volatile uint8_t *)(DMA_VA + rb + NSLOTS * sizeof(struct blk_hdr));
	bounce = (uint8_t *)(DMA_VA + rb + PAGE);
	out(DEVIO_OUT32, VIO_QUEUE_PFN, (uint32_t)(ring_phys >> 12));
	return 0;
}

static int init(void)
{
	long r;
	int e;

	if ((e = find_device()) < 0) {
		printf("virtio-blk: no device %04x:%04x: %d\n", VENDOR, DEVICE, e);
		return e;
	}
	/* A BAR outside our manifest's ports is a manifest that does not
	 * match this machine; say so instead of failing obscurely. */
	if ((r = sys_devio(DEVIO_IN8, base + VIO_STATUS, 0)) < 0) {
		printf("virtio-blk: ports at 0x%x refused (%ld): etc/virtio-blk.svc must name this machine's BAR\n",
		    base, r);
		return (int)r;
	}
	out(DEVIO_OUT8, VIO_STATUS, 0);	/* reset */
	out(DEVIO_OUT8, VIO_STATUS, STATUS_ACK);
	out(DEVIO_OUT8, VIO_STATUS, STATUS_ACK | STATUS_DRIVER);
	read_only = (in(DEVIO_IN32, VIO_HOST_FEATURES) & BLK_F_RO) != 0;
	out(DEVIO_OUT32, VIO_GUEST_FEATURES, 0);	/* the plain protocol is all we use */
	if ((e = setup_queue()) < 0) {
		printf("virtio-blk: queue setup failed: %d\n", e);
		out(DEVIO_OUT8, VIO_STATUS, STATUS_FAILED);
		return e;
	}
	sectors = in(DEVIO_IN32, VIO_BLK_CAPACITY) |
	    (uint64_t)in(DEVIO_IN32, VIO_BLK_CAPACITY + 4) << 32;
	if ((r = sys_irqctl(IRQ_ATTACH, (int)irq)) < 0) {
		printf("virtio-blk: irq %u refused (%ld)\n", irq, r);
		out(DEVIO_OUT8, VIO_STATUS, STATUS_FAILED);
		return (int)r;
	}
	out(DEVIO_OUT8, VIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
	printf("virtio-blk: %lu sectors%s, ports 0x%x, irq %u, queue %u\n",
	    sectors, read_only ? " read-only" : "", base, irq, qsize);
	return 0;
}

static int vblk_open(uint32_t minor, uint32_t access, uint64_t *size, uint32_t *ssize)
{
	if (minor != 0)
		return -ENXIO;
	if ((access & 2) && read_only)
		return -EROFS;
	*size = sectors * SECTOR;
	*ssize = SECTOR;
	return 0;
}

static int64_t vblk_transfer(const struct blockdriver_req *r)
{
	uint64_t sector = r->offset / SECTOR;
	uint32_t len = r->length;
	uint16_t d, i;
	int s, e;

	if (r->minor != 0)
		return -ENXIO;
	if (sector >= sectors)
		return -ENXIO;	/* out of range (the contract keeps offset whole sectors) */
	if (len > (sectors - sector) * SECTOR)
		len = (uint32_t)((sectors - sector) * SECTOR);
	if (len > SLOT_BYTES)
		len = SLOT_BYTES;
	for (s = 0; s < NSLOTS && slots[s].busy; s++)
		;
	if (s == NSLOTS)
		return BLOCKDRIVER_BUSY;
	if (r->write && (e = blockdriver_copy(r, 0, 0, bounce + (uint64_t)s * SLOT_BYTES, len)) < 0)
		return e;
	slots[s].busy = 1;
	slots[s].req = *r;
	slots[s].len = len;
	hdrs[s].type = r->write ? BLK_T_OUT : BLK_T_IN;
	hdrs[s].reserved = 0;
	hdrs[s].sector = sector;
	statuses[s] = 0xFF;
	d = (uint16_t)(3 * s);
	desc[d].addr = hdr_phys + (uint64_t)s * sizeof(struct blk_hdr);
	desc[d].len = sizeof(struct blk_hdr);
	desc[d].flags = VRING_DESC_F_NEXT;
	desc[d].next = (uint16_t)(d + 1);
	desc[d + 1].addr = bounce_phys + (uint64_t)s * SLOT_BYTES;
	desc[d + 1].len = len;
	desc[d + 1].flags = VRING_DESC_F_NEXT | (r->write ? 0 : VRING_DESC_F_WRITE);
	desc[d + 1].next = (uint16_t)(d + 2);
	desc[d + 2].addr = hdr_phys + NSLOTS * sizeof(struct blk_hdr) + (uint64_t)s;
	desc[d + 2].len = 1;
	desc[d + 2].flags = VRING_DESC_F_WRITE;
	desc[d + 2].next = 0;
	i = avail[1];
	avail[2 + (i & (qsize - 1))] = d;
	dma_barrier();		/* the entry before the index that publishes it */
	avail[1] = (uint16_t)(i + 1);
	dma_barrier();
	out(DEVIO_OUT16, VIO_QUEUE_NOTIFY, 0);
	return BLOCKDRIVER_SUSPEND;
}

/* Answer every request the device has finished. */
static void complete(void)
{
	while (last_used != used[1]) {
		volatile uint32_t *u = (volatile uint32_t *)(used + 2) + 2 * (last_used & (qsize - 1));
		uint32_t id = u[0];
		struct slot *sl;
		int e;
		int64_t st;

		dma_barrier();
		last_used++;
		if (id % 3 || id / 3 >= NSLOTS || !slots[id / 3].busy) {
			printf("virtio-blk: device returned unknown descriptor %u\n", id);
			continue;
		}
		sl = &slots[id / 3];
		st = sl->len;
		if (statuses[id / 3] != BLK_S_OK)
			st = -EIO;
		else if (!sl->req.write &&
		    (e = blockdriver_copy(&sl->req, 1, 0, bounce + (uint64_t)(id / 3) * SLOT_BYTES, sl->len)) < 0)
			st = e;	/* the client revoked its grant meanwhile */
		sl->busy = 0;
		blockdriver_reply(sl->req.client, st);
	}
}

static void vblk_intr(uint64_t mask)
{
	if (!(mask & (1u << irq)))
		return;
	(void)in(DEVIO_IN8, VIO_ISR);	/* reading acknowledges; the line may be shared */
	complete();
	sys_irqctl(IRQ_ENABLE, (int)irq);
}

static const struct blockdriver vblk = {
	.open = vblk_open,
	.transfer = vblk_transfer,
	.intr = vblk_intr,
};

int main(void)
{
	if (init() < 0)
		return 1;
#ifdef VIRTIO_BLK_AFTER_INIT
	VIRTIO_BLK_AFTER_INIT();	/* tests/system/t_blkdrv: probes with this manifest */
#endif
	blockdriver_task(&vblk);
}
