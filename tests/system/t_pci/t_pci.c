/*
 * The PCI bus driver without a disk: enumeration, and what a requester may
 * reach. This test's manifest names the host bridge (8086:1237) and a
 * device the machine does not have; everything else must be refused with
 * EPERM, and writes to the host bridge's header only touch the command
 * register's own bits.
 */
#include "../test.h"
#include <pci.h>

static struct contract_monitor mon;
static endpoint_t pci;

/* The answer as a number: a Fail's error, a Value's value, a Found's dev. */
static long ask(int e, const struct pci_msg *r)
{
	if (e < 0)
		return e;
	if (r->type == PCI_FAIL)
		return r->u.Fail.error;
	if (r->type == PCI_VALUE)
		return (long)r->u.Value.value;
	return (long)r->u.Found.dev;
}

int main(void)
{
	struct pci_msg r;
	long v, cmd;

	contract_log_hook = 0;	/* the refusals below are expected */
	pci_monitor_init(&mon, CONTRACT_CLIENT);
	pci = lookup_endpoint("pci");
	check("pci_driver_running", pci > 0, pci);

	CHECK_EQ("pci_find_named_device", ask(pci_call_Find(&mon, pci, 0x8086, 0x1237, 0, &r), &r), 0);
	CHECK_EQ("pci_find_named_device_has_no_irq", r.type == PCI_FOUND ? r.u.Found.irq : 0, 255);
	CHECK_EQ("pci_find_second_instance_enodev", ask(pci_call_Find(&mon, pci, 0x8086, 0x1237, 1, &r), &r), -ENODEV);
	CHECK_EQ("pci_find_named_absent_enodev", ask(pci_call_Find(&mon, pci, 0x1234, 0x5678, 0, &r), &r), -ENODEV);
	CHECK_EQ("pci_read_vendor_device", ask(pci_call_ReadConf(&mon, pci, 0, 0, 4, &r), &r), 0x12378086);
	CHECK_EQ("pci_read_device_16bit", ask(pci_call_ReadConf(&mon, pci, 0, 2, 2, &r), &r), 0x1237);
	CHECK_EQ("pci_read_class_8bit", ask(pci_call_ReadConf(&mon, pci, 0, 0x0B, 1, &r), &r), 6);

	CHECK_EQ("pci_find_unnamed_device_eperm", ask(pci_call_Find(&mon, pci, 0x8086, 0x7000, 0, &r), &r), -EPERM);
	CHECK_EQ("pci_read_unnamed_device_eperm", ask(pci_call_ReadConf(&mon, pci, 0x08, 0, 4, &r), &r), -EPERM);
	CHECK_EQ("pci_write_unnamed_device_eperm", ask(pci_call_WriteConf(&mon, pci, 0x08, 0, 0x04, 2, &r), &r), -EPERM);
	CHECK_EQ("pci_read_absent_slot_enodev", ask(pci_call_ReadConf(&mon, pci, 0xF8, 0, 4, &r), &r), -ENODEV);

	cmd = ask(pci_call_ReadConf(&mon, pci, 0, 0x04, 2, &r), &r);
	check("pci_read_command", cmd >= 0, cmd);
	CHECK_EQ("pci_write_command_bits_allowed", ask(pci_call_WriteConf(&mon, pci, 0, (uint32_t)cmd & 7, 0x04, 2, &r), &r), 0);
	CHECK_EQ("pci_write_command_other_bits_eperm", ask(pci_call_WriteConf(&mon, pci, 0, 0x100, 0x04, 2, &r), &r), -EPERM);
	CHECK_EQ("pci_write_bar_eperm", ask(pci_call_WriteConf(&mon, pci, 0, 0xFFFFFFFFu, 0x10, 4, &r), &r), -EPERM);
	CHECK_EQ("pci_write_vendor_id_eperm", ask(pci_call_WriteConf(&mon, pci, 0, 0, 0x00, 4, &r), &r), -EPERM);
	CHECK_EQ("pci_write_irq_line_eperm", ask(pci_call_WriteConf(&mon, pci, 0, 5, 0x3C, 1, &r), &r), -EPERM);
	v = ask(pci_call_ReadConf(&mon, pci, 0, 0, 4, &r), &r);
	CHECK_EQ("pci_identity_unchanged_after_refused_writes", v, 0x12378086);

	CHECK_EQ("pci_width_3_refused_by_contract", pci_call_ReadConf(&mon, pci, 0, 0, 3, &r), -EPROTO);
	CHECK_EQ("pci_unaligned_register_refused_by_contract", pci_call_ReadConf(&mon, pci, 0, 2, 4, &r), -EPROTO);
	CHECK_EQ("pci_register_past_256_refused_by_contract", pci_call_ReadConf(&mon, pci, 0, 254, 4, &r), -EPROTO);
	CHECK_EQ("pci_still_serving_after_refusals", ask(pci_call_ReadConf(&mon, pci, 0, 0, 2, &r), &r), 0x8086);
	tests_finish();
}
