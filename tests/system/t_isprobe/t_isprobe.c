/*
 * IS's manifest (etc/is.svc), probed from inside. Two roles by name:
 * is_probe runs under a copy of IS's real manifest (build/tests/
 * is_probe.svc, mk/is.mk: only the service and program lines changed, the
 * serves line dropped) and checks that what IS needs works and that the
 * rest is refused; is_sup, its parent, waits for it to end and powers off.
 */
#include "../test.h"

static void probe(void)
{
	endpoint_t sup = lookup_endpoint("is_sup");
	struct info_kernel ik;
	struct priv_spec ps;
	message_t m = { 0 };
	uint8_t b[16];

	CHECK_EQ("is_priv_getinfo_kernel_works", sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik)),
	    sizeof(ik));
	CHECK_EQ("is_priv_getinfo_privileges_works", sys_getinfo(INFO_PRIV, 0, &ps, sizeof(ps)),
	    sizeof(ps));
	CHECK_EQ("is_priv_getinfo_unused_priv_esrch", sys_getinfo(INFO_PRIV, NR_PRIVS, &ps,
	    sizeof(ps)), -ESRCH);
	/* IS copies only under a grant: no grant, no copy; no KC_VCOPY at all */
	check("is_priv_safecopy_without_grant_refused",
	    sys_safecopy(SAFECOPY_FROM, sup, 0, 0, b, sizeof(b)) < 0,
	    sys_safecopy(SAFECOPY_FROM, sup, 0, 0, b, sizeof(b)));
	CHECK_EQ("is_priv_vcopy_refused", sys_vcopy(sup, 0x400000, SELF, (uint64_t)b, 1), -EPERM);
	CHECK_EQ("is_priv_setgrant_refused", sys_setgrant(NULL, 0), -EPERM);
	CHECK_EQ("is_priv_port_refused", sys_devio(DEVIO_IN8, 0x70, 0), -EPERM);
	CHECK_EQ("is_priv_irq_refused", sys_irqctl(IRQ_ATTACH, 7), -EPERM);
	CHECK_EQ("is_priv_setpriv_refused", sys_setpriv(SELF, 0, 0), -EPERM);
	CHECK_EQ("is_priv_fork_refused", sys_fork_flags(SELF, FORK_STOPPED), -EPERM);
	/* it answers VFS's calls; it never calls anyone */
	CHECK_EQ("is_priv_sendrec_refused", ipc_sendrec(sup, &m), -EPERM);
}

int main(endpoint_t self, const char *name)
{
	struct fault_report fr;

	(void)self;
	if (!strcmp(name, "is_probe")) {
		probe();
		return 0;
	}
	CHECK_EQ("is_probe_ended", wait_child_event(&fr), 0);
	CHECK_EQ("is_probe_exit_status", fr.vector == EVENT_EXIT ? (long)fr.error : -1, 0);
	tests_finish();
}
