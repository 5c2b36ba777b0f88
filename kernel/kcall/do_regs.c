/*
 * KC_SETREGS	rdi=target (a child of the caller), rsi=struct user_regs.
 *	Sets the registers and starts the process if it was stopped (just
 *	created, or stopped on a fault: how the process manager runs a
 *	signal handler or a fresh exec image), or blocked waiting for the
 *	caller's reply, whose wait it ends (exec: the new image starts
 *	instead of an answer). rip and rsp must be user
 *	addresses; rflags keeps only the arithmetic flags, with interrupts
 *	on and I/O privilege 0.
 * KC_GETREGS	rdi=target (SELF or a child), rsi=struct user_regs buffer.
 */
#include "../proc.h"

/* CF PF AF ZF SF DF OF: the flags a user may set */
#define RFLAGS_USER	0xCD5

int64_t do_setregs(struct proc *p)
{
	struct user_regs u;
	struct proc *t;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	if (t == p)
		return -EINVAL;
	if (vm_copy_in(p->pml4, &u, p->regs.rsi, sizeof(u)))
		return -EFAULT;
	if (u.rip >= USER_TOP || u.rsp >= USER_TOP || u.fs_base >= USER_TOP)
		return -EINVAL;
	if (t->rts & (RTS_SENDING | RTS_RECEIVING)) {
		if (!ipc_awaits_reply(t, p))
			return -EBUSY;
		proc_block(t, RTS_STOPPED);
		ipc_abort(t);
	}
	t->regs.rax = u.rax, t->regs.rbx = u.rbx, t->regs.rcx = u.rcx;
	t->regs.rdx = u.rdx, t->regs.rsi = u.rsi, t->regs.rdi = u.rdi;
	t->regs.rbp = u.rbp, t->regs.rsp = u.rsp;
	t->regs.r8 = u.r8, t->regs.r9 = u.r9, t->regs.r10 = u.r10;
	t->regs.r11 = u.r11, t->regs.r12 = u.r12, t->regs.r13 = u.r13;
	t->regs.r14 = u.r14, t->regs.r15 = u.r15;
	t->regs.rip = u.rip;
	t->regs.rflags = (u.rflags & RFLAGS_USER) | RFLAGS_IF;
	t->regs.cs = USER_CS;
	t->regs.ss = USER_DS;
	t->fs_base = u.fs_base;
	t->flags &= ~PF_REPORTED;
	proc_unblock(t, RTS_STOPPED | RTS_FAULTED);
	return 0;
}

int64_t do_getregs(struct proc *p)
{
	struct user_regs u;
	struct proc *t;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	u.rax = t->regs.rax, u.rbx = t->regs.rbx, u.rcx = t->regs.rcx;
	u.rdx = t->regs.rdx, u.rsi = t->regs.rsi, u.rdi = t->regs.rdi;
	u.rbp = t->regs.rbp, u.rsp = t->regs.rsp;
	u.r8 = t->regs.r8, u.r9 = t->regs.r9, u.r10 = t->regs.r10;
	u.r11 = t->regs.r11, u.r12 = t->regs.r12, u.r13 = t->regs.r13;
	u.r14 = t->regs.r14, u.r15 = t->regs.r15;
	u.rip = t->regs.rip, u.rflags = t->regs.rflags, u.fs_base = t->fs_base;
	if (vm_copy_out(p->pml4, p->regs.rsi, &u, sizeof(u)))
		return -EFAULT;
	return 0;
}
