/*
 * Native microkernel benchmarks, in guest cycles (under `tools/qemu
 * --bench`, -icount shift=0, a cycle is one guest instruction):
 *   ipc_roundtrip    SENDREC to a server in another address space that
 *                    answers with REPLYRECV (the fast path)
 *   ipc_roundtrip_slow  the same through the general path (SEND + RECEIVE
 *                    pairs on both sides)
 *   notify           NOTIFY to a process waiting in RECEIVE, and its wake-up
 *   send_plus_notify_back  SEND to a server that answers with NOTIFY
 *   kcall_getinfo    KC_GETINFO of oneself (64 bytes out)
 *   trap_null        an unknown trap number: kernel entry and exit only
 * Each figure is the median of 31 rounds of 1,000 operations.
 */
#include "../../../tests/system/test.h"

#define ROUNDS	31
#define OPS	1000

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint64_t median(uint64_t *v, int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static void report(const char *name, uint64_t *v)
{
	printf("metric %s %lu cycles rounds=%d batch=%d\n", name, median(v, ROUNDS) / OPS, ROUNDS, OPS);
}

int main(void)
{
	endpoint_t echo = lookup_endpoint("echo"), peer = lookup_endpoint("peer");
	static char page[4096];
	uint64_t t[ROUNDS], t0;
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

	(void)page;
	printf("%s\n", TESTS_DONE);
	sys_shutdown(0);
	return 0;
}
