/*
 * WP harness: the privilege bit checks, each `(mask >> n) & 1` verbatim
 * from the kernel (`mirror:` lines). -wp-rte makes "the shift is defined"
 * (n below the mask's width) a proof goal; the preconditions are what the
 * callers guarantee, each naming where. priv_of(p) stands for the kernel's
 * &privs[p->priv_id].spec, whose index is the ipc check's own subject.
 */
#include <stdint.h>

#define NR_KCALLS	64	/* at most: kcall.h's enum (see docs/verification.md) */
#define NR_PRIVS	64
#define IPC_NR_PRIMITIVES 7
#define NR_IRQS		16

struct priv_spec { uint64_t kcalls, ipc_to; uint32_t primitives, irqs; };
struct proc { uint32_t priv_id; };
#define priv_of(p)	(p)

/* kernel/kcall.c, kcall_dispatch: trap.c calls it only with nr < NR_KCALLS. */
/*@ requires \valid_read(p) && nr < NR_KCALLS;
    assigns \nothing;
 */
int kcall_refused(struct priv_spec *p, unsigned nr)
{
	/* mirror: kernel/kcall.c: (priv_of(p)->kcalls >> nr) & 1 */
	return !((priv_of(p)->kcalls >> nr) & 1);
}

/* kernel/ipc.c, may_send: priv_id indexes privs[NR_PRIVS] (boot image
 * index < IMAGE_MAX, PRIV_USER, or KC_SETPRIV's id, checked < NR_PRIVS). */
/*@ requires \valid_read(p) && \valid_read(dst) && dst->priv_id < NR_PRIVS;
    assigns \nothing;
 */
int ipc_refused(struct priv_spec *p, struct proc *dst)
{
	/* mirror: kernel/ipc.c: (priv_of(p)->ipc_to >> dst->priv_id) & 1 */
	return !((priv_of(p)->ipc_to >> dst->priv_id) & 1);
}

/* kernel/ipc.c, ipc_call: prim checked to be in 1 .. IPC_NR_PRIMITIVES-1. */
/*@ requires \valid_read(p) && 1 <= prim < IPC_NR_PRIMITIVES;
    assigns \nothing;
 */
int primitive_refused(struct priv_spec *p, int prim)
{
	/* mirror: kernel/ipc.c: (priv_of(p)->primitives >> prim) & 1 */
	return !((priv_of(p)->primitives >> prim) & 1);
}

/* kernel/irq.c, do_irqctl: irq < NR_IRQS checked just before. */
/*@ requires \valid_read(p) && irq < NR_IRQS;
    assigns \nothing;
 */
int irq_refused(struct priv_spec *p, uint64_t irq)
{
	/* mirror: kernel/irq.c: (priv_of(p)->irqs >> irq) & 1 */
	return !((priv_of(p)->irqs >> irq) & 1);
}
