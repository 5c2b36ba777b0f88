/*
 * e1000: the Intel 8254x Ethernet controller (8086:100e, the 82540EM that
 * QEMU's `e1000` emulates), serving contracts/netdev.contract through
 * lib/driver's network framework.
 *
 * Register facts are from Intel's "PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual" (8254x): the registers live in
 * memory BAR 0 (128 KiB), which this driver maps with KC_MAPPHYS (the
 * manifest's `memory` line grants exactly that range). Receive and transmit
 * use one legacy descriptor ring each, in KC_DMA memory, each descriptor
 * owning a fixed 2 KiB buffer in the same allocation:
 *
 *   receive   the device fills buffers and sets DD in the descriptor; the
 *             driver notifies NET; each Recv copies the oldest filled
 *             buffer into NET's grant and hands the descriptor back to the
 *             device by moving the tail (RDT) over it. The ring is the
 *             queue: while NET has not fetched a frame the device cannot
 *             reuse its buffer, and when all are full it drops (RXO).
 *   transmit  each Send copies NET's frame into the next free buffer, fills
 *             the descriptor (EOP | IFCS | RS) and moves the tail (TDT);
 *             a descriptor is free again once the device has set its DD.
 *
 * Interrupts: receive timer (RXT0), overrun (RXO), descriptors low
 * (RXDMT0), link status change (LSC), transmit written back (TXDW). Every
 * one of them ends in a NOTIFY to NET (netdriver_notify), which fetches.
 */
#include "../../lib/driver/netdriver.h"
#include "../../lib/driver/pcidev.h"

#ifndef ENETDOWN
#define ENETDOWN	100
#endif

#define VENDOR		0x8086
#define DEVICE		0x100e

/* Registers (byte offsets in BAR 0). */
#define CTRL		0x0000
#define STATUS		0x0008
#define EERD		0x0014
#define ICR		0x00C0
#define IMS		0x00D0
#define IMC		0x00D8
#define RCTL		0x0100
#define TCTL		0x0400
#define TIPG		0x0410
#define RDBAL		0x2800
#define RDBAH		0x2804
#define RDLEN		0x2808
#define RDH		0x2810
#define RDT		0x2818
#define RDTR		0x2820
#define TDBAL		0x3800
#define TDBAH		0x3804
#define TDLEN		0x3808
#define TDH		0x3810
#define TDT		0x3818
#define MTA		0x5200	/* 128 words */
#define RAL0		0x5400
#define RAH0		0x5404

#define CTRL_ASDE	(1u << 5)
#define CTRL_SLU	(1u << 6)
#define CTRL_RST	(1u << 26)
#define STATUS_LU	(1u << 1)
#define STATUS_SPEED(s)	(((s) >> 6) & 3)	/* 0: 10, 1: 100, 2/3: 1000 Mb/s */
#define EERD_START	(1u << 0)
#define EERD_DONE	(1u << 4)
#define RAH_AV		(1u << 31)

#define ICR_TXDW	(1u << 0)
#define ICR_LSC		(1u << 2)
#define ICR_RXDMT0	(1u << 4)
#define ICR_RXO		(1u << 6)
#define ICR_RXT0	(1u << 7)

#define RCTL_EN		(1u << 1)
#define RCTL_BAM	(1u << 15)	/* accept broadcast */
#define RCTL_BSIZE_2048	(0u << 16)
#define RCTL_SECRC	(1u << 26)	/* strip the FCS */
#define TCTL_EN		(1u << 1)
#define TCTL_PSP	(1u << 3)	/* pad short packets */
#define TCTL_CT(x)	((uint32_t)(x) << 4)
#define TCTL_COLD(x)	((uint32_t)(x) << 12)

#define RX_DD		(1u << 0)
#define RX_EOP		(1u << 1)
#define TX_CMD_EOP	(1u << 0)
#define TX_CMD_IFCS	(1u << 1)
#define TX_CMD_RS	(1u << 3)
#define TX_DD		(1u << 0)

#define NRX		64	/* descriptors: a multiple of 8 (128-byte ring length) */
#define NTX		64
#define BUF		2048
#define MMIO_VA		0x200000000ul
#define DMA_VA		0x210000000ul
#define PAGE		4096ul

struct rx_desc {
	uint64_t addr;
	uint16_t length, csum;
	uint8_t status, errors;
	uint16_t special;
};

struct tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso, cmd, status, css;
	uint16_t special;
};

_Static_assert(sizeof(struct rx_desc) == 16 && sizeof(struct tx_desc) == 16,
    "8254x descriptors are 16 bytes");

static volatile uint32_t *regs;
static volatile struct rx_desc *rxd;
static volatile struct tx_desc *txd;
static uint8_t *rxbuf, *txbuf;
static uint64_t dma_phys;
static unsigned rx_next;		/* oldest descriptor the device may have filled */
static unsigned tx_tail, tx_clean;	/* next to fill; oldest not yet seen done */
static unsigned irq;
static uint64_t mmio_phys, mmio_len;
static uint8_t mac[6];
static uint32_t link;			/* 0 down, else Mb/s */
static uint64_t rx_errors, rx_overruns;

