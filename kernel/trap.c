/*
 * Every way into the kernel from user mode ends here: the syscall
 * instruction (IPC, kernel calls, Linux system calls) and interrupts and
 * exceptions. Each handler leaves through resume_user.
 */
#include "proc.h"

void handle_syscall(void)
{
	struct proc *p = current;
	uint64_t nr = p->regs.rax;
	int64_t r;

	if (nr >= KCALL_BASE && nr < KCALL_BASE + NR_KCALLS)
		r = kcall_dispatch(p, (unsigned)(nr - KCALL_BASE));
	else if (nr >= IPC_BASE && nr < IPC_BASE + IPC_NR_PRIMITIVES)
		r = ipc_call(p, (int)(nr - IPC_BASE));
	else if (nr < IPC_BASE)
		r = linux_syscall(p);
	else
		r = -ENOSYS;
	if (r != KCALL_SUSPEND && current == p)
		p->regs.rax = (uint64_t)r;
	resume_user();
}

void handle_trap(void)
{
	struct proc *p = current;
	uint64_t v = p->regs.vector;

	if (v >= 32 && v < 48)
		irq_handle((int)(v - 32));
	else
		proc_fault(p, v, p->regs.error, v == 14 ? read_cr2() : 0);
	resume_user();
}

/* A trap while in the kernel: an interrupt during idle, or a kernel bug. */
void handle_kernel_trap(struct regs *r)
{
	if (r->vector >= 32 && r->vector < 48) {
		irq_handle((int)(r->vector - 32));
		return;
	}
	panic("exception %lu in kernel at rip %lx, err %lx, cr2 %lx",
	    r->vector, r->rip, r->error, read_cr2());
}
