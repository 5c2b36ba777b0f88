/*
 * KC_STOP	rdi=target (a child of the caller).
 *	Stops the process: it is taken off the CPU, and if it was blocked in
 *	an IPC call (a forwarded system call waiting for a server included),
 *	that call is cancelled and returns -EINTR when the process runs
 *	again. It stays stopped until KC_SETREGS. For the process manager's
 *	signals: stop, build the handler frame, restart.
 */
#include "../proc.h"

int64_t do_stop(struct proc *p)
{
	struct proc *t;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	if (t == p)
		return -EINVAL;
	if (t->rts & RTS_STOPPED)
		return 0;
	proc_block(t, RTS_STOPPED);
	if (t->rts & (RTS_SENDING | RTS_RECEIVING)) {
		ipc_abort(t);
		t->regs.rax = (uint64_t)-EINTR;
	}
	return 0;
}
