/*
 * Privileges: every check the kernel makes against a manifest, granted
 * (works) and not granted (EPERM): kernel calls, IPC targets, primitives,
 * I/O ports, IRQ lines, physical memory, and control of other processes.
 * The granted IRQ is shown delivering hardware interrupts as notifications,
 * with the RTC's periodic interrupt.
 */
#include "../test.h"
#include <bulkhead/image.h>

#define RTC_INDEX	0x70
#define RTC_DATA	0x71

static int rtc_read(int reg)
{
	sys_devio(DEVIO_OUT8, RTC_INDEX, (uint32_t)reg);
	return (int)sys_devio(DEVIO_IN8, RTC_DATA, 0);
}

static void rtc_write(int reg, int v)
{
	sys_devio(DEVIO_OUT8, RTC_INDEX, (uint32_t)reg);
	sys_devio(DEVIO_OUT8, RTC_DATA, (uint32_t)v);
}

static void test_irq(void)
{
	message_t m;
	int b, got = 0, i;

	CHECK_EQ("priv_irq_ungranted_refused", sys_irqctl(IRQ_ATTACH, 4), -EPERM);
	CHECK_EQ("priv_irq_clock_never_granted", sys_irqctl(IRQ_ATTACH, 0), -EINVAL);
	CHECK_EQ("priv_irq_granted_attach", sys_irqctl(IRQ_ATTACH, 8), 0);
	b = rtc_read(0x0B);
	rtc_write(0x0B, b | 0x40);		/* periodic interrupt on */
	rtc_read(0x0C);				/* clear anything pending */
	for (i = 0; i < 3; i++) {
		if (ipc_receive(HARDWARE, &m) != 0 || m.source != HARDWARE ||
		    m.type != MSG_NOTIFY || !(m.u.q[0] & (1 << 8)))
			break;
		rtc_read(0x0C);			/* acknowledge at the device */
		if (sys_irqctl(IRQ_ENABLE, 8) != 0)
			break;
		got++;
	}
	rtc_write(0x0B, b & ~0x40);
	rtc_read(0x0C);
	CHECK_EQ("irq_arrives_as_hardware_notification_repeatedly", got, 3);
	CHECK_EQ("priv_irq_detach", sys_irqctl(IRQ_DETACH, 8), 0);
}

static void test_ports(void)
{
	long a = sys_devio(DEVIO_IN8, RTC_DATA, 0);

	check("priv_port_granted_works", a >= 0 && a <= 255, a);
	CHECK_EQ("priv_port_ungranted_refused_in", sys_devio(DEVIO_IN8, 0x60, 0), -EPERM);
	CHECK_EQ("priv_port_ungranted_refused_out_com1", sys_devio(DEVIO_OUT8, 0x3F8, 'X'), -EPERM);
	CHECK_EQ("priv_port_access_straddling_range_refused", sys_devio(DEVIO_IN16, RTC_DATA, 0), -EPERM);
	CHECK_EQ("priv_port_bad_operation_einval", sys_devio(99, RTC_DATA, 0), -EINVAL);
}

