/*
 * A Promela model of the kernel's IPC, kernel/ipc.c (the general path).
 *
 * NPROC user processes call the primitives with nondeterministic targets;
 * each primitive is one atomic step, as in the kernel (one CPU, no
 * preemption inside a kernel call). The kernel's state is modelled field
 * by field: rts (SENDING / RECEIVING), sendto, getfrom, the SENDREC flag,
 * each receiver's FIFO of blocked senders (callers), one pending
 * notification bit per (receiver, source), and the IPC masks. Message
 * contents are abstracted away: what matters is who hands a message to
 * whom, checked at the moment the kernel copies it.
 *
 * Checked (docs/verification.md):
 *  - no_cycle: after every kernel step, no process can follow the
 *    wait-for chain (sender -> destination, receiver -> its specific
 *    source) back to itself: every cycle is refused with EDEADLK;
 *  - delivery: a message goes only to the process its sender named, only
 *    when that process accepts its sender (ANY or that source), a SENDREC
 *    waiting for its reply gets only the reply and never a notification,
 *    and a sender without the mask bit reaches only a process waiting for
 *    its reply (the reply right);
 *  - results: RECEIVE(src) returns a message from src, SENDREC(dst) the
 *    reply from dst;
 *  - LIVENESS build: a notification to a process that keeps receiving ANY
 *    is delivered (ltl no_lost_notification, pan -a -f).
 *
 * Deliberately broken variants, each of which spin must refute:
 *  -DBROKEN_NO_DEADLOCK_CHECK   closes_cycle() always says no
 *  -DBROKEN_NOTIFY_SENDREC      notify ignores the SENDREC flag
 *  -DBROKEN_NOTIFY_DROP         notify to a busy process is dropped
 *  -DBROKEN_QUEUE_ANY           receive(src) takes the first queued sender
 *                               whoever it is
 *  -DBROKEN_NO_MASK             send ignores the IPC mask
 *  -DBROKEN_RECEIVE_SELF        the kernel before 710f91d: RECEIVE from one's
 *                               own endpoint blocked forever (closes_cycle
 *                               never compares the target with the caller)
 * Not modelled: process exit (ipc_cancel), kernel-sourced notifications
 * (HARDWARE, CLOCK, SYSTEM), message buffer faults, the fast path
 * (kernel/ipc_fast.c: claimed to have the same semantics).
 */

#ifndef NPROC
#define NPROC 3
#endif
#define ANY		255
#define RTS_SENDING	2
#define RTS_RECEIVING	4

#define OK		0
#define SUSPEND		1
#define EDEADLK		2
#define EAGAIN		3
#define EPERM		4

#define IX(a, b)	((a) * NPROC + (b))

byte rts[NPROC];
byte sendto[NPROC];
byte getfrom[NPROC];
bool sendrec[NPROC];
byte callers[NPROC * NPROC];	/* callers[IX(r, i)]: r's i-th blocked sender */
byte ncallers[NPROC];
bool pending[NPROC * NPROC];	/* pending[IX(dst, src)]: notification bit */
bool mask[NPROC * NPROC];	/* mask[IX(p, q)]: p's manifest lets it send to q */
byte res[NPROC];		/* the result register of a blocked call */

#ifdef LIVENESS
bool outstanding[NPROC * NPROC];	/* ghost: src notified dst, not yet received */
#define GHOST(x)	x
#else
#define GHOST(x)	skip
#endif

/* Would p blocking on t0 close a cycle? (closes_cycle in ipc.c) */
inline closes_cycle(p, t0)
{
	cyc = false;
	t = t0;
	n = 0;
	do
	:: n < NPROC && !cyc ->
		if
		:: rts[t] & RTS_SENDING -> nxt = sendto[t]
		:: !(rts[t] & RTS_SENDING) && (rts[t] & RTS_RECEIVING) && getfrom[t] != ANY ->
			nxt = getfrom[t]
		:: else -> break
		fi;
		if
		:: nxt == p -> cyc = true
		:: else -> t = nxt; n++
		fi
	:: else -> break
	od;
#ifdef BROKEN_NO_DEADLOCK_CHECK
	cyc = false;
#endif
	skip
}

/* The invariant: no process waits on a chain that leads back to itself. */
inline end_step()
{
	t = 0; n = 0; nxt = 0; k = 0; s = 0; c = 0;
	cyc = false; dl = false; found = false
}

