/*
 * The Linux system call gateway. A `syscall` with a Linux number becomes
 * an IPC round trip: the kernel sends, on the caller's behalf, a
 * MSG_SYSCALL message (q[0] = number, q[1..6] = rdi rsi rdx r10 r8 r9) to
 * the server that owns the call, and the server's reply (q[0]) is the
 * return value. The message lives in the process slot (p->kmsg), so the
 * program needs no IPC buffer of its own, and the usual IPC mask applies:
 * an ordinary process reaches only the POSIX servers.
 *
 * The owners come from the manifests' `syscalls` lines (linux_owner[n] is
 * the owner's privilege id + 1). arch_prctl only changes the caller's own
 * register state, so the kernel answers it without a round trip.
 */
#include "proc.h"

#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003

uint8_t linux_owner[512];
static uint64_t enosys_logged[512 / 64];

static int64_t arch_prctl(struct proc *p)
{
	switch (p->regs.rdi) {
	case ARCH_SET_FS:
		if (p->regs.rsi >= USER_TOP)
			return -EPERM;
		p->fs_base = p->regs.rsi;
		wrmsr(MSR_FS_BASE, p->fs_base);
		return 0;
	case ARCH_GET_FS:
		return vm_copy_out(p->pml4, p->regs.rsi, &p->fs_base, sizeof(p->fs_base));
	}
	return -EINVAL;
}

static int64_t no_owner(struct proc *p, uint64_t nr)
{
	if (nr < 512 && !(enosys_logged[nr / 64] & (1ull << (nr % 64)))) {
		enosys_logged[nr / 64] |= 1ull << (nr % 64);
		kprintf("kernel: ENOSYS: Linux system call %lu (first caller %s)\n", nr, p->name);
	}
	return -ENOSYS;
}

int64_t linux_syscall(struct proc *p)
{
	uint64_t nr = p->regs.rax;
	struct priv *owner;

	if (nr == 158)
		return arch_prctl(p);
	if (nr >= 512 || !linux_owner[nr])
		return no_owner(p, nr);
	owner = &privs[linux_owner[nr] - 1];
	if (!owner->in_use || !owner->holder)
		return no_owner(p, nr);
	kmemset(&p->kmsg, 0, sizeof(p->kmsg));
	p->kmsg.type = MSG_SYSCALL;
	p->kmsg.u.q[0] = nr;
	p->kmsg.u.q[1] = p->regs.rdi;
	p->kmsg.u.q[2] = p->regs.rsi;
	p->kmsg.u.q[3] = p->regs.rdx;
	p->kmsg.u.q[4] = p->regs.r10;
	p->kmsg.u.q[5] = p->regs.r8;
	p->kmsg.u.q[6] = p->regs.r9;
	p->flags |= PF_KMSG;
	return ipc_sendrec(p, owner->holder);
}