static void test_memory(void)
{
	CHECK_EQ("priv_mapphys_granted_works", sys_mapphys(0x10000000, 0xB8000, 4096, PROT_R | PROT_W), 0);
	(void)*(volatile uint8_t *)0x10000000;
	CHECK_EQ("priv_mapphys_outside_range_refused", sys_mapphys(0x10001000, 0xB9000, 4096, PROT_R), -EPERM);
	CHECK_EQ("priv_mapphys_kernel_memory_refused", sys_mapphys(0x10001000, 0x100000, 4096, PROT_R), -EPERM);
	CHECK_EQ("priv_mapphys_straddling_range_refused", sys_mapphys(0x10001000, 0xB8000, 8192, PROT_R), -EPERM);
	CHECK_EQ("priv_mapphys_huge_length_refused", sys_mapphys(0x10001000, 0xB8000, ~0ul - 4095, PROT_R), -EPERM);
	CHECK_EQ("priv_map_kcall_not_granted", sys_map(SELF, 0x10002000, 4096, PROT_R), -EPERM);

	/* Device memory is never a message buffer: EFAULT, not a kernel fault. */
	message_t *dev = (message_t *)0x10000000;
	CHECK_EQ("priv_device_memory_as_message_buffer_efault", ipc_sendrec(lookup_endpoint("echo"), dev), -EFAULT);

	/* The boot image, read-only, and not one byte beyond it. */
	struct info_kernel ik;
	uint64_t len;
	sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik));
	len = (ik.boot_image_size + 4095) & ~4095ul;
	CHECK_EQ("priv_bootimage_map_read_only", sys_mapphys(0x11000000, ik.boot_image_phys, len, PROT_R), 0);
	CHECK_EQ("priv_bootimage_content", memcmp((void *)0x11000000, IMAGE_MAGIC, 8), 0);
	CHECK_EQ("priv_bootimage_writable_refused", sys_mapphys(0x12000000, ik.boot_image_phys, 4096, PROT_R | PROT_W), -EPERM);
	CHECK_EQ("priv_bootimage_one_page_past_refused", sys_mapphys(0x12000000, ik.boot_image_phys, len + 4096, PROT_R), -EPERM);
	CHECK_EQ("priv_bootimage_far_address_refused", sys_mapphys(0x12000000, ik.boot_image_phys + (64ul << 20), 4096, PROT_R), -EPERM);
}

static void test_calls_and_ipc(void)
{
	endpoint_t echo = lookup_endpoint("echo"), prober = lookup_endpoint("prober");
	message_t m;

	CHECK_EQ("priv_kcall_outside_bitmap_fork", sys_fork(SELF), -EPERM);
	CHECK_EQ("priv_kcall_outside_bitmap_setpriv", sys_setpriv(SELF, 1, 0), -EPERM);
	CHECK_EQ("priv_kcall_outside_bitmap_dma", kcall(KC_DMA, DMA_PHYS, 0x400000, 0, 0, 0, 0), -EPERM);
	CHECK_EQ("priv_kcall_outside_bitmap_vcopy", sys_vcopy(SELF, 0, SELF, 0, 0), -EPERM);
	CHECK_EQ("priv_kcall_unknown_number_enosys", trap6(KCALL_BASE + NR_KCALLS, 0, 0, 0, 0, 0, 0), -ENOSYS);
	CHECK_EQ("priv_unknown_trap_number_enosys", trap6(0x7777, 0, 0, 0, 0, 0, 0), -ENOSYS);
	memset(&m, 0, sizeof(m));
	CHECK_EQ("priv_ipc_target_in_mask_works", ipc_sendrec(echo, &m), 0);
	CHECK_EQ("priv_ipc_target_outside_mask_refused", ipc_sendrec(prober, &m), -EPERM);
	CHECK_EQ("priv_notify_outside_mask_refused", ipc_notify(prober), -EPERM);
	CHECK_EQ("priv_primitive_send_not_granted", ipc_send(echo, &m), -EPERM);
	CHECK_EQ("priv_primitive_sendnb_not_granted", ipc_sendnb(echo, &m), -EPERM);
}

static void test_prober(void)
{
	static const char *const names[] = {
		"", "priv_exit_of_non_child_refused", "priv_map_into_non_child_refused",
		"priv_getregs_of_non_child_refused", "priv_prober_ipc_outside_mask_refused",
		"priv_writable_executable_mapping_refused",
	};
	message_t m;
	int n = 0;

	/* The prober's last report (type 0) is left unanswered: it stays
	 * blocked, which is harmless, and we need no send primitive. */
	if (ipc_receive(ANY, &m) == 0)
		while (m.type > 0 && m.type <= 5) {
			CHECK_EQ(names[m.type], (long)m.u.q[0], -EPERM);
			n++;
			if (ipc_replyrecv(m.source, &m, ANY) != 0)
				break;
			while (m.type == MSG_NOTIFY && ipc_receive(ANY, &m) == 0)
				;
		}
	CHECK_EQ("priv_prober_reported_all", n, 5);
}

int main(void)
{
	test_calls_and_ipc();
	test_ports();
	test_memory();
	test_irq();
	test_prober();
	tests_finish();
}
