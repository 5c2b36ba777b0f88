/*
 * KC_SETPRIV	rdi=target (SELF or a child), rsi=privilege id (0..63),
 *		rdx=struct priv_spec address, or 0 to only move the target
 *		to an existing privilege id.
 *	For the reincarnation server: gives a service the privileges its
 *	manifest names. Priority and quantum take effect at once, and the
 *	target becomes the holder of the service: Linux system calls the
 *	service owns are routed to it (a restarted POSIX server).
 */
#include "../proc.h"

int64_t do_setpriv(struct proc *p)
{
	struct priv_spec spec;
	struct proc *t;
	uint64_t id = p->regs.rsi;
	int err, ready;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	if (id >= NR_PRIVS)
		return -EINVAL;
	/*
	 * What may change hands: a child may be moved to the shared user
	 * privileges; the caller may take back its own service; a child may be
	 * given a service's privileges (defined anew, or as they are) only if
	 * no other live process holds that service. The caller never raises
	 * its own privileges, and never rewrites the user set or its own.
	 */
	if (t == p && !(id == p->priv_id && !p->regs.rdx))
		return priv_refuse(p, "privileges for itself", (long)id);
	if (id == PRIV_USER && p->regs.rdx)
		return priv_refuse(p, "redefining user privileges", (long)id);
	if (t != p && id != PRIV_USER) {
		struct proc *h = proc_lookup(privs[id].holder, &err);
		if (id == p->priv_id || (h && h != t))
			return priv_refuse(p, "privileges of a live service", (long)id);
	}
	if (p->regs.rdx) {
		if (vm_copy_in(p->pml4, &spec, p->regs.rdx, sizeof(spec)))
			return -EFAULT;
		if (spec.priority >= NR_PRIORITIES || !spec.quantum)
			return -EINVAL;
		privs[id].spec = spec;
		privs[id].in_use = 1;
	} else if (!privs[id].in_use) {
		return -EINVAL;
	}
	ready = t->rts == 0;
	if (ready)
		sched_dequeue(t);
	proc_set_priv(t, (uint32_t)id);
	proc_take_service(t);
	if (ready)
		sched_enqueue(t);
	return 0;
}
