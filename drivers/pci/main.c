/*
 * pci: the PCI bus driver. The only process granted the configuration
 * ports 0xCF8-0xCFF (configuration mechanism #1). At start it enumerates
 * every bus, slot and function once, sizes each device's BARs, and then
 * serves contracts/pci.contract.
 *
 * Who may reach which device. A request is answered only for a device
 * whose vendor:device the requester's own manifest names (`pci` lines).
 * The manifests are compiled into the boot image, which this driver maps
 * read-only (`memory bootimage`). The requester is identified by what the
 * kernel says, never by anything in the message: KC_GETINFO INFO_PROC on
 * the source's slot gives its privilege id (the endpoint must match, so a
 * dead requester's successor is not confused with it), and a boot
 * service's privilege id is its index in the image (the kernel starts it
 * so, and RS restarts it under the same id), so entry[priv_id].priv.pci is
 * exactly the list the kernel holds for it. Ordinary processes (PRIV_USER)
 * and anything with an id outside the image get nothing. Every refusal is
 * answered with -EPERM and logged.
 */
#include "../../lib/driver/driver.h"
#include <bulkhead/image.h>
#include <pci.h>

#define CONF_ADDR	0xCF8
#define CONF_DATA	0xCFC
#define IMAGE_VA	0x100000000ul	/* where the boot image is mapped */
#define MAX_DEVS	64
#define LOG_MAX		16		/* refusal lines, so a loop cannot flood */

/* Configuration header registers (type 0). */
#define REG_ID		0x00
#define REG_COMMAND	0x04
#define REG_CLASS	0x08
#define REG_HEADER	0x0E
#define REG_BAR0	0x10
#define REG_INTLINE	0x3C
#define REG_INTPIN	0x3D
#define CMD_IO		0x1
#define CMD_MEM		0x2
#define CMD_MASTER	0x4
#define CMD_INTX_OFF	0x400
#define CMD_CLIENT_BITS	(CMD_IO | CMD_MEM | CMD_MASTER | CMD_INTX_OFF)

struct dev {
	uint32_t handle;	/* bus << 8 | slot << 3 | function */
	uint16_t vendor, device;
	uint32_t bar[6], size[6];
	uint8_t irq, pin;
};

static struct dev devs[MAX_DEVS];
static int ndevs;
static const struct image_header *img;
static int logged;

static uint32_t conf_addr(uint32_t handle, unsigned reg)
{
	return 0x80000000u | handle << 8 | (reg & 0xFC);
}

/* Config reads and writes cannot fail once the ports are ours (checked
 * at start); a device that is absent reads as all ones. */
static uint32_t conf_read(uint32_t handle, unsigned reg, unsigned width)
{
	sys_devio(DEVIO_OUT32, CONF_ADDR, conf_addr(handle, reg));
	switch (width) {
	case 1: return (uint32_t)sys_devio(DEVIO_IN8, CONF_DATA + (reg & 3), 0);
	case 2: return (uint32_t)sys_devio(DEVIO_IN16, CONF_DATA + (reg & 2), 0);
	default: return (uint32_t)sys_devio(DEVIO_IN32, CONF_DATA, 0);
	}
}

static void conf_write(uint32_t handle, unsigned reg, unsigned width, uint32_t v)
{
	sys_devio(DEVIO_OUT32, CONF_ADDR, conf_addr(handle, reg));
	switch (width) {
	case 1: sys_devio(DEVIO_OUT8, CONF_DATA + (reg & 3), v); break;
	case 2: sys_devio(DEVIO_OUT16, CONF_DATA + (reg & 2), v); break;
	default: sys_devio(DEVIO_OUT32, CONF_DATA, v); break;
	}
}

/* A BAR's size: write all ones, read back which bits stick, restore.
 * Decoding is off meanwhile, so the device never answers at the probe
 * address. */
static void size_bars(struct dev *d)
{
	uint16_t cmd = (uint16_t)conf_read(d->handle, REG_COMMAND, 2);
	int i;

	conf_write(d->handle, REG_COMMAND, 2, cmd & ~(CMD_IO | CMD_MEM));
	for (i = 0; i < 6; i++) {
		unsigned reg = REG_BAR0 + 4 * (unsigned)i;
		uint32_t v = conf_read(d->handle, reg, 4), mask;
		d->bar[i] = v;
		conf_write(d->handle, reg, 4, 0xFFFFFFFFu);
		mask = conf_read(d->handle, reg, 4);
		conf_write(d->handle, reg, 4, v);
		if (v & 1)
			mask = (mask & ~3u) | 0xFFFF0000u;	/* I/O: 16-bit ports */
		else
			mask &= ~0xFu;
		d->size[i] = mask ? ~mask + 1 : 0;
		if (!(v & 1) && (v & 6) == 4 && i < 5) {	/* 64-bit: skip the upper half */
			d->bar[i + 1] = conf_read(d->handle, reg + 4, 4);
			d->size[i + 1] = 0;
			i++;
		}
	}
	conf_write(d->handle, REG_COMMAND, 2, cmd);
}

