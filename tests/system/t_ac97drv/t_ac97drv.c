/*
 * The AC'97 driver itself, built with a probe that runs once the device
 * is up, inside the driver's process and under the driver's real manifest
 * (mk/audio.mk makes build/tests/audio_ac97.svc from etc/ac97.svc,
 * changing only the program): each reach past the manifest must be
 * refused with EPERM. Then the driver serves the test (tests/system/
 * t_audio) as usual.
 */
#include "../test.h"
#include <pci.h>

static void probe_privileges(void);
#define AC97_AFTER_INIT probe_privileges
#include "../../../drivers/ac97/main.c"
#include "../../../drivers/ac97/driverlib.c"

static long pci_error(int e, const struct pci_msg *r)
{
	return e < 0 ? e : r->type == PCI_FAIL ? r->u.Fail.error : 0;
}

static void probe_privileges(void)
{
	endpoint_t test = lookup_endpoint("vfs"), echo = lookup_endpoint("echo");
	struct pci_msg r;
	message_t m;
	uint8_t b;

	check("ac97_priv_own_ports_work", sys_devio(DEVIO_IN16, nam + NAM_MASTER, 0) >= 0 &&
	    sys_devio(DEVIO_IN8, nabm + PO_CIV, 0) >= 0, 0);
	CHECK_EQ("ac97_priv_port_past_its_bars_eperm", sys_devio(DEVIO_IN8, nabm + 0x100, 0), -EPERM);
	CHECK_EQ("ac97_priv_port_below_its_bars_eperm", sys_devio(DEVIO_IN8, nam - 1, 0), -EPERM);
	CHECK_EQ("ac97_priv_pci_config_port_eperm", sys_devio(DEVIO_OUT32, 0xCF8, 0x80000000u), -EPERM);
	CHECK_EQ("ac97_priv_serial_port_eperm", sys_devio(DEVIO_OUT8, 0x3F8, 'X'), -EPERM);
	CHECK_EQ("ac97_priv_other_irq_eperm", sys_irqctl(IRQ_ATTACH, 10), -EPERM);
	CHECK_EQ("ac97_priv_serial_irq_eperm", sys_irqctl(IRQ_ATTACH, 4), -EPERM);
	/* the test's grant 0 names another process: no grant for us */
	CHECK_EQ("ac97_priv_other_memory_without_grant_eperm",
	    sys_safecopy(SAFECOPY_FROM, test, 0, 0, &b, 1), -EPERM);
	CHECK_EQ("ac97_priv_copy_between_two_others_eperm",
	    sys_vcopy(test, 0x400000, pci_ep, 0x400000, 1), -EPERM);
	CHECK_EQ("ac97_priv_mapphys_not_in_manifest_eperm",
	    sys_mapphys(0x300000000ul, 0xB8000, 4096, PROT_R), -EPERM);
	CHECK_EQ("ac97_priv_setpriv_not_in_manifest_eperm", sys_setpriv(test, 0, NULL), -EPERM);
	memset(&m, 0, sizeof(m));
	CHECK_EQ("ac97_priv_message_to_unrelated_server_eperm", ipc_sendrec(echo, &m), -EPERM);
	CHECK_EQ("ac97_priv_notify_unrelated_server_eperm", ipc_notify(echo), -EPERM);
	CHECK_EQ("ac97_priv_pci_other_device_eperm", pci_error(pci_call_Find(&pci_mon, pci_ep,
	    0x8086, 0x100e, 0, &r), &r), -EPERM);
	CHECK_EQ("ac97_priv_pci_disk_device_eperm", pci_error(pci_call_Find(&pci_mon, pci_ep,
	    0x1af4, 0x1001, 0, &r), &r), -EPERM);
	CHECK_EQ("ac97_priv_pci_host_bridge_config_eperm", pci_error(pci_call_ReadConf(&pci_mon,
	    pci_ep, 0, 0, 4, &r), &r), -EPERM);
	CHECK_EQ("ac97_priv_pci_own_config_readable", pci_error(pci_call_ReadConf(&pci_mon, pci_ep,
	    pci_dev, 0, 4, &r), &r), 0);
	CHECK_EQ("ac97_priv_pci_own_bar_write_eperm", pci_error(pci_call_WriteConf(&pci_mon, pci_ep,
	    pci_dev, 0xc500, 0x14, 4, &r), &r), -EPERM);
	CHECK_EQ("ac97_priv_pci_own_irq_line_write_eperm", pci_error(pci_call_WriteConf(&pci_mon,
	    pci_ep, pci_dev, 10, 0x3c, 1, &r), &r), -EPERM);
}
