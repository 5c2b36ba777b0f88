/*
 * The RTC, memory and printer drivers' manifests, probed from inside:
 * this program runs three times, each under a copy of one driver's real
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
	snprintf(n, sizeof(n), "%s_priv_com1_port_refused", d);
	CHECK_EQ(n, sys_devio(DEVIO_IN8, 0x3f8, 0), -EPERM);
	snprintf(n, sizeof(n), "%s_priv_keyboard_port_refused", d);
	CHECK_EQ(n, sys_devio(DEVIO_IN8, 0x60, 0), -EPERM);
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
	} else if (!strcmp(name, "dev_memoryp")) {
		CHECK_EQ("memory_priv_any_port_refused", sys_devio(DEVIO_IN8, 0x71, 0), -EPERM);
		refused_common("memory");
	} else if (!strcmp(name, "dev_lptp")) {
		v = sys_devio(DEVIO_IN8, 0x379, 0);
		check("lpt_priv_own_port_works", v >= 0 && v <= 255, v);
		CHECK_EQ("lpt_priv_port_past_range_refused", sys_devio(DEVIO_IN8, 0x37b, 0), -EPERM);
		CHECK_EQ("lpt_priv_rtc_port_refused", sys_devio(DEVIO_IN8, 0x71, 0), -EPERM);
		refused_common("lpt");
	} else {
		check("devprobe_known_name", 0, 0);
	}
	return 0;
}
