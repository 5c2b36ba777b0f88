/* What the native benchmarks (bench/native/) share: the requests ipcbench
 * sends to its helpers, the time stamp counter, and sorting samples. */
#ifndef BENCH_NATIVE_BENCH_H
#define BENCH_NATIVE_BENCH_H

#include <stdint.h>

#define BENCH_COPY	1	/* bpeer: safe-copy q[0] bytes from the caller's grant 0 */
#define BENCH_IRQ	2	/* irqbench: time q[0] interrupts; q[0..2] = p10, median, p90 */
#define COPY_BYTES	(64 * 1024)

/* Under tools/qemu --bench (-icount shift=0) one tick per guest instruction. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Insertion sort: a few dozen samples. */
static inline void sort_samples(uint64_t *v, int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

#endif
