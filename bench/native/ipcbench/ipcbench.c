/*
 * Native microkernel benchmarks, in guest cycles (under `tools/qemu
 * --bench`, -icount shift=0, a cycle is one guest instruction):
 *   ipc_roundtrip    SENDREC to a server in another address space that
 *                    answers with REPLYRECV (the fast path)
 *   ipc_roundtrip_slow  the same through the general path (SEND + RECEIVE
 *                    pairs on both sides)
 *   send_plus_notify_back  SEND to a server that answers with NOTIFY
 *   notify_roundtrip NOTIFY to bpeer waiting in RECEIVE, which NOTIFYs
 *                    back; notify_latency is half of it (one NOTIFY, the
 *                    receiver's wake-up and the switch to it)
 *   safecopy_64k     bpeer copies 64 KiB out of our grant with KC_SAFECOPY
 *                    (the request's round trip, ipc_roundtrip, taken off)
 *   irq_latency      from the kernel's interrupt handler to the driver
 *                    running after its RECEIVE (irqbench, the CMOS clock's
 *                    periodic interrupt; the machine idle in between)
 *   kcall_getinfo    KC_GETINFO of oneself (64 bytes out)
 *   trap_null        an unknown trap number: kernel entry and exit only
 * Each figure is the median of 31 rounds of 1,000 operations (irq_latency:
 * of 31 interrupts; safecopy_64k: 31 rounds of 100 copies).
 */
#include "../../../tests/system/test.h"
#include "../bench.h"

#define ROUNDS	31
#define OPS	1000

static uint64_t median(uint64_t *v, int n)
{
	sort_samples(v, n);
	return v[n / 2];
}

static void report(const char *name, uint64_t *v)
{
	printf("metric %s %lu cycles rounds=%d batch=%d\n", name, median(v, ROUNDS) / OPS, ROUNDS, OPS);
}

/* NOTIFY there and back: bpeer waits in RECEIVE and notifies us back. */
static void bench_notify(endpoint_t bpeer, uint64_t *t)
{
	message_t m;
	uint64_t t0;
	int r, i;

	for (r = 0; r < ROUNDS; r++) {
		t0 = rdtsc();
		for (i = 0; i < OPS; i++) {
			ipc_notify(bpeer);
			ipc_receive(bpeer, &m);
		}
		t[r] = rdtsc() - t0;
	}
	report("notify_roundtrip", t);
	printf("metric notify_latency %lu cycles derived=notify_roundtrip/2\n",
	    median(t, ROUNDS) / OPS / 2);
}

/* 64 KiB safe copies by bpeer out of our grant, less the round trip. */
static void bench_safecopy(endpoint_t bpeer, uint64_t rtt)
{
	static uint8_t src[COPY_BYTES] __attribute__((aligned(4096)));
	static struct grant g[1];
	uint64_t t[ROUNDS], t0, per;
	message_t m;
	int r, i;

	memset(src, 0x5a, sizeof(src));
	g[0] = (struct grant){ GRANT_VALID | GRANT_READ, bpeer, (uint64_t)src, sizeof(src), 0 };
	if (sys_setgrant(g, 1) < 0) {
		printf("fail safecopy_64k setgrant\n");
		return;
	}
	memset(&m, 0, sizeof(m));
	m.type = BENCH_COPY;
	m.u.q[0] = COPY_BYTES;
	if (ipc_sendrec(bpeer, &m) < 0 || m.u.q[0] != 0) {
		printf("fail safecopy_64k error %ld\n", (long)m.u.q[0]);
		return;
	}
	for (r = 0; r < ROUNDS; r++) {
		t0 = rdtsc();
		for (i = 0; i < OPS / 10; i++) {
			m.type = BENCH_COPY;
			m.u.q[0] = COPY_BYTES;
			ipc_sendrec(bpeer, &m);
		}
		t[r] = rdtsc() - t0;
	}
	per = median(t, ROUNDS) / (OPS / 10) - rtt;
	printf("metric safecopy_64k %lu cycles rounds=%d batch=%d bytes=%d\n",
	    per, ROUNDS, OPS / 10, COPY_BYTES);
}

/* irqbench times the interrupts; it answers p10, median and p90. */
static void bench_irq(endpoint_t irqbench)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.type = BENCH_IRQ;
	m.u.q[0] = ROUNDS;
	if (ipc_sendrec(irqbench, &m) < 0 || m.u.q[3]) {
		printf("fail irq_latency error %ld\n", (long)m.u.q[3]);
		return;
	}
	printf("metric irq_latency %lu cycles rounds=%d batch=1 p10=%lu p90=%lu\n",
	    m.u.q[1], ROUNDS, m.u.q[0], m.u.q[2]);
}

int main(void)
{
	endpoint_t echo = lookup_endpoint("echo"), peer = lookup_endpoint("peer");
	endpoint_t bpeer = lookup_endpoint("bpeer"), irqbench = lookup_endpoint("irqbench");
	uint64_t t[ROUNDS], t0, rtt;
	struct info_proc ip;
	message_t m;
	int r, i;

	memset(&m, 0, sizeof(m));
	for (r = 0; r < ROUNDS; r++) {
		t0 = rdtsc();
		for (i = 0; i < OPS; i++)
			ipc_sendrec(echo, &m);
		t[r] = rdtsc() - t0;
	}
	report("ipc_roundtrip", t);
	rtt = median(t, ROUNDS) / OPS;

	/* peer answers CMD_SEND_BACK with a plain SEND: the general path. */
	for (r = 0; r < ROUNDS; r++) {
		t0 = rdtsc();
		for (i = 0; i < OPS; i++) {
			m.type = 2;	/* CMD_SEND_BACK */
			ipc_send(peer, &m);
			ipc_receive(peer, &m);
		}
		t[r] = rdtsc() - t0;
	}
	report("ipc_roundtrip_slow", t);

	for (r = 0; r < ROUNDS; r++) {
		t0 = rdtsc();
		for (i = 0; i < OPS; i++) {
			m.type = 3;	/* CMD_NOTIFY_BACK: peer notifies us */
			ipc_send(peer, &m);
			ipc_receive(peer, &m);
		}
		t[r] = rdtsc() - t0;
	}
	report("send_plus_notify_back", t);

	bench_notify(bpeer, t);
	bench_safecopy(bpeer, rtt);
	bench_irq(irqbench);

	for (r = 0; r < ROUNDS; r++) {
		t0 = rdtsc();
		for (i = 0; i < OPS; i++)
			sys_getinfo(INFO_SELF, 0, &ip, sizeof(ip));
		t[r] = rdtsc() - t0;
	}
	report("kcall_getinfo", t);

	for (r = 0; r < ROUNDS; r++) {
		t0 = rdtsc();
		for (i = 0; i < OPS; i++)
			trap6(0x7777, 0, 0, 0, 0, 0, 0);	/* unknown: straight back */
		t[r] = rdtsc() - t0;
	}
	report("trap_null", t);

	printf("%s\n", TESTS_DONE);
	sys_shutdown(0);
	return 0;
}