static endpoint_t pci_ep;
static struct contract_monitor pci_mon;

static uint32_t rd(unsigned reg)
{
	return regs[reg / 4];
}

static void wr(unsigned reg, uint32_t v)
{
	regs[reg / 4] = v;
}

/* The device from the PCI driver, memory decoding and bus mastering on. */
static int find_device(void)
{
	struct pci_Found f = { 0 };
	int e;

	if ((e = pcidev_claim(&pci_mon, &pci_ep, VENDOR, DEVICE,
	    PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER, &f)) < 0)
		return e;
	if (f.bar[0] & 1)
		return -ENXIO;	/* BAR 0 is not memory */
	mmio_phys = f.bar[0] & ~0xFu;
	mmio_len = f.size[0];
	irq = f.irq;
	return 0;
}

/* One EEPROM word through EERD; -ETIMEDOUT-like -EIO if it never finishes. */
static int eeprom_read(unsigned word, uint16_t *out)
{
	uint32_t v;
	int i;

	wr(EERD, (word << 8) | EERD_START);
	for (i = 0; i < 100000; i++) {
		v = rd(EERD);
		if (v & EERD_DONE) {
			*out = (uint16_t)(v >> 16);
			return 0;
		}
	}
	return -EIO;
}

/* The MAC address: EEPROM words 0-2; the receive address registers (which
 * the device loads from the EEPROM at reset) if the EEPROM does not answer. */
static void read_mac(void)
{
	uint16_t w[3];
	uint32_t lo, hi;
	int i;

	for (i = 0; i < 3; i++)
		if (eeprom_read((unsigned)i, &w[i]) < 0)
			break;
	if (i == 3) {
		for (i = 0; i < 3; i++) {
			mac[2 * i] = (uint8_t)w[i];
			mac[2 * i + 1] = (uint8_t)(w[i] >> 8);
		}
		return;
	}
	lo = rd(RAL0);
	hi = rd(RAH0);
	for (i = 0; i < 4; i++)
		mac[i] = (uint8_t)(lo >> (8 * i));
	mac[4] = (uint8_t)hi;
	mac[5] = (uint8_t)(hi >> 8);
}

static void update_link(void)
{
	static const uint32_t speeds[4] = { 10, 100, 1000, 1000 };
	uint32_t s = rd(STATUS);

	link = (s & STATUS_LU) ? speeds[STATUS_SPEED(s)] : 0;
}

static int setup_rings(void)
{
	uint64_t total = 2 * PAGE + (uint64_t)(NRX + NTX) * BUF;
	long phys;
	unsigned i;

	if ((phys = kcall(KC_DMA, DMA_ALLOC, DMA_VA, total, 0, 0, 0)) < 0)
		return (int)phys;
	dma_phys = (uint64_t)phys;
	rxd = (volatile struct rx_desc *)DMA_VA;
	txd = (volatile struct tx_desc *)(DMA_VA + PAGE);
	rxbuf = (uint8_t *)(DMA_VA + 2 * PAGE);
	txbuf = rxbuf + (uint64_t)NRX * BUF;
	for (i = 0; i < NRX; i++) {
		rxd[i].addr = dma_phys + 2 * PAGE + (uint64_t)i * BUF;
		rxd[i].status = 0;
	}
	for (i = 0; i < NTX; i++) {
		txd[i].addr = dma_phys + 2 * PAGE + (uint64_t)(NRX + i) * BUF;
		txd[i].cmd = 0;
		txd[i].status = TX_DD;	/* free */
	}
	dma_barrier();

	wr(RDBAL, (uint32_t)dma_phys);
	wr(RDBAH, (uint32_t)(dma_phys >> 32));
	wr(RDLEN, NRX * sizeof(struct rx_desc));
	wr(RDH, 0);
	wr(RDT, NRX - 1);	/* every descriptor but one belongs to the device */
	wr(RDTR, 0);
	rx_next = 0;
	wr(RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC);

	wr(TDBAL, (uint32_t)(dma_phys + PAGE));
	wr(TDBAH, (uint32_t)((dma_phys + PAGE) >> 32));
	wr(TDLEN, NTX * sizeof(struct tx_desc));
	wr(TDH, 0);
	wr(TDT, 0);
	tx_tail = tx_clean = 0;
	wr(TIPG, 10 | (8u << 10) | (6u << 20));	/* IEEE 802.3 values for copper */
	wr(TCTL, TCTL_EN | TCTL_PSP | TCTL_CT(0x0F) | TCTL_COLD(0x40));
	return 0;
}