inline check_no_cycle()
{
	c = 0;
	do
	:: c < NPROC ->
		if
		:: rts[c] != 0 ->
			t = c; n = 0;
			do
			:: n <= NPROC ->
				if
				:: rts[t] & RTS_SENDING -> t = sendto[t]
				:: !(rts[t] & RTS_SENDING) && (rts[t] & RTS_RECEIVING) &&
				   getfrom[t] != ANY -> t = getfrom[t]
				:: else -> break
				fi;
				assert(t != c);		/* a cycle of blocked processes */
				n++
			:: else -> break
			od
		:: else -> skip
		fi;
		c++
	:: else -> break
	od
}

#define AWAITS_REPLY(d, p)	(rts[d] == RTS_RECEIVING && sendrec[d] && getfrom[d] == p)

/*
 * The kernel copies s's message into d's buffer. d is in RECEIVE (its
 * getfrom is the caller's argument, or for a SENDREC the destination it
 * sent to), or is the receiver whose queue s waited in.
 */
inline copy_message(d, s)
{
	assert(s == d || rts[s] == 0 || sendto[s] == d);	/* to the process named */
	assert(getfrom[d] == ANY || getfrom[d] == s);		/* from the source asked */
	assert(!sendrec[d] || getfrom[d] == s);			/* SENDREC: only the reply */
	assert(mask[IX(s, d)] || AWAITS_REPLY(d, s));		/* the reply right */
	skip
}

/* (sendto and getfrom are zeroed when they stop mattering, so that
 * states differing only in stale values merge.) */
inline finish_receive(d)
{
	sendrec[d] = false;
	res[d] = OK;
	getfrom[d] = 0;
	rts[d] = 0
}

inline finish_send(s, recv)
{
	assert(sendto[s] == recv);	/* a SENDREC then waits for this one */
	sendto[s] = 0;
	if
	:: sendrec[s] -> rts[s] = RTS_RECEIVING; getfrom[s] = recv
	:: else -> res[s] = OK; rts[s] = 0
	fi
}

/* Hand p (receiving from src) one pending notification: dl if it did. */
inline deliver_pending(p, src)
{
	dl = false;
	k = 0;
	do
	:: k < NPROC && !dl ->
		if
		:: pending[IX(p, k)] && (src == ANY || src == k) ->
			assert(!sendrec[p]);	/* never in place of a reply */
			pending[IX(p, k)] = false;
			GHOST(outstanding[IX(p, k)] = false);
			dl = true
		:: else -> k++
		fi
	:: else -> break
	od
}

#ifdef BROKEN_NO_MASK
#define MAY_SEND(p, d)	true
#else
#define MAY_SEND(p, d)	(mask[IX(p, d)] || AWAITS_REPLY(d, p))
#endif

inline do_send(p, d, nonblock)
{
	if
	:: !MAY_SEND(p, d) -> r = EPERM
	:: else ->
		if
		:: d == p -> r = EDEADLK
		:: d != p && rts[d] == RTS_RECEIVING && (getfrom[d] == ANY || getfrom[d] == p) ->
			copy_message(d, p);
			finish_receive(d);
			r = OK
		:: else ->
			if
			:: nonblock -> r = EAGAIN
			:: else ->
				closes_cycle(p, d);
				if
				:: cyc -> r = EDEADLK
				:: else ->
					sendto[p] = d;
					callers[IX(d, ncallers[d])] = p;
					ncallers[d]++;
					rts[p] = RTS_SENDING;
					r = SUSPEND
				fi
			fi
		fi
	fi
}

#ifdef BROKEN_RECEIVE_SELF
#define RECEIVE_SELF_REFUSED(p, src)	false
#else
#define RECEIVE_SELF_REFUSED(p, src)	(src == p)
#endif

inline do_receive(p, src, take_notify)
{
	dl = false;
	found = false;
	if
	:: RECEIVE_SELF_REFUSED(p, src) -> r = EDEADLK	/* waiting on oneself */
	:: else ->
		if
		:: take_notify -> deliver_pending(p, src)
		:: else -> skip
		fi;
		if
		:: dl -> r = OK
		:: else ->
			k = 0;
			found = false;
			do
			:: k < ncallers[p] && !found ->
				s = callers[IX(p, k)];
#ifdef BROKEN_QUEUE_ANY
				found = true
#else
				if
				:: src == ANY || s == src -> found = true
				:: else -> k++
				fi
#endif
			:: else -> break
			od;
			if
			:: found ->
				do	/* unlink entry k, keep the order */
				:: k + 1 < ncallers[p] -> callers[IX(p, k)] = callers[IX(p, k + 1)]; k++
				:: else -> break
				od;
				ncallers[p]--;
				callers[IX(p, ncallers[p])] = 0;
				getfrom[p] = src;	/* what it accepts, for copy_message's check */
				copy_message(p, s);
				getfrom[p] = 0;
				finish_send(s, p);
				r = OK
			:: else ->
				if
				:: src != ANY -> closes_cycle(p, src)
				:: else -> cyc = false
				fi;
				if
				:: cyc -> r = EDEADLK
				:: else -> getfrom[p] = src; rts[p] = RTS_RECEIVING; r = SUSPEND
				fi
			fi
		fi
	fi
}

