/*
 * KC_EXIT	rdi=endpoint (SELF, or a child of the caller), rsi=status.
 *	Ends the process: its memory is freed and everyone waiting on it
 *	fails with EDEADSRCDST. A process ending itself becomes a zombie
 *	until its parent fetches the exit report with KC_GETEVENT; a child
 *	ended by its parent is gone at once. Any process may end itself.
 * KC_GETEVENT	rdi=struct fault_report buffer.
 *	Reports one child of the caller that has stopped on a fault
 *	(vector < 32; the child stays stopped until the parent ends it or
 *	restarts it with KC_SETREGS) or exited (vector EVENT_EXIT, error =
 *	status; the slot is then freed). Returns 1 with a report, 0 if none.
 */
#include "../proc.h"

int64_t do_exit(struct proc *p)
{
	struct proc *t, *parent;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	if (t != p) {
		proc_release(t);
		return 0;
	}
	parent = proc_lookup(p->parent, &err);
	proc_release(p);
	if (!parent)
		return KCALL_SUSPEND;
	/* Keep the slot as a zombie holding the report; the memory is gone. */
	p->rts = RTS_ZOMBIE;
	p->fault.endpoint = p->endpoint;
	p->fault.vector = EVENT_EXIT;
	p->fault.error = p->regs.rsi;
	p->fault.rip = p->regs.rip;
	p->fault.addr = 0;
	p->fault.tick = ticks;
	parent->sys_events |= 1;
	notify_from_kernel(parent, SYSTEM);
	return KCALL_SUSPEND;
}

int64_t do_getevent(struct proc *p)
{
	int i;

	for (i = 0; i < NR_SLOTS; i++) {
		struct proc *c = &procs[i];
		if (c->parent != p->endpoint)
			continue;
		if (c->rts == RTS_ZOMBIE ||
		    ((c->rts & RTS_FAULTED) && !(c->flags & PF_REPORTED))) {
			if (vm_copy_out(p->pml4, p->regs.rdi, &c->fault, sizeof(c->fault)))
				return -EFAULT;
			if (c->rts == RTS_ZOMBIE)
				c->rts = RTS_FREE;
			else
				c->flags |= PF_REPORTED;
			return 1;
		}
	}
	return 0;
}
