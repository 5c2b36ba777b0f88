/*
 * A PCI device driver's start: ask the PCI bus driver (drivers/pci,
 * contracts/pci.contract) for the device its manifest names and switch
 * on what it needs in the command register. Header-only: include it in a
 * driver whose CONTRACTS lists pci. docs/writing-a-driver.md.
 */
#ifndef LIB_DRIVER_PCIDEV_H
#define LIB_DRIVER_PCIDEV_H

#include "driver.h"
#include <pci.h>

#define PCI_CMD_IO		0x1
#define PCI_CMD_MEMORY		0x2
#define PCI_CMD_BUS_MASTER	0x4

/* Order our stores to DMA memory before the device is told of them (a
 * descriptor before the doorbell, a status before the data it covers). */
static inline void dma_barrier(void)
{
	__asm__ volatile("mfence" ::: "memory");
}

/*
 * Find vendor:device through the PCI driver (its endpoint into *ep, the
 * monitor mon initialised here), then set the `enable` bits of its
 * command register, keeping the INTx-disable and existing enable bits.
 * On success *found holds the BARs, sizes, IRQ line (a legacy one,
 * 0-15) and the handle for later configuration calls. 0 or -errno.
 */
static inline int pcidev_claim(struct contract_monitor *mon, endpoint_t *ep, uint16_t vendor,
    uint16_t device, uint16_t enable, struct pci_Found *found)
{
	struct pci_msg r;
	int e;

	pci_monitor_init(mon, CONTRACT_CLIENT);
	if ((*ep = lookup_endpoint("pci")) < 0)
		return -ENODEV;
	if ((e = pci_call_Find(mon, *ep, vendor, device, 0, &r)) < 0)
		return e;
	if (r.type != PCI_FOUND)
		return r.u.Fail.error;
	if (r.u.Found.irq > 15)
		return -ENXIO;
	*found = r.u.Found;
	if ((e = pci_call_ReadConf(mon, *ep, found->dev, 0x04, 2, &r)) < 0)
		return e;
	if (r.type != PCI_VALUE)
		return r.u.Fail.error;
	if ((e = pci_call_WriteConf(mon, *ep, found->dev, (r.u.Value.value & 0x407) | enable,
	    0x04, 2, &r)) < 0)
		return e;
	return r.type == PCI_VALUE ? 0 : r.u.Fail.error;
}

#endif
