/*
 * Rendezvous IPC, the general path. A message is copied straight from the
 * sender's buffer to the receiver's when both are ready; until then the
 * sender is blocked and its message stays in its own memory. Nothing is
 * buffered in the kernel: the only per-process queue is the list of
 * blocked senders, and notifications are bits.
 *
 * SENDREC's receive half accepts only the reply from its destination, never
 * a notification, so a client cannot mistake one for its answer.
 */
#include "proc.h"

#define PENDING_WORDS	(NR_SLOTS / 64)

/* A process waiting in SENDREC for p's answer may always get it: asking
 * grants the right to one reply, so servers need no mask bit for their
 * clients. A process may always NOTIFY its parent (the reincarnation
 * server's heartbeat answer, whatever image the manifest is used in).
 * Everything else needs the target's bit in p's manifest. */
int ipc_awaits_reply(struct proc *dst, struct proc *p)
{
	return dst->rts == RTS_RECEIVING && (dst->flags & PF_SENDREC) &&
	    dst->getfrom == p->endpoint;
}

static int may_send(struct proc *p, struct proc *dst, int is_message)
{
	if (is_message && ipc_awaits_reply(dst, p))
		return 0;
	if (!is_message && dst->endpoint == p->parent)
		return 0;
	if (!((priv_of(p)->ipc_to >> dst->priv_id) & 1))
		return priv_refuse(p, "ipc to endpoint", dst->endpoint);
	return 0;
}

/* Is dst waiting in receive for a message from src? */
static int accepts_message(struct proc *dst, endpoint_t src)
{
	return dst->rts == RTS_RECEIVING && (dst->getfrom == ANY || dst->getfrom == src);
}

static int accepts_notify(struct proc *dst, endpoint_t src)
{
	return accepts_message(dst, src) && !(dst->flags & PF_SENDREC);
}

/* Copy src's message to dst. 1: src's buffer is bad; -EFAULT: dst's is. */
/*
 * Where p's message buffer is, as a kernel pointer: its slot's kmsg during
 * a forwarded Linux system call, else the user buffer through the direct
 * map. NULL if the buffer is not mapped (writable) user memory. A buffer
 * that straddles two pages is mapped through a bounce copy by the caller.
 */
message_t *ipc_message_walk(struct proc *p, int write)
{
	uint64_t *pte, va = p->msg_va;

	if (p->flags & PF_KMSG)
		return &p->kmsg;
	if ((va & (PAGE_SIZE - 1)) > PAGE_SIZE - sizeof(message_t) ||
	    va >= USER_TOP || !(pte = pte_find(p->pml4, va, 0)) ||
	    (*pte & (PTE_P | PTE_U | PTE_DEVICE)) != (PTE_P | PTE_U) || (write && !(*pte & PTE_W)))
		return NULL;
	p->mcache_va = va;
	p->mcache_epoch = vm_epoch;
	p->mcache_writable = (*pte & PTE_W) != 0;
	p->mcache_kva = (message_t *)((uint8_t *)P2V(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1)));
	return p->mcache_kva;
}

/* Eight quadword moves: cheaper than a byte loop on the hottest path. */
static inline void copy_words(message_t *d, const message_t *s)
{
	const uint64_t *sq = (const uint64_t *)s;
	uint64_t *dq = (uint64_t *)d;

	_Static_assert(sizeof(message_t) == 8 * sizeof(uint64_t), "a message is 8 words");
	dq[0] = sq[0], dq[1] = sq[1], dq[2] = sq[2], dq[3] = sq[3];
	dq[4] = sq[4], dq[5] = sq[5], dq[6] = sq[6], dq[7] = sq[7];
}

int ipc_copy_message(struct proc *dst, struct proc *src)
{
	message_t m, *sp = ipc_message_at(src, 0);

	/* Slow case: a buffer across a page boundary, or a bad one. */
	if (!sp) {
		if (vm_copy_in(src->pml4, &m, src->msg_va, sizeof(m)))
			return 1;
		sp = &m;
	}
	return ipc_copy_resolved(dst, src, sp);
}

