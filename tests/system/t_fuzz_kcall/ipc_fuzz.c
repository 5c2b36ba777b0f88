/*
 * The IPC fuzzer: FUZZ_IPC_ITERS random messages -- random types
 * (including the kernel's own MSG_NOTIFY and MSG_SYSCALL, which a user can
 * put in `type` but never in `source`), random payloads (endpoints,
 * pointers, -1, huge values) -- with random primitives to every endpoint
 * its manifest allows: the boot services named in targets[] that are
 * present in the image, ourselves, and garbage endpoints. Every so often
 * it checks that each present server still answers a well-formed request.
 * Blocking calls are bounded by the supervisor's watchdog.
 *
 * Deny-list for the test servers (their protocols, not the kernel):
 *   peer CMD_DIE ends peer by design; CMD_WAIT_CLOCK waits q[0] ticks, so
 *   q[0] is kept in 1..8 (peer waits forever if the alarm is refused or
 *   cancelled by 0).
 */
#include "fuzz.h"

struct target {
	const char *name;
	endpoint_t ep;
	long (*probe)(endpoint_t);	/* a well-formed request; 0 if answered right */
};

static long probe_echo(endpoint_t e)
{
	message_t m;
	long r;

	memset(&m, 0, sizeof(m));
	m.type = CMD_ECHO;
	m.u.q[0] = 1000;
	if ((r = ipc_sendrec(e, &m)) < 0)
		return r;
	return m.u.q[0] == 1001 ? 0 : -1000;
}

static long probe_peer(endpoint_t e)
{
	message_t m;
	long r;

	memset(&m, 0, sizeof(m));
	m.type = 1000;
	if ((r = ipc_sendrec(e, &m)) < 0)
		return r;
	return m.u.q[0] == (uint64_t)-1 ? 0 : -1000;
}

static struct target targets[] = {
	{ "echo", 0, probe_echo },
	{ "peer", 0, probe_peer },
	{ "test", 0, NULL },
};
#define NTARGETS (int)(sizeof(targets) / sizeof(targets[0]))

static int32_t rand_type(void)
{
	switch (rnd_below(8)) {
	case 0: return MSG_NOTIFY;
	case 1: return MSG_SYSCALL;
	case 2: return MSG_KERNEL_BASE + (int32_t)rnd_below(16);
	case 3: case 4: return 1 + (int32_t)rnd_below(12);	/* the test protocol */
	case 5: return (int32_t)rnd();
	case 6: return -(int32_t)rnd_below(8);
	default: return (int32_t)rnd_below(1 << 16);
	}
}

static uint64_t rand_word(void)
{
	switch (rnd_below(8)) {
	case 0: return 0;
	case 1: return (uint64_t)-1;
	case 2: return rnd_below(16);
	case 3: return (uint64_t)(int64_t)targets[rnd_below(NTARGETS)].ep;
	case 4: return 0xFFFF800000000000ul + rnd_below(1ul << 30);
	case 5: return 1ul << rnd_below(64);
	default: return rnd();
	}
}

int fuzz_ipc_main(endpoint_t self)
{
	uint64_t seed = fuzz_seed();
	unsigned long i, sent = 0, errs = 0, probes = 0, bad = 0;
	message_t m;
	int t, n = 0;

	rng_state = seed;
	for (t = 0; t < NTARGETS; t++) {
		targets[t].ep = lookup_endpoint(targets[t].name);
		if (targets[t].ep > 0)
			n++;
	}
	printf("fuzz: ipc fuzzer: seed 0x%lx, %lu messages to %d endpoints (FUZZ_SEED=0x%lx FUZZ_ITERS=%lu to repeat)\n",
	    seed, (unsigned long)FUZZ_IPC_ITERS, n, seed, (unsigned long)FUZZ_ITERS);
	for (i = 0; i < FUZZ_IPC_ITERS; i++) {
		struct target *tg = &targets[rnd_below(NTARGETS)];
		endpoint_t dst = tg->ep;
		int prim = 1 + (int)rnd_below(IPC_NR_PRIMITIVES - 1), k;
		long r;

		if (dst <= 0)
			continue;
		if (rnd_below(16) == 0)
			dst = rnd_below(2) ? self : (endpoint_t)rnd();
		m.source = (endpoint_t)rnd();		/* overwritten by the kernel */
		m.type = rand_type();
		for (k = 0; k < 7; k++)
			m.u.q[k] = rand_word();
		if (!strcmp(tg->name, "peer")) {
			if (m.type == CMD_DIE)
				m.type = CMD_ECHO;
			if (m.type == CMD_WAIT_CLOCK)
				m.u.q[0] = 1 + (m.u.q[0] & 7);
		}
		if ((prim == IPC_RECEIVE || prim == IPC_REPLYRECV) && rnd_below(4))
			ipc_notify(self);	/* something to receive at once */
		switch (prim) {
		case IPC_SEND: r = ipc_send(dst, &m); break;
		case IPC_RECEIVE: r = ipc_receive(rnd_below(2) ? ANY : dst, &m); break;
		case IPC_SENDREC: r = ipc_sendrec(dst, &m); break;
		case IPC_NOTIFY: r = ipc_notify(dst); break;
		case IPC_SENDNB: r = ipc_sendnb(dst, &m); break;
		default: r = ipc_replyrecv(dst, &m, rnd_below(2) ? ANY : dst); break;
		}
		sent++;
		if (r < 0)
			errs++;
		if (i % 500 == 499) {
			for (t = 0; t < NTARGETS; t++) {
				if (targets[t].ep <= 0 || !targets[t].probe)
					continue;
				probes++;
				for (k = 0; k < 50; k++)	/* the watchdog may cut a wait short */
					if ((r = targets[t].probe(targets[t].ep)) != -EINTR)
						break;
				if (r) {
					bad++;
					printf("fuzz: %s did not answer a well-formed request after "
					    "message %lu: %ld\n", targets[t].name, i, r);
				}
			}
		}
	}
	printf("fuzz: ipc fuzzer done: %lu calls, %lu errors, %lu probes, %lu unanswered\n",
	    sent, errs, probes, bad);
	return bad ? 2 : 0;
}