#ifdef BROKEN_NOTIFY_SENDREC
#define NOTIFY_SENDREC_GUARD(d)	true
#else
#define NOTIFY_SENDREC_GUARD(d)	!sendrec[d]
#endif

inline do_notify(p, d)
{
	if
	:: !mask[IX(p, d)] -> r = EPERM
	:: else ->
#ifdef BROKEN_NOTIFY_DROP
		if
		:: rts[d] == RTS_RECEIVING -> pending[IX(d, p)] = true
		:: else -> skip
		fi;
#else
		pending[IX(d, p)] = true;
#endif
		GHOST(outstanding[IX(d, p)] = true);
		if
		:: rts[d] == RTS_RECEIVING && (getfrom[d] == ANY || getfrom[d] == p) &&
		   NOTIFY_SENDREC_GUARD(d) ->
			deliver_pending(d, getfrom[d]);
			if
			:: dl -> finish_receive(d)
			:: else -> skip
			fi
		:: else -> skip
		fi;
		r = OK
	fi
}

inline do_sendrec(p, d)
{
	sendrec[p] = true;
	do_send(p, d, false);
	if
	:: r == OK -> do_receive(p, d, false)
	:: else -> skip
	fi;
	if
	:: r != SUSPEND -> sendrec[p] = false
	:: else -> skip
	fi
}

/* The kernel's temporaries: dead between steps, so every step ends by
 * zeroing them (end_step) and states that differ only in them merge. */
byte t, n, nxt, k, s, c;
bool cyc, dl, found;
#define KERNEL_LOCALS	byte r, tgt, op

/* Wait until the kernel has finished a blocked call; its result is res. */
inline wait_done()
{
	if
	:: r == SUSPEND ->
end_blocked:	(rts[me] == 0);
		d_step { r = res[me]; res[me] = 0 }
	:: else -> skip
	fi
}

#define SEND 1
#define RECEIVE 2
#define SENDREC 3
#define NOTIFY 4
#define SENDNB 5
#define REPLYRECV 6
#define RECEIVE_ANY 7

/*
 * One user process: any primitive, any target, forever. What the caller
 * gets is checked where the kernel hands it over (copy_message,
 * deliver_pending): RECEIVE(src) a message from src, SENDREC(dst) the
 * reply from dst and never a notification.
 */
proctype user(byte me)
{
	KERNEL_LOCALS;

end:	do
	:: atomic {
		select(op : SEND .. RECEIVE_ANY);
		select(tgt : 0 .. NPROC - 1);
		d_step {	/* the kernel step: one transition */
		if
		:: op == SEND -> do_send(me, tgt, false)
		:: op == SENDNB -> do_send(me, tgt, true)
		:: op == RECEIVE -> do_receive(me, tgt, true)
		:: op == RECEIVE_ANY -> do_receive(me, ANY, true)
		:: op == SENDREC -> do_sendrec(me, tgt)
		:: op == NOTIFY -> do_notify(me, tgt)
		:: op == REPLYRECV ->	/* reply to tgt, then receive from ANY */
			do_send(me, tgt, true);
			if
			:: r == OK || r == EAGAIN -> do_receive(me, ANY, true)
			:: else -> skip
			fi
		fi;
		check_no_cycle();
		end_step();
		op = 0;
		tgt = 0
		}
	};
		wait_done();
		r = 0
	od
}

#ifdef LIVENESS
/* Process 0 only ever receives from ANY: every notification it is sent
 * must reach it. */
proctype receiver(byte me)
{
	KERNEL_LOCALS;

end:	do
	:: d_step { do_receive(me, ANY, true); check_no_cycle(); end_step() };
		wait_done();
		r = 0
	od
}

ltl no_lost_notification {
	[] (outstanding[IX(0, 1)] -> <> !outstanding[IX(0, 1)])
}
#endif

init
{
	byte i, j;

	atomic {
		/* every process may send to every other, except 0 -> 1: 0 may
		 * answer 1's SENDREC only through the reply right */
		for (i : 0 .. NPROC - 1) {
			for (j : 0 .. NPROC - 1) {
				mask[IX(i, j)] = !(i == 0 && j == 1)
			}
		}
#ifdef LIVENESS
		run receiver(0);
		for (i : 1 .. NPROC - 1) {
			run user(i)
		}
#else
		for (i : 0 .. NPROC - 1) {
			run user(i)
		}
#endif
	}
}