/* The second half of ipc_copy_message, for a caller that has src's
 * message in reach already (sm): 0, or -EFAULT for dst's buffer. */
int ipc_copy_resolved(struct proc *dst, struct proc *src, const message_t *sm)
{
	message_t m, *dp = ipc_message_at(dst, 1);

	if (dp) {
		copy_words(dp, sm);
		dp->source = src->endpoint;
	} else {
		copy_words(&m, sm);
		m.source = src->endpoint;
		if (vm_copy_out(dst->pml4, dst->msg_va, &m, sizeof(m)))
			return -EFAULT;
	}
	src->ipc_sent++;
	dst->ipc_received++;
	return 0;
}

/* Wake a receiver with result r, ending its SENDREC if it had one. A
 * forwarded Linux call returns the server's answer, q[0] of the reply. */
static void finish_receive(struct proc *p, int64_t r)
{
	p->regs.rax = (p->flags & PF_KMSG) && !r ? p->kmsg.u.q[0] : (uint64_t)r;
	p->flags &= ~(PF_SENDREC | PF_KMSG);
	proc_unblock(p, RTS_RECEIVING);
}

/* A blocked sender's message was taken: it returns, or (SENDREC) now waits
 * for the reply. */
static void finish_send(struct proc *s, struct proc *receiver, int64_t r)
{
	if ((s->flags & PF_SENDREC) && r == 0) {
		s->rts = (s->rts & ~RTS_SENDING) | RTS_RECEIVING;
		s->getfrom = receiver->endpoint;
		return;
	}
	s->regs.rax = r;
	s->flags &= ~(PF_SENDREC | PF_KMSG);
	proc_unblock(s, RTS_SENDING);
}

/* Would p blocking on t close a cycle of processes waiting on each other? */
static int closes_cycle(struct proc *p, struct proc *t)
{
	int n, err;

	for (n = 0; n < NR_SLOTS && t; n++) {
		endpoint_t next;
		if (t->rts & RTS_SENDING)
			next = t->sendto;
		else if ((t->rts & RTS_RECEIVING) && t->getfrom >= 0)
			next = t->getfrom;
		else
			return 0;
		if (next == p->endpoint)
			return 1;
		t = proc_lookup(next, &err);
	}
	return 0;
}

static int deliver_notification(struct proc *p, endpoint_t source, uint64_t payload,
    uint64_t stamp)
{
	message_t m;

	kmemset(&m, 0, sizeof(m));
	m.source = source;
	m.type = MSG_NOTIFY;
	m.u.q[0] = payload;
	m.u.q[1] = stamp;
	p->ipc_received++;
	return vm_copy_out(p->pml4, p->msg_va, &m, sizeof(m));
}

/*
 * Hand p (about to receive from src) one pending notification, if it has
 * one it accepts. Returns 1 when one was delivered (or its buffer was bad:
 * the result is then in p->regs.rax), 0 when none was pending.
 */
int ipc_deliver_pending(struct proc *p, endpoint_t src)
{
	uint64_t v;
	int w, s, r;

	if (p->irq_pending && (src == ANY || src == HARDWARE)) {
		v = p->irq_pending, p->irq_pending = 0;
		r = deliver_notification(p, HARDWARE, v, p->irq_tsc);
	} else if (p->sys_events && (src == ANY || src == SYSTEM)) {
		v = p->sys_events, p->sys_events = 0;
		r = deliver_notification(p, SYSTEM, v, 0);
	} else if (p->alarm_fired && (src == ANY || src == CLOCK)) {
		p->alarm_fired = 0;
		r = deliver_notification(p, CLOCK, ticks, 0);
	} else {
		for (w = 0; w < PENDING_WORDS; w++) {
			uint64_t bits = p->notify_pending[w];
			if (src != ANY)		/* a process, or a kernel source: not these bits */
				bits &= src >= 0 && ENDPOINT_SLOT(src) / 64 == w ?
				    1ull << (ENDPOINT_SLOT(src) % 64) : 0;
			if (!bits)
				continue;
			s = w * 64 + __builtin_ctzll(bits);
			p->notify_pending[w] &= ~(1ull << (s % 64));
			if (src >= 0 && procs[s].endpoint != src)
				return 0;
			r = deliver_notification(p, procs[s].endpoint, 0, 0);
			goto done;
		}
		return 0;
	}
done:
	p->regs.rax = r;
	return 1;
}

