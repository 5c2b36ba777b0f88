/*
 * The RTC, memory, printer and terminal drivers' manifests, probed from
 * inside: this program runs four times, each under a copy of one driver's real
 * manifest (build/tests/dev_*p.svc, made by mk/devices.mk from the etc/ manifests
 * changing only the service and program lines), and reaches past it:
 * another port, an IRQ line, a server it has no business with, another
 * process's memory without a grant. Each must be EPERM. The supervisor
 * (t_devsup) is its parent and waits for it to end. A process may always
 * notify its parent (docs/ipc.md), so the notification probe aims at
 * dev_stranger, the same program under a manifest of its own that only
 * waits: a live process that is neither parent nor target of any ipc line.
 */
#include "../test.h"

static void refused_common(const char *d)
{
	char n[64];
	endpoint_t sup = lookup_endpoint("devsup"), stranger = lookup_endpoint("dev_stranger");
	message_t m = { 0 };
	uint8_t b[16];

	snprintf(n, sizeof(n), "%s_priv_irq_refused", d);
	CHECK_EQ(n, sys_irqctl(IRQ_ATTACH, 7), -EPERM);
	snprintf(n, sizeof(n), "%s_priv_irq_timer_refused", d);
	check(n, sys_irqctl(IRQ_ATTACH, 8) < 0, sys_irqctl(IRQ_ATTACH, 8));
	snprintf(n, sizeof(n), "%s_priv_notify_unrelated_server_refused", d);
	CHECK_EQ(n, ipc_notify(stranger), -EPERM);
	snprintf(n, sizeof(n), "%s_priv_sendrec_unrelated_server_refused", d);
	CHECK_EQ(n, ipc_sendrec(sup, &m), -EPERM);
	snprintf(n, sizeof(n), "%s_priv_other_memory_without_grant_refused", d);
	check(n, sys_safecopy(SAFECOPY_FROM, sup, 0, 0, b, sizeof(b)) < 0,
	    sys_safecopy(SAFECOPY_FROM, sup, 0, 0, b, sizeof(b)));
}

/* The terminal's ports: none of the other drivers may touch them. */
static void refused_console_ports(const char *d)
{
	char n[64];

	snprintf(n, sizeof(n), "%s_priv_com1_port_refused", d);
	CHECK_EQ(n, sys_devio(DEVIO_IN8, 0x3f8, 0), -EPERM);
	snprintf(n, sizeof(n), "%s_priv_keyboard_port_refused", d);
	CHECK_EQ(n, sys_devio(DEVIO_IN8, 0x60, 0), -EPERM);
}

#define PROBE_VA	0x300000000ul

/* The terminal driver's manifest: COM1, the keyboard controller, the
 * VGA's CRT controller and one page of text memory; nothing around them. */
static void probe_tty(void)
{
	long v;

	v = sys_devio(DEVIO_IN8, 0x3fd, 0);
	check("tty_priv_com1_port_works", v >= 0 && v <= 255, v);
	v = sys_devio(DEVIO_IN8, 0x64, 0);
	check("tty_priv_keyboard_status_port_works", v >= 0 && v <= 255, v);
	CHECK_EQ("tty_priv_crtc_port_works", sys_devio(DEVIO_OUT8, 0x3d4, 0x0f), 0);
	CHECK_EQ("tty_priv_com2_port_refused", sys_devio(DEVIO_IN8, 0x2fd, 0), -EPERM);
	CHECK_EQ("tty_priv_speaker_port_between_refused", sys_devio(DEVIO_IN8, 0x61, 0), -EPERM);
	CHECK_EQ("tty_priv_port_past_keyboard_refused", sys_devio(DEVIO_IN8, 0x65, 0), -EPERM);
	CHECK_EQ("tty_priv_vga_attribute_port_refused", sys_devio(DEVIO_IN8, 0x3c0, 0), -EPERM);
	CHECK_EQ("tty_priv_port_past_crtc_refused", sys_devio(DEVIO_IN8, 0x3d6, 0), -EPERM);
	CHECK_EQ("tty_priv_com1_irq_works", sys_irqctl(IRQ_ATTACH, 4), 0);
	CHECK_EQ("tty_priv_keyboard_irq_works", sys_irqctl(IRQ_ATTACH, 1), 0);
	CHECK_EQ("tty_priv_com2_irq_refused", sys_irqctl(IRQ_ATTACH, 3), -EPERM);
	sys_irqctl(IRQ_DETACH, 4);
	sys_irqctl(IRQ_DETACH, 1);
	CHECK_EQ("tty_priv_text_memory_works",
	    sys_mapphys(PROBE_VA, 0xb8000, 4096, PROT_R | PROT_W), 0);
	CHECK_EQ("tty_priv_memory_past_text_page_refused",
	    sys_mapphys(PROBE_VA + 4096, 0xb9000, 4096, PROT_R), -EPERM);
	CHECK_EQ("tty_priv_vga_graphics_memory_refused",
	    sys_mapphys(PROBE_VA + 8192, 0xa0000, 4096, PROT_R), -EPERM);
	refused_common("tty");
}

int main(endpoint_t self, const char *name)
{
	message_t m;
	long v;

	(void)self;
	if (!strcmp(name, "dev_stranger")) {
		for (;;)
			ipc_receive(ANY, &m);
	} else if (!strcmp(name, "dev_rtcp")) {
		v = sys_devio(DEVIO_OUT8, 0x70, 0x0a);
		check("rtc_priv_own_port_works", v >= 0 && sys_devio(DEVIO_IN8, 0x71, 0) >= 0, v);
		CHECK_EQ("rtc_priv_printer_port_refused", sys_devio(DEVIO_IN8, 0x379, 0), -EPERM);
		refused_common("rtc");
		refused_console_ports("rtc");
	} else if (!strcmp(name, "dev_memoryp")) {
		CHECK_EQ("memory_priv_any_port_refused", sys_devio(DEVIO_IN8, 0x71, 0), -EPERM);
		refused_common("memory");
		refused_console_ports("memory");
	} else if (!strcmp(name, "dev_lptp")) {
		v = sys_devio(DEVIO_IN8, 0x379, 0);
		check("lpt_priv_own_port_works", v >= 0 && v <= 255, v);
		CHECK_EQ("lpt_priv_port_past_range_refused", sys_devio(DEVIO_IN8, 0x37b, 0), -EPERM);
		CHECK_EQ("lpt_priv_rtc_port_refused", sys_devio(DEVIO_IN8, 0x71, 0), -EPERM);
		refused_common("lpt");
		refused_console_ports("lpt");
	} else if (!strcmp(name, "dev_ttyp")) {
		probe_tty();
	} else {
		check("devprobe_known_name", 0, 0);
	}
	return 0;
}
