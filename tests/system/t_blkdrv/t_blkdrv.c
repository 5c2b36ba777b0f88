/*
 * The virtio-blk driver itself, built with a probe that runs once the
 * device is up, inside the driver's process and under the driver's real
 * manifest (mk/drivers.mk makes build/tests/blk_virtio.svc from
 * etc/virtio-blk.svc, changing only the program): each reach past the
 * manifest must be refused with EPERM. Then the driver serves as usual.
 */
#include "../test.h"
#include <pci.h>

static void probe_privileges(void);
#define VIRTIO_BLK_AFTER_INIT probe_privileges
#include "../../../drivers/virtio-blk/main.c"
#include "../../../drivers/virtio-blk/driverlib.c"

static long pci_error(int e, const struct pci_msg *r)
{
	return e < 0 ? e : r->type == PCI_FAIL ? r->u.Fail.error : 0;
}

static void probe_privileges(void)
{
	endpoint_t test = lookup_endpoint("blktest");
	struct pci_msg r;
	message_t m;
	uint8_t b;

	check("vblk_own_ports_work", sys_devio(DEVIO_IN8, base + VIO_STATUS, 0) >= 0, 0);
	CHECK_EQ("vblk_port_past_its_bar_eperm", sys_devio(DEVIO_IN8, base + 0x80, 0), -EPERM);
	CHECK_EQ("vblk_pci_config_port_eperm", sys_devio(DEVIO_OUT32, 0xCF8, 0x80000000u), -EPERM);
	CHECK_EQ("vblk_serial_port_eperm", sys_devio(DEVIO_OUT8, 0x3F8, 'X'), -EPERM);
	CHECK_EQ("vblk_other_irq_eperm", sys_irqctl(IRQ_ATTACH, 10), -EPERM);
	/* blktest's grant 0 names another process: no grant for us. */
	CHECK_EQ("vblk_other_memory_without_grant_eperm",
	    sys_safecopy(SAFECOPY_FROM, test, 0, 0, &b, 1), -EPERM);
	CHECK_EQ("vblk_vcopy_not_in_manifest_eperm",
	    sys_vcopy(test, 0x400000, SELF, (uint64_t)&b, 1), -EPERM);
	CHECK_EQ("vblk_mapphys_not_in_manifest_eperm",
	    sys_mapphys(0x300000000ul, 0xB8000, 4096, PROT_R), -EPERM);
	memset(&m, 0, sizeof(m));
	CHECK_EQ("vblk_message_to_unrelated_server_eperm", ipc_sendrec(test, &m), -EPERM);
	/* Not blktest: it is our parent, whom a process may always notify
	 * (docs/ipc.md). A disk client is a real stranger to the driver. */
	CHECK_EQ("vblk_notify_unrelated_server_eperm", ipc_notify(lookup_endpoint("blkcli0")), -EPERM);
	CHECK_EQ("vblk_pci_other_device_eperm", pci_error(pci_call_Find(&pci_mon, pci_ep,
	    0x8086, 0x100e, 0, &r), &r), -EPERM);
	CHECK_EQ("vblk_pci_host_bridge_config_eperm", pci_error(pci_call_ReadConf(&pci_mon, pci_ep,
	    0, 0, 4, &r), &r), -EPERM);
	CHECK_EQ("vblk_pci_own_config_readable", pci_error(pci_call_ReadConf(&pci_mon, pci_ep,
	    pci_dev, 0, 4, &r), &r), 0);
	CHECK_EQ("vblk_pci_own_bar_write_eperm", pci_error(pci_call_WriteConf(&pci_mon, pci_ep,
	    pci_dev, 0xd000, 0x10, 4, &r), &r), -EPERM);
	CHECK_EQ("vblk_pci_own_irq_line_write_eperm", pci_error(pci_call_WriteConf(&pci_mon, pci_ep,
	    pci_dev, 5, 0x3c, 1, &r), &r), -EPERM);
}