/* The kernel has set one of dst's pending kernel events: wake it if it waits. */
void notify_from_kernel(struct proc *dst, endpoint_t source)
{
	if (accepts_notify(dst, source) && ipc_deliver_pending(dst, dst->getfrom))
		finish_receive(dst, dst->regs.rax);
}

static int64_t do_send(struct proc *p, endpoint_t dst_e, int nonblock)
{
	struct proc *dst, **q;
	int err;

	if (!(dst = proc_lookup(dst_e, &err)))
		return err;
	if ((err = may_send(p, dst, 1)))
		return err;
	if (dst == p)
		return -EDEADLK;
	if (accepts_message(dst, p->endpoint)) {
		err = ipc_copy_message(dst, p);
		if (err > 0)
			return -EFAULT;
		finish_receive(dst, err);
		return err;
	}
	if (nonblock)
		return -EAGAIN;
	if (closes_cycle(p, dst))
		return -EDEADLK;
	p->sendto = dst_e;
	p->caller_next = NULL;
	for (q = &dst->callers; *q; q = &(*q)->caller_next)
		;
	*q = p;
	proc_block(p, RTS_SENDING);
	return KCALL_SUSPEND;
}

static int64_t do_receive(struct proc *p, endpoint_t src, int take_notify)
{
	struct proc *s, **q, *from = NULL;
	int err;

	if (src >= 0 && !(from = proc_lookup(src, &err)))
		return err;
	if (from == p)
		return -EDEADLK;
	if (src < 0 && src != ANY && src != HARDWARE && src != CLOCK && src != SYSTEM)
		return -EINVAL;
	if (take_notify && ipc_deliver_pending(p, src))
		return p->regs.rax;
	for (q = &p->callers; (s = *q);) {
		if (src != ANY && s->endpoint != src) {
			q = &s->caller_next;
			continue;
		}
		*q = s->caller_next;
		err = ipc_copy_message(p, s);
		if (err > 0) {		/* the sender's buffer went bad: its failure */
			finish_send(s, p, -EFAULT);
			continue;
		}
		finish_send(s, p, err);
		return err;
	}
	if (from && closes_cycle(p, from))
		return -EDEADLK;
	p->getfrom = src;
	proc_block(p, RTS_RECEIVING);
	return KCALL_SUSPEND;
}

static int64_t do_notify(struct proc *p, endpoint_t dst_e)
{
	struct proc *dst;
	int err, s = ENDPOINT_SLOT(p->endpoint);

	if (!(dst = proc_lookup(dst_e, &err)))
		return err;
	if ((err = may_send(p, dst, 0)))
		return err;
	dst->notify_pending[s / 64] |= 1ull << (s % 64);
	p->ipc_sent++;
	if (accepts_notify(dst, p->endpoint) && ipc_deliver_pending(dst, dst->getfrom))
		finish_receive(dst, dst->regs.rax);
	return 0;
}

/* SEND then RECEIVE from the same endpoint; the flags stay set while the
 * call is blocked and are cleared by whoever completes it. */
int64_t ipc_sendrec(struct proc *p, endpoint_t e)
{
	int64_t r;

	p->flags |= PF_SENDREC;
	r = do_send(p, e, 0);
	if (r == 0)
		r = do_receive(p, e, 0);
	if (r != KCALL_SUSPEND) {
		if (r == 0 && (p->flags & PF_KMSG))
			r = (int64_t)p->kmsg.u.q[0];
		p->flags &= ~(PF_SENDREC | PF_KMSG);
	}
	return r;
}