static void add_dev(uint32_t handle, uint32_t id)
{
	struct dev *d;

	if (ndevs == MAX_DEVS) {
		printf("pci: more than %d devices, %02x:%02x.%x ignored\n", MAX_DEVS,
		    handle >> 8, (handle >> 3) & 31, handle & 7);
		return;
	}
	d = &devs[ndevs++];
	memset(d, 0, sizeof(*d));
	d->handle = handle;
	d->vendor = (uint16_t)id;
	d->device = (uint16_t)(id >> 16);
	if ((conf_read(handle, REG_HEADER, 1) & 0x7F) == 0)	/* bridges: no BARs of ours */
		size_bars(d);
	d->irq = (uint8_t)conf_read(handle, REG_INTLINE, 1);
	d->pin = (uint8_t)conf_read(handle, REG_INTPIN, 1);
	if (!d->pin)
		d->irq = 255;
	printf("pci: %02x:%02x.%x %04x:%04x class %06x irq %d bar0 %08x/%x\n",
	    handle >> 8, (handle >> 3) & 31, handle & 7, d->vendor, d->device,
	    conf_read(handle, REG_CLASS, 4) >> 8, d->irq == 255 ? -1 : d->irq,
	    d->bar[0], d->size[0]);
}

/* Every bus, slot and function: simple, and at one config read per
 * absent slot quick enough to do once at start. */
static void enumerate(void)
{
	uint32_t bus, slot, fn, id;

	for (bus = 0; bus < 256; bus++)
		for (slot = 0; slot < 32; slot++) {
			uint32_t h = bus << 8 | slot << 3;
			if ((id = conf_read(h, REG_ID, 4)) == 0xFFFFFFFFu || (id & 0xFFFF) == 0xFFFF)
				continue;
			add_dev(h, id);
			if (!(conf_read(h, REG_HEADER, 1) & 0x80))
				continue;	/* not multi-function */
			for (fn = 1; fn < 8; fn++)
				if ((id = conf_read(h | fn, REG_ID, 4)) != 0xFFFFFFFFu &&
				    (id & 0xFFFF) != 0xFFFF)
					add_dev(h | fn, id);
		}
}

static int map_image(void)
{
	struct info_kernel k;
	uint64_t len;
	long r;

	if ((r = sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k))) < 0)
		return (int)r;
	len = (k.boot_image_size + 4095) & ~4095ul;
	if ((r = sys_mapphys(IMAGE_VA, k.boot_image_phys, len, PROT_R)) < 0)
		return (int)r;
	img = (const struct image_header *)IMAGE_VA;
	if (k.boot_image_size < sizeof(*img) || memcmp(img->magic, IMAGE_MAGIC, 8) ||
	    img->count > IMAGE_MAX ||
	    img->count * sizeof(struct image_entry) > k.boot_image_size - sizeof(*img))
		return -ENOEXEC;
	return 0;
}

/* The manifest the kernel enforces for `who`, or NULL. */
static const struct priv_spec *priv_of(endpoint_t who, char name[16])
{
	struct info_proc ip;

	name[0] = 0;
	if (who < 0 || sys_getinfo(INFO_PROC, (uint64_t)ENDPOINT_SLOT(who), &ip, sizeof(ip)) < 0 ||
	    ip.endpoint != who)
		return NULL;
	memcpy(name, ip.name, 16);
	name[15] = 0;
	if (ip.priv_id >= img->count || img->entry[ip.priv_id].kind != IMAGE_PROGRAM)
		return NULL;
	return &img->entry[ip.priv_id].priv;
}

static int may_reach(endpoint_t who, uint16_t vendor, uint16_t device)
{
	const struct priv_spec *p;
	char name[16];
	int i;

	if ((p = priv_of(who, name)))
		for (i = 0; i < p->npci && i < PRIV_MAX_PCI; i++)
			if (p->pci[i].vendor == vendor && p->pci[i].device == device)
				return 1;
	if (logged < LOG_MAX) {
		logged++;
		printf("pci: refused %s (endpoint %d) device %04x:%04x: not in its manifest\n",
		    name[0] ? name : "?", who, vendor, device);
	}
	return 0;
}

/*
 * Device drivers' manifests name their ports and IRQ line statically, and
 * firmware chose them: check at start that every manifest naming a
 * device present here grants exactly the device's I/O BARs and line, and
 * say which line to change when it does not (the kernel would refuse the
 * driver anyway, later and less clearly).
 */
