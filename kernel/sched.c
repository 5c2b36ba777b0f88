/*
 * Preemptive priority scheduling: one FIFO per priority, a bitmap of the
 * non-empty ones, so picking the next process is constant time. A process
 * that uses up its quantum goes to the tail of its queue.
 */
#include "proc.h"

static struct proc *ready_head[NR_PRIORITIES];
static struct proc *ready_tail[NR_PRIORITIES];
static uint32_t ready_mask;
static struct proc *fpu_owner;

void sched_enqueue(struct proc *p)
{
	int q = p->priority;

	p->ready_next = NULL;
	p->ready_prev = ready_tail[q];
	if (ready_tail[q])
		ready_tail[q]->ready_next = p;
	else
		ready_head[q] = p;
	ready_tail[q] = p;
	ready_mask |= 1u << q;
}

void sched_dequeue(struct proc *p)
{
	int q = p->priority;

	if (p->ready_prev)
		p->ready_prev->ready_next = p->ready_next;
	else
		ready_head[q] = p->ready_next;
	if (p->ready_next)
		p->ready_next->ready_prev = p->ready_prev;
	else
		ready_tail[q] = p->ready_prev;
	if (!ready_head[q])
		ready_mask &= ~(1u << q);
	p->ready_next = p->ready_prev = NULL;
}

struct proc *sched_pick(void)
{
	if (!ready_mask)
		return NULL;
	return ready_head[__builtin_ctz(ready_mask)];
}

/* Is a process of better priority than `priority` ready? */
int sched_higher_ready(int priority)
{
	return (ready_mask & ((1u << priority) - 1)) != 0;
}

void sched_tick(void)
{
	struct proc *p = current;

	if (!p || p->rts)
		return;
	p->ticks_used++;
	if (--p->ticks_left == 0) {
		p->ticks_left = p->quantum;
		sched_dequeue(p);
		sched_enqueue(p);
	}
}

/* A released slot's FPU registers belong to nobody. */
void sched_forget(struct proc *p)
{
	if (fpu_owner == p)
		fpu_owner = NULL;
}

/* Leave the kernel: run the best ready process, or idle until there is one. */
void resume_user(void)
{
	struct proc *p;

	for (;;) {
		while (!(p = sched_pick())) {
			current = NULL;
			__asm__ volatile("sti; hlt; cli");
		}
		/* iretq to a non-canonical address faults in ring 0 on real
		 * CPUs: stop such a process as if it had faulted itself. */
		if (p->regs.rip < USER_TOP && p->regs.rsp < USER_TOP)
			break;
		proc_fault(p, 13, 0, p->regs.rip);
	}
	if (p != current || read_cr3() != p->pml4) {
		if (read_cr3() != p->pml4)
			write_cr3(p->pml4);
		wrmsr(MSR_FS_BASE, p->fs_base);
	}
	if (fpu_owner != p) {
		if (fpu_owner)
			fxsave(fpu_owner->fpu);
		fxrstor(p->fpu);
		fpu_owner = p;
	}
	current = p;
	cpu_set_kernel_entry(&p->regs);
	restore_user(&p->regs);
}
