/*
 * Hardware interrupts become notifications. The handler masks the line and
 * sets the line's bit in the pending set of every process attached to it
 * (lines may be shared); the line is unmasked again when every attached
 * driver has said IRQ_ENABLE, i.e. has dealt with its device.
 */
#include "proc.h"

#define NR_IRQS		16
#define IRQ_HOOKS	4	/* drivers sharing one line */

static endpoint_t hook[NR_IRQS][IRQ_HOOKS];
static uint8_t awaiting[NR_IRQS];	/* hooks that have not re-enabled */

void irq_handle(int irq)
{
	uint64_t tsc = rdtsc();	/* the notification carries it: latency is measurable */
	int h;

	if (irq == 7 || irq == 15) {	/* spurious? the in-service bit says */
		outb(irq == 7 ? 0x20 : 0xA0, 0x0B);
		if (!(inb(irq == 7 ? 0x20 : 0xA0) & 0x80)) {
			if (irq == 15)
				pic_eoi(2);
			return;
		}
	}
	pic_mask(irq);
	pic_eoi(irq);
	if (irq == 0) {
		clock_tick();
		pic_unmask(0);
		return;
	}
	for (h = 0; h < IRQ_HOOKS; h++) {
		struct proc *p;
		int err;
		if (!hook[irq][h] || !(p = proc_lookup(hook[irq][h], &err)))
			continue;
		awaiting[irq] |= 1 << h;
		if (!p->irq_pending)
			p->irq_tsc = tsc;
		p->irq_pending |= 1u << irq;
		notify_from_kernel(p, HARDWARE);
	}
}

/* KC_IRQCTL: rdi=op, rsi=irq line. The line must be in the caller's
 * manifest (`irqs`); the clock's line is never granted. */
int64_t do_irqctl(struct proc *p)
{
	uint64_t op = p->regs.rdi, irq = p->regs.rsi;
	int h, free = -1, mine = -1;

	if (irq >= NR_IRQS || irq == 0 || irq == 2)
		return -EINVAL;
	if (!((priv_of(p)->irqs >> irq) & 1))
		return priv_refuse(p, "irq line", (long)irq);
	for (h = 0; h < IRQ_HOOKS; h++) {
		if (hook[irq][h] == p->endpoint)
			mine = h;
		else if (!hook[irq][h] && free < 0)
			free = h;
	}
	switch (op) {
	case IRQ_ATTACH:
		if (mine >= 0)
			return 0;
		if (free < 0)
			return -EBUSY;
		hook[irq][free] = p->endpoint;
		pic_unmask((int)irq);
		return 0;
	case IRQ_ENABLE:
	case IRQ_DETACH:
		if (mine < 0)
			return -EINVAL;
		awaiting[irq] &= ~(1 << mine);
		if (op == IRQ_DETACH) {
			hook[irq][mine] = 0;
			p->irq_pending &= ~(1u << irq);	/* no news from a line we left */
		}
		if (!awaiting[irq])
			pic_unmask((int)irq);
		return 0;
	case IRQ_DISABLE:
		if (mine < 0)
			return -EINVAL;
		pic_mask((int)irq);
		return 0;
	}
	return -EINVAL;
}

void irq_release_all(struct proc *p)
{
	int irq, h;

	for (irq = 1; irq < NR_IRQS; irq++)
		for (h = 0; h < IRQ_HOOKS; h++)
			if (hook[irq][h] == p->endpoint) {
				hook[irq][h] = 0;
				awaiting[irq] &= ~(1 << h);
				if (!awaiting[irq])
					pic_unmask(irq);
			}
}
