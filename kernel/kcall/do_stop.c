/*
 * KC_STOP	rdi=target (a child of the caller), rsi=address of a uint64_t
 *	that receives the number of the Linux system call that was cancelled
 *	(so the caller can restart it), or ~0 if none; rsi=0: not wanted.
 *	Stops the process: it is taken off the CPU, and if it was blocked in
 *	an IPC call (a forwarded system call waiting for a server included),
 *	that call is cancelled and returns -EINTR when the process runs
 *	again. It stays stopped until KC_SETREGS. For the process manager's
 *	signals: stop, build the handler frame, restart.
 */
#include "../proc.h"

int64_t do_stop(struct proc *p)
{
	uint64_t cancelled = ~0ull;
	struct proc *t;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	if (t == p)
		return -EINVAL;
	if (!(t->rts & RTS_STOPPED)) {
		proc_block(t, RTS_STOPPED);
		if (t->rts & (RTS_SENDING | RTS_RECEIVING)) {
			if (t->flags & PF_KMSG)
				cancelled = t->kmsg.u.q[0];
			ipc_abort(t);
			t->regs.rax = (uint64_t)-EINTR;
		}
	}
	if (p->regs.rsi && vm_copy_out(p->pml4, p->regs.rsi, &cancelled, sizeof(cancelled)))
		return -EFAULT;
	return 0;
}
