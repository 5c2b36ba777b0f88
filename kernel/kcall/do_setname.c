/*
 * KC_SETNAME	rdi=target (SELF or a child), rsi=NUL-terminated name.
 *	Names the process in kernel logs, fault reports and KC_GETINFO (the
 *	process manager names each program after its executable). At most
 *	15 characters are kept.
 */
#include "../proc.h"

int64_t do_setname(struct proc *p)
{
	char name[16] = { 0 };
	struct proc *t;
	uint64_t i, va = p->regs.rsi;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	for (i = 0; i < sizeof(name) - 1; i++) {
		if (vm_copy_in(p->pml4, &name[i], va + i, 1))
			return -EFAULT;
		if (!name[i])
			break;
	}
	name[i] = 0;
	kmemcpy(t->name, name, sizeof(name));
	return 0;
}
