/*
 * The virtio-net driver itself, built with a probe that runs once the
 * device is up, inside the driver's process and under the driver's real
 * manifest (mk/net.mk makes build/tests/vnet_probe.svc from
 * etc/virtio-net.svc, changing only the program): each reach past the
 * manifest must be refused with EPERM. Then the driver serves as usual
 * (tests/run.d/70-net.sh boots it in the real system in e1000's place and
 * collects these lines from the console).
 */
#include "../test.h"

static void probe_privileges(void);
#define VIRTIO_NET_AFTER_INIT probe_privileges
#include "../../../drivers/virtio-net/main.c"
#include "../../../drivers/virtio-net/driverlib.c"

static long pci_error(int e, const struct pci_msg *r)
{
	return e < 0 ? e : r->type == PCI_FAIL ? r->u.Fail.error : 0;
}

static void probe_privileges(void)
{
	struct contract_monitor mon;
	endpoint_t pci = lookup_endpoint("pci");
	struct pci_msg r;
	message_t m;
	uint8_t b;

	pci_monitor_init(&mon, CONTRACT_CLIENT);
	check("vnet_own_ports_work", sys_devio(DEVIO_IN8, base + VIO_STATUS, 0) >= 0, 0);
	CHECK_EQ("vnet_port_past_its_bar_eperm", sys_devio(DEVIO_IN8, base + 0x20, 0),
	    -EPERM);
	CHECK_EQ("vnet_disk_ports_eperm", sys_devio(DEVIO_IN8, 0xc500 + VIO_STATUS, 0), -EPERM);
	CHECK_EQ("vnet_pci_config_port_eperm", sys_devio(DEVIO_OUT32, 0xCF8, 0x80000000u), -EPERM);
	CHECK_EQ("vnet_serial_port_eperm", sys_devio(DEVIO_OUT8, 0x3F8, 'X'), -EPERM);
	CHECK_EQ("vnet_other_irq_eperm", sys_irqctl(IRQ_ATTACH, 11), -EPERM);
	CHECK_EQ("vnet_vcopy_not_in_manifest_eperm",
	    sys_vcopy(lookup_endpoint("vfs"), 0x400000, SELF, (uint64_t)&b, 1), -EPERM);
	CHECK_EQ("vnet_mapphys_not_in_manifest_eperm",
	    sys_mapphys(0x300000000ul, 0xB8000, 4096, PROT_R), -EPERM);
	memset(&m, 0, sizeof(m));
	CHECK_EQ("vnet_message_to_vfs_eperm", ipc_sendrec(lookup_endpoint("vfs"), &m), -EPERM);
	CHECK_EQ("vnet_notify_disk_driver_eperm", ipc_notify(lookup_endpoint("virtio-blk")), -EPERM);
	CHECK_EQ("vnet_pci_other_device_eperm", pci_error(pci_call_Find(&mon, pci,
	    0x8086, 0x100e, 0, &r), &r), -EPERM);
	CHECK_EQ("vnet_pci_own_bar_write_eperm", pci_error(pci_call_WriteConf(&mon, pci,
	    pdev.dev, 0xd000, 0x10, 4, &r), &r), -EPERM);
}
