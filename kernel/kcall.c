/*
 * Kernel-call dispatch: the privilege check comes first, for every call.
 * Each call lives in its own file under kcall/ with its contract on top.
 */
#include "proc.h"

#define KCALL_DECL(n, up, low) int64_t do_##low(struct proc *p);
KCALL_LIST(KCALL_DECL)
#define KCALL_ENTRY(n, up, low) [n] = do_##low,
static int64_t (*const kcall_table[NR_KCALLS])(struct proc *) = {
	KCALL_LIST(KCALL_ENTRY)
};

int64_t kcall_dispatch(struct proc *p, unsigned nr)
{
	int self_exit = nr == KC_EXIT && (endpoint_t)p->regs.rdi == SELF;

	if (!((priv_of(p)->kcalls >> nr) & 1) && !self_exit)
		return priv_refuse(p, "kernel call", nr);
	return kcall_table[nr](p);
}

/* Resolve a kernel-call target: SELF, or a process the caller is the parent
 * of (the memory owner manages its children, RS its services). */
struct proc *kcall_target(struct proc *p, uint64_t arg, int *err)
{
	struct proc *t;

	if ((endpoint_t)arg == SELF && arg == 0)
		return p;
	if ((uint64_t)(int64_t)(endpoint_t)arg != arg) {
		*err = -EINVAL;
		return NULL;
	}
	if (!(t = proc_lookup((endpoint_t)arg, err)))
		return NULL;
	if (t != p && t->parent != p->endpoint) {
		*err = priv_refuse(p, "control of endpoint", t->endpoint);
		return NULL;
	}
	return t;
}
