/*
 * KC_FORK	rdi=endpoint to copy (SELF or a child of the caller),
 *		rsi=flags: FORK_STOPPED leaves the copy stopped until the
 *		caller starts it with KC_SETREGS; FORK_EMPTY copies no memory
 *		(a new process for the caller to fill, e.g. a restarted service;
 *		requires FORK_STOPPED).
 *	Creates a new process with a copy of the address space, registers,
 *	FPU and TLS state, privileges and name; it returns 0 from the call
 *	that the original was making (rax = 0) and does not inherit any IPC
 *	state. Its parent (who gets its fault reports) is the caller.
 *	Returns the new endpoint, or ENOMEM / EAGAIN (no free slot).
 */
#include "../proc.h"

int64_t do_fork(struct proc *p)
{
	struct proc *src, *c;
	int err;

	if (!(src = kcall_target(p, p->regs.rdi, &err)))
		return err;
	if (!(c = proc_alloc(src->name, p->endpoint)))
		return -EAGAIN;
	if ((p->regs.rsi & ~(uint64_t)(FORK_STOPPED | FORK_EMPTY)) ||
	    (p->regs.rsi & (FORK_STOPPED | FORK_EMPTY)) == FORK_EMPTY) {
		proc_release(c);
		return -EINVAL;
	}
	if (!(p->regs.rsi & FORK_EMPTY) && as_copy(c->pml4, src->pml4)) {
		proc_release(c);
		return -ENOMEM;
	}
	if (src == current)
		fxsave(src->fpu);	/* its live FPU registers, not a stale copy */
	kmemcpy(&c->regs, &src->regs, sizeof(c->regs));
	kmemcpy(c->fpu, src->fpu, sizeof(c->fpu));
	c->regs.rax = 0;
	c->fs_base = src->fs_base;
	proc_set_priv(c, src->priv_id);
	if (!(p->regs.rsi & FORK_STOPPED)) {
		c->rts = 0;
		sched_enqueue(c);
	}
	return c->endpoint;
}
