/*
 * In-guest fuzzers (docs/reliability.md, "Fuzzing"). One program, three
 * roles chosen by the service name the image gives it:
 *   test     the supervisor: first service, parent of the fuzzer; keeps it
 *            moving (a watchdog cancels calls it blocks in), then checks
 *            that the kernel and the servers still answer;
 *   fuzzkc   the kernel fuzzer: random traps with hostile arguments;
 *   fuzzipc  the IPC fuzzer: random messages to every endpoint it may reach.
 * Build flags: -DFUZZ_ITERS=N (traps or messages), -DFUZZ_SEED=N (0: from
 * the time stamp counter). `make fuzz-guest` (mk/fuzz.mk) passes them.
 */
#ifndef T_FUZZ_H
#define T_FUZZ_H

#include "../test.h"
#include "../proto.h"

#ifndef FUZZ_ITERS
#define FUZZ_ITERS	60000
#endif
#ifndef FUZZ_IPC_ITERS
#define FUZZ_IPC_ITERS	(FUZZ_ITERS / 6)
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED	0x5eedb01dfaceull
#endif
/* The supervisor gives up after this many ticks (100 Hz). */
#ifndef FUZZ_DEADLINE
#define FUZZ_DEADLINE	(240 * 100)
#endif

#define PAGE	4096ul

/* xorshift64*: small, fast, and the whole state is the printed seed. */
static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static inline uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t fuzz_seed(void)
{
	uint64_t s = FUZZ_SEED;

	if (!s)
		s = rdtsc() * 0x9E3779B97F4A7C15ull;
	return s ? s : 1;
}

/* A raw trap: every register the ABI reads is ours to choose. */
static inline long raw_trap(uint64_t nr, const uint64_t a[6])
{
	register uint64_t r10 __asm__("r10") = a[3];
	register uint64_t r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];
	long r;

	__asm__ volatile("syscall" : "=a"(r)
	    : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return r;
}

int fuzz_kcall_main(endpoint_t self);
int fuzz_ipc_main(endpoint_t self);
int supervisor_main(endpoint_t self);

#endif