/* Entry from the trap: primitive prim with the caller's rdi, rsi, rdx. */
int64_t ipc_call(struct proc *p, int prim)
{
	endpoint_t e = (endpoint_t)p->regs.rdi;
	message_t *m = NULL;
	int64_t r;
	int err;

	if (prim < 1 || prim >= IPC_NR_PRIMITIVES)
		return -ENOSYS;
	if (!((priv_of(p)->primitives >> prim) & 1))
		return priv_refuse(p, "ipc primitive", prim);
	if ((uint64_t)(int64_t)e != p->regs.rdi)
		return -EINVAL;
	if (prim == IPC_NOTIFY)
		return do_notify(p, e);
	p->msg_va = p->regs.rsi;
	/* Only the kernel makes notifications. (MSG_SYSCALL may pass: servers
	 * answer in the request's own buffer, and its source says who sent it.)
	 * SENDREC's and REPLYRECV's buffer takes the answer too: m is only
	 * found (for the fast path) when it is writable. */
	if (prim != IPC_RECEIVE &&
	    (m = ipc_message_at(p, prim == IPC_SENDREC || prim == IPC_REPLYRECV)) &&
	    m->type >= MSG_KERNEL_BASE && m->type != MSG_SYSCALL)
		return -EINVAL;
	if (m && ipc_fastpath(p, prim, m))
		return KCALL_SUSPEND;
	if ((err = vm_check(p->pml4, p->msg_va, sizeof(message_t), prim != IPC_SEND && prim != IPC_SENDNB)))
		return err;
	if (prim != IPC_RECEIVE && !m) {	/* across a page boundary: check the slow way */
		int32_t type;
		if (vm_copy_in(p->pml4, &type, p->msg_va + 4, sizeof(type)))
			return -EFAULT;
		if (type >= MSG_KERNEL_BASE && type != MSG_SYSCALL)
			return -EINVAL;
	}
	switch (prim) {
	case IPC_SEND:
		return do_send(p, e, 0);
	case IPC_SENDNB:
		return do_send(p, e, 1);
	case IPC_RECEIVE:
		return do_receive(p, e, 1);
	case IPC_SENDREC:
		return ipc_sendrec(p, e);
	case IPC_REPLYRECV:
		r = do_send(p, e, 1);
		if (r < 0 && r != -EDEADSRCDST && r != -EAGAIN)
			return r;
		if ((int64_t)(int32_t)p->regs.rdx != (int64_t)p->regs.rdx)
			return -EINVAL;
		return do_receive(p, (endpoint_t)p->regs.rdx, 1);
	}
	return -ENOSYS;
}

/*
 * dead is leaving: it leaves any queue it waits in, and every process that
 * waits on it -- blocked sending to it, or receiving from it (a SENDREC
 * waiting for its reply included) -- fails with EDEADSRCDST.
 */
/*
 * Take p out of the call it is blocked in: out of its destination's queue
 * if sending, out of its wait if receiving. The caller has made sure p is
 * not runnable otherwise (stopped or dying), so no queue changes here.
 */
void ipc_abort(struct proc *p)
{
	struct proc **q;

	if (p->rts & RTS_SENDING) {
		struct proc *dst = &procs[ENDPOINT_SLOT(p->sendto)];
		for (q = &dst->callers; *q; q = &(*q)->caller_next)
			if (*q == p) {
				*q = p->caller_next;
				break;
			}
	}
	p->rts &= ~(RTS_SENDING | RTS_RECEIVING);
	p->flags &= ~(PF_SENDREC | PF_KMSG);
}

void ipc_cancel(struct proc *dead)
{
	int s = ENDPOINT_SLOT(dead->endpoint), i;
	struct proc *p;

	ipc_abort(dead);
	while ((p = dead->callers)) {
		dead->callers = p->caller_next;
		p->regs.rax = -EDEADSRCDST;
		p->flags &= ~(PF_SENDREC | PF_KMSG);
		proc_unblock(p, RTS_SENDING);
	}
	for (i = 0; i < NR_SLOTS; i++) {
		p = &procs[i];
		if (p->rts & RTS_FREE)
			continue;
		p->notify_pending[s / 64] &= ~(1ull << (s % 64));
		if (p != dead && p->rts == RTS_RECEIVING && p->getfrom == dead->endpoint)
			finish_receive(p, -EDEADSRCDST);
	}
}