static void check_manifests(void)
{
	uint32_t e, k, b;
	int i;

	for (e = 0; e < img->count; e++) {
		const struct priv_spec *p = &img->entry[e].priv;
		for (k = 0; k < p->npci && k < PRIV_MAX_PCI; k++)
			for (i = 0; i < ndevs; i++) {
				const struct dev *d = &devs[i];
				if (d->vendor != p->pci[k].vendor || d->device != p->pci[k].device)
					continue;
				for (b = 0; b < 6; b++) {
					uint32_t lo = d->bar[b] & ~3u, hi = lo + d->size[b] - 1, n, ok = 0;
					if (!(d->bar[b] & 1) || !d->size[b])
						continue;
					for (n = 0; n < p->nports && n < PRIV_MAX_PORTS; n++)
						ok |= p->ports[n].lo <= lo && hi <= p->ports[n].hi;
					if (!ok)
						printf("pci: manifest of %s does not grant %04x:%04x's BAR %u: ports 0x%x-0x%x\n",
						    img->entry[e].name, d->vendor, d->device, b, lo, hi);
				}
				if (d->irq < 16 && !((p->irqs >> d->irq) & 1))
					printf("pci: manifest of %s does not grant %04x:%04x's interrupt: irqs %u\n",
					    img->entry[e].name, d->vendor, d->device, d->irq);
			}
	}
}

static struct dev *by_handle(uint32_t h)
{
	int i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].handle == h)
			return &devs[i];
	return NULL;
}

static void do_find(struct contract_monitor *mon, const struct pci_msg *m)
{
	const struct pci_Find *f = &m->u.Find;
	uint32_t n = 0;
	int i;

	if (!may_reach(m->peer, f->vendor, f->device)) {
		pci_reply_Fail(mon, m->peer, -EPERM);
		return;
	}
	for (i = 0; i < ndevs; i++)
		if (devs[i].vendor == f->vendor && devs[i].device == f->device && n++ == f->index) {
			pci_reply_Found(mon, m->peer, devs[i].bar, devs[i].size,
			    devs[i].handle, devs[i].irq, devs[i].pin);
			return;
		}
	pci_reply_Fail(mon, m->peer, -ENODEV);
}

/* Writes below 0x40 could move a BAR over another device's ports or
 * reroute an interrupt: only the command register's own bits pass. */
static int write_allowed(const struct pci_WriteConf *w)
{
	if (w->reg >= 0x40)
		return 1;
	return w->reg == REG_COMMAND && w->width == 2 && !(w->value & ~CMD_CLIENT_BITS);
}

static void do_conf(struct contract_monitor *mon, const struct pci_msg *m)
{
	int write = m->type == PCI_WRITECONF;
	uint32_t h = write ? m->u.WriteConf.dev : m->u.ReadConf.dev;
	struct dev *d = by_handle(h);

	if (!d) {
		pci_reply_Fail(mon, m->peer, -ENODEV);
	} else if (!may_reach(m->peer, d->vendor, d->device)) {
		pci_reply_Fail(mon, m->peer, -EPERM);
	} else if (!write) {
		pci_reply_Value(mon, m->peer, conf_read(h, m->u.ReadConf.reg, m->u.ReadConf.width));
	} else if (!write_allowed(&m->u.WriteConf)) {
		printf("pci: refused write of %x to register 0x%x of %04x:%04x\n",
		    m->u.WriteConf.value, m->u.WriteConf.reg, d->vendor, d->device);
		pci_reply_Fail(mon, m->peer, -EPERM);
	} else {
		conf_write(h, m->u.WriteConf.reg, m->u.WriteConf.width, m->u.WriteConf.value);
		pci_reply_Value(mon, m->peer, 0);
	}
}

int main(void)
{
	static struct contract_monitor mon;
	struct pci_msg pm;
	message_t m;
	long r;

	driver_init_log();
	if ((r = sys_devio(DEVIO_IN32, CONF_DATA, 0)) == -EPERM || (r = map_image()) < 0) {
		printf("pci: cannot start: error %ld\n", r);
		return 1;
	}
	enumerate();
	check_manifests();
	pci_monitor_init(&mon, CONTRACT_SERVER);
	for (;;) {
		if ((r = ipc_receive(ANY, &m)) < 0) {
			printf("pci: receive failed: %ld\n", r);
			continue;
		}
		if (m.type == MSG_NOTIFY) {
			driver_heartbeat(&m);
			continue;
		}
		if (pci_accept(&mon, &m, &pm) < 0)
			continue;	/* refused, logged, sender told */
		if (pm.type == PCI_FIND)
			do_find(&mon, &pm);
		else
			do_conf(&mon, &pm);
	}
}