static int init(void)
{
	long r;
	int e, i;

	if ((e = find_device()) < 0) {
		printf("e1000: no device %04x:%04x: %d\n", VENDOR, DEVICE, e);
		return e;
	}
	if ((r = sys_mapphys(MMIO_VA, mmio_phys, mmio_len, PROT_R | PROT_W)) < 0) {
		printf("e1000: registers at 0x%lx (%lu bytes) refused (%ld): etc/e1000.svc must name this machine's BAR\n",
		    mmio_phys, mmio_len, r);
		return (int)r;
	}
	regs = (volatile uint32_t *)MMIO_VA;

	wr(IMC, 0xFFFFFFFF);
	wr(CTRL, rd(CTRL) | CTRL_RST);
	for (i = 0; i < 100000 && (rd(CTRL) & CTRL_RST); i++)
		;
	if (rd(CTRL) & CTRL_RST) {
		printf("e1000: reset did not finish\n");
		return -EIO;
	}
	wr(IMC, 0xFFFFFFFF);
	(void)rd(ICR);

	read_mac();
	/* Our address in receive address 0 (valid), no multicast. */
	wr(RAL0, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
	    (uint32_t)mac[3] << 24);
	wr(RAH0, (uint32_t)mac[4] | (uint32_t)mac[5] << 8 | RAH_AV);
	for (i = 0; i < 128; i++)
		wr(MTA + 4 * (unsigned)i, 0);

	wr(CTRL, (rd(CTRL) | CTRL_SLU | CTRL_ASDE) & ~CTRL_RST);
	if ((e = setup_rings()) < 0) {
		printf("e1000: ring allocation failed: %d\n", e);
		return e;
	}
	if ((r = sys_irqctl(IRQ_ATTACH, (int)irq)) < 0) {
		printf("e1000: irq %u refused (%ld)\n", irq, r);
		return (int)r;
	}
	wr(IMS, ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC | ICR_TXDW);
	update_link();
	printf("e1000: %02x:%02x:%02x:%02x:%02x:%02x, registers 0x%lx, irq %u, link %s (%u Mb/s), %u+%u descriptors\n",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], mmio_phys, irq,
	    link ? "up" : "down", link, NRX, NTX);
	return 0;
}

static void e1000_info(uint8_t out[6], uint32_t *mtu, uint32_t *lnk)
{
	int i;

	update_link();
	for (i = 0; i < 6; i++)
		out[i] = mac[i];
	*mtu = 1500;
	*lnk = link;
}

/* Free the transmit descriptors the device has finished. */
static void tx_reclaim(void)
{
	while (tx_clean != tx_tail && (txd[tx_clean].status & TX_DD))
		tx_clean = (tx_clean + 1) % NTX;
}

static int e1000_send(const struct netdriver_req *r)
{
	unsigned next = (tx_tail + 1) % NTX;
	int e;

	if (!link)
		update_link();
	if (!link)
		return -ENETDOWN;
	tx_reclaim();
	if (next == tx_clean)
		return -EAGAIN;	/* one slot stays empty: head == tail means empty */
	if ((e = netdriver_copy(r, 0, txbuf + (uint64_t)tx_tail * BUF, r->len)) < 0)
		return e;
	txd[tx_tail].length = (uint16_t)r->len;
	txd[tx_tail].cso = 0;
	txd[tx_tail].css = 0;
	txd[tx_tail].special = 0;
	txd[tx_tail].status = 0;
	txd[tx_tail].cmd = TX_CMD_EOP | TX_CMD_IFCS | TX_CMD_RS;
	dma_barrier();		/* the descriptor before the tail that hands it over */
	tx_tail = next;
	wr(TDT, tx_tail);
	return (int)r->len;
}

static int e1000_recv(const struct netdriver_req *r)
{
	volatile struct rx_desc *d;
	uint32_t len;
	int e;

	for (;;) {
		d = &rxd[rx_next];
		if (!(d->status & RX_DD))
			return -EAGAIN;
		dma_barrier();	/* the status before the data it covers */
		len = d->length;
		e = 0;
		if (d->errors || !(d->status & RX_EOP) || len < 14 || len > NETDRIVER_FRAME_MAX) {
			rx_errors++;	/* bad frame, or one spread over buffers: drop */
			e = 1;
		} else if (len > r->len) {
			len = r->len;
		}
		if (!e && (e = netdriver_copy(r, 1, rxbuf + (uint64_t)rx_next * BUF, len)) < 0)
			return e;	/* leave the frame for a Recv with a good grant */
		d->status = 0;
		dma_barrier();
		wr(RDT, rx_next);	/* hand the buffer back to the device */
		rx_next = (rx_next + 1) % NRX;
		if (!e)
			return (int)len;
	}
}

static void e1000_intr(uint64_t mask)
{
	uint32_t icr;

	if (!(mask & (1ull << irq)))
		return;
	icr = rd(ICR);		/* reading clears */
	if (icr & ICR_RXO)
		rx_overruns++;
	if (icr & ICR_LSC) {
		update_link();
		printf("e1000: link %s\n", link ? "up" : "down");
	}
	if (icr & ICR_TXDW)
		tx_reclaim();
	if (icr & (ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC | ICR_TXDW))
		netdriver_notify();
	sys_irqctl(IRQ_ENABLE, (int)irq);
}

static const struct netdriver e1000 = {
	.info = e1000_info,
	.send = e1000_send,
	.recv = e1000_recv,
	.intr = e1000_intr,
};

int main(void)
{
	if (init() < 0)
		return 1;
	netdriver_task(&e1000);
}
