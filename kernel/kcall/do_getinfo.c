/*
 * KC_GETINFO	rdi=INFO_*, rsi=argument, rdx=buffer, r10=buffer length.
 *	INFO_SELF	struct info_proc of the caller
 *	INFO_PROC	struct info_proc of slot rsi (ESRCH if free)
 *	INFO_BOOT	returns the endpoint of the live process named by the
 *			NUL-terminated string at rsi (ESRCH if none)
 *	INFO_KERNEL	struct info_kernel
 *	INFO_PRIV	struct priv_spec of privilege id rsi (ESRCH if unused)
 */
#include "../proc.h"

static void fill_proc(struct info_proc *i, struct proc *q)
{
	kmemset(i, 0, sizeof(*i));
	i->endpoint = q->endpoint;
	i->parent = q->parent;
	i->priv_id = q->priv_id;
	i->flags = q->rts;
	i->ipc_sent = q->ipc_sent;
	i->ipc_received = q->ipc_received;
	i->ticks = q->ticks_used;
	kmemcpy(i->name, q->name, sizeof(i->name));
}

/* Only processes holding a service's privileges answer to a service name,
 * so a user process or a stray copy cannot pose as a server. */
static int64_t endpoint_by_name(struct proc *p)
{
	char name[16];
	int id, i, err;

	if (vm_copy_in(p->pml4, name, p->regs.rsi, sizeof(name)))
		return -EFAULT;
	name[15] = 0;
	for (id = 0; id < PRIV_USER; id++) {
		struct proc *q;
		if (!privs[id].in_use || !(q = proc_lookup(privs[id].holder, &err)))
			continue;
		for (i = 0; i < 16 && q->name[i] == name[i] && name[i]; i++)
			;
		if (i < 16 && q->name[i] == name[i])
			return q->endpoint;
	}
	return -ESRCH;
}

int64_t do_getinfo(struct proc *p)
{
	union { struct info_proc proc; struct info_kernel kern; struct priv_spec priv; } u;
	uint64_t len, n;

	switch (p->regs.rdi) {
	case INFO_SELF:
		fill_proc(&u.proc, p);
		n = sizeof(u.proc);
		break;
	case INFO_PROC:
		if (p->regs.rsi >= NR_SLOTS || (procs[p->regs.rsi].rts & RTS_FREE))
			return -ESRCH;
		fill_proc(&u.proc, &procs[p->regs.rsi]);
		n = sizeof(u.proc);
		break;
	case INFO_BOOT:
		return endpoint_by_name(p);
	case INFO_KERNEL:
		u.kern.ticks = ticks;
		u.kern.hz = HZ;
		u.kern.free_frames = frames_free;
		u.kern.total_frames = frames_total;
		u.kern.boot_image_phys = boot_image_phys;
		u.kern.boot_image_size = boot_image_size;
		n = sizeof(u.kern);
		break;
	case INFO_PRIV:
		if (p->regs.rsi >= NR_PRIVS || !privs[p->regs.rsi].in_use)
			return -ESRCH;
		u.priv = privs[p->regs.rsi].spec;
		n = sizeof(u.priv);
		break;
	default:
		return -EINVAL;
	}
	len = p->regs.r10 < n ? p->regs.r10 : n;
	if (vm_copy_out(p->pml4, p->regs.rdx, &u, len))
		return -EFAULT;
	return (int64_t)len;
}
