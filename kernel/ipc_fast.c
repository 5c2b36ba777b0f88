/*
 * The IPC fast path: the two calls of every client-server exchange, taken
 * when the partner is already waiting for exactly this message.
 *   SENDREC   client -> server blocked in receive: hand over the message,
 *             the client waits for the reply, the server runs next.
 *   REPLYRECV server -> client waiting for its reply, with no other work
 *             queued for the server: reply, the server waits, the client
 *             runs next.
 * Anything unusual (a privilege refusal to log, a bad buffer, a queued
 * sender, a pending notification, a buffer across a page or read only)
 * falls through to the general path in ipc.c, which has the same
 * semantics. Returns 1 when it handled the call.
 */
#include "proc.h"

static struct proc *waiting_partner(struct proc *p, endpoint_t e)
{
	struct proc *q = &procs[ENDPOINT_SLOT(e)];

	if (e < 0 || q->endpoint != e || q->rts != RTS_RECEIVING || q == p)
		return NULL;
	if (q->getfrom != ANY && q->getfrom != p->endpoint)
		return NULL;
	if (!((priv_of(p)->ipc_to >> q->priv_id) & 1) && !ipc_awaits_reply(q, p))
		return NULL;
	return q;
}

static int nothing_pending(struct proc *p)
{
	int w;

	if (p->callers || p->irq_pending || p->sys_events || p->alarm_fired)
		return 0;
	for (w = 0; w < NR_SLOTS / 64; w++)
		if (p->notify_pending[w])
			return 0;
	return 1;
}

/* m: p's message, in reach and writable (ipc_call found it). */
int ipc_fastpath(struct proc *p, int prim, const message_t *m)
{
	struct proc *q;

	if (prim == IPC_SENDREC) {
		if (!(q = waiting_partner(p, (endpoint_t)p->regs.rdi)) || (q->flags & PF_SENDREC))
			return 0;
		if (ipc_copy_resolved(q, p, m))
			return 0;
		q->regs.rax = 0;
		proc_unblock(q, RTS_RECEIVING);
		p->flags |= PF_SENDREC;
		p->getfrom = q->endpoint;
		proc_block(p, RTS_RECEIVING);
		return 1;
	}
	if (prim == IPC_REPLYRECV) {
		if ((int64_t)(int32_t)p->regs.rdx != (int64_t)p->regs.rdx || (endpoint_t)p->regs.rdx != ANY)
			return 0;
		if (!(q = waiting_partner(p, (endpoint_t)p->regs.rdi)) || !(q->flags & PF_SENDREC))
			return 0;
		if (!nothing_pending(p) || ipc_copy_resolved(q, p, m))
			return 0;
		q->regs.rax = (q->flags & PF_KMSG) ? q->kmsg.u.q[0] : 0;
		q->flags &= ~(PF_SENDREC | PF_KMSG);
		proc_unblock(q, RTS_RECEIVING);
		p->getfrom = ANY;
		proc_block(p, RTS_RECEIVING);
		return 1;
	}
	return 0;
}
