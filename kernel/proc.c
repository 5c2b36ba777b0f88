/* Process slots, endpoints, privileges and fault stops. */
#include "proc.h"

struct proc procs[NR_SLOTS];
struct priv privs[NR_PRIVS];
struct proc *current;
endpoint_t boot_parent = NONE;	/* the first boot service: adopts orphans */
static uint32_t generation[NR_SLOTS];

/*
 * Resolve an endpoint. Pseudo endpoints and out-of-range values are
 * EINVAL; a well-formed endpoint whose process is gone (free slot, or the
 * slot reused by a later generation) is EDEADSRCDST.
 */
struct proc *proc_lookup(endpoint_t e, int *err)
{
	struct proc *p;

	if (e < 0) {
		*err = -EINVAL;
		return NULL;
	}
	p = &procs[ENDPOINT_SLOT(e)];
	if ((p->rts & (RTS_FREE | RTS_ZOMBIE)) || p->endpoint != e) {
		*err = -EDEADSRCDST;
		return NULL;
	}
	*err = 0;
	return p;
}

struct proc *proc_alloc(const char *name, endpoint_t parent)
{
	int s, i;

	for (s = 0; s < NR_SLOTS; s++) {
		struct proc *p = &procs[s];
		if (!(p->rts & RTS_FREE))
			continue;
		kmemset(p, 0, sizeof(*p));
		if (!(p->pml4 = as_create())) {
			p->rts = RTS_FREE;
			return NULL;
		}
		if (++generation[s] > ENDPOINT_GEN_MAX)
			generation[s] = 1;
		p->endpoint = MAKE_ENDPOINT((int)generation[s], s);
		p->rts = RTS_STOPPED;
		p->parent = parent;
		p->priv_id = PRIV_USER;
		p->priority = NR_PRIORITIES - 1;
		p->quantum = p->ticks_left = 5;
		for (i = 0; i < 15 && name[i]; i++)
			p->name[i] = name[i];
		/* Default FPU state: fninit then save, as a fresh process sees it. */
		*(uint16_t *)&p->fpu[0] = 0x037F;		/* FCW */
		*(uint32_t *)&p->fpu[24] = 0x1F80;		/* MXCSR */
		p->regs.cs = USER_CS;
		p->regs.ss = USER_DS;
		p->regs.rflags = RFLAGS_IF;
		return p;
	}
	return NULL;
}

/* p now acts for its service: Linux system calls owned by the service and
 * lookups of the service go to p. (Not for a fork: a copy of PM is not PM.) */
void proc_take_service(struct proc *p)
{
	if (p->priv_id != PRIV_USER)
		privs[p->priv_id].holder = p->endpoint;
}

void proc_set_priv(struct proc *p, uint32_t priv_id)
{
	p->priv_id = priv_id;
	p->priority = privs[priv_id].spec.priority;
	p->quantum = p->ticks_left = privs[priv_id].spec.quantum;
}

/* Free the slot: every process waiting on it learns it is gone. */
void proc_release(struct proc *p)
{
	if (!p->rts)
		sched_dequeue(p);
	ipc_cancel(p);
	irq_release_all(p);
	dma_release_all(p);
	as_destroy(p->pml4);
	sched_forget(p);
	for (int i = 0; i < NR_SLOTS; i++) {	/* its children outlive it */
		struct proc *c = &procs[i];
		if ((c->rts & RTS_FREE) || c->parent != p->endpoint)
			continue;
		if (c->rts == RTS_ZOMBIE)
			c->rts = RTS_FREE;	/* nobody will reap it now */
		else
			c->parent = boot_parent;	/* its reports go to the first service */
	}
	p->rts = RTS_FREE;
	if (current == p)
		current = NULL;
}

void proc_block(struct proc *p, uint32_t why)
{
	if (!p->rts)
		sched_dequeue(p);
	p->rts |= why;
}

void proc_unblock(struct proc *p, uint32_t why)
{
	if (!p->rts)
		return;
	p->rts &= ~why;
	if (!p->rts)
		sched_enqueue(p);
}

/*
 * A CPU exception in user mode stops that process only. Its parent (later
 * the reincarnation server) gets a SYSTEM notification and fetches the
 * report with KC_GETEVENT; what happens next is the parent's policy.
 */
void proc_fault(struct proc *p, uint64_t vector, uint64_t error, uint64_t addr)
{
	static const char *const names[] = {
		"divide error", "debug", "nmi", "breakpoint", "overflow",
		"bound", "invalid opcode", "no fpu", "double fault", "",
		"bad tss", "segment not present", "stack fault",
		"general protection", "page fault", "", "fpu error",
		"alignment check", "machine check", "simd error",
	};
	struct proc *parent;
	int err;

	kprintf("kernel: %s (ep %d) stopped: %s at rip %lx addr %lx err %lx\n",
	    p->name, p->endpoint, vector < 20 ? names[vector] : "exception",
	    p->regs.rip, addr, error);
	p->fault.endpoint = p->endpoint;
	p->fault.vector = (uint32_t)vector;
	p->fault.error = error;
	p->fault.rip = p->regs.rip;
	p->fault.addr = addr;
	p->fault.tick = ticks;
	p->flags &= ~PF_REPORTED;
	proc_block(p, RTS_FAULTED);
	parent = proc_lookup(p->parent, &err);
	if (parent) {
		parent->sys_events |= 1;
		notify_from_kernel(parent, SYSTEM);
	} else {
		kprintf("kernel: %s has no parent to report to\n", p->name);
	}
}

/* Log a refused privilege check (a few per process, so a loop cannot
 * flood the console) and return -EPERM. */
int priv_refuse(struct proc *p, const char *what, long detail)
{
	if (p->denials_logged < 8) {
		p->denials_logged++;
		kprintf("kernel: EPERM: %s (ep %d) refused %s %ld\n",
		    p->name, p->endpoint, what, detail);
	}
	return -EPERM;
}
