/*
 * A program that speaks only the Linux system call ABI: raw `syscall`
 * instructions with Linux numbers. The gateway must turn each into a
 * round trip with the server that owns it (here the test's stub server).
 */
#include <stdint.h>

static long lsys(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c)
	    : "rcx", "r11", "memory");
	return r;
}

static void say(const char *s, long v)
{
	char buf[64];
	int n = 0, i;
	char digits[24];
	int neg = v < 0, d = 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;

	while (*s)
		buf[n++] = *s++;
	do {
		digits[d++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		buf[n++] = '-';
	for (i = d - 1; i >= 0; i--)
		buf[n++] = digits[i];
	buf[n++] = '\n';
	lsys(1, 1, (long)buf, n);
}

static uint64_t tls_block[4] = { 0x1122334455667788ul, 0, 0, 0 };

int main(void)
{
	uint64_t fs0 = 0, got = 0;

	say("write returned ", lsys(1, 1, (long)"hello from linux\n", 17));
	say("getpid ", lsys(39, 0, 0, 0));
	say("unknown 999 ", lsys(999, 0, 0, 0));
	say("unowned fanotify_init ", lsys(300, 0, 0, 0));
	say("write bad pointer ", lsys(1, 1, 0x10, 5));
	say("arch_prctl set ", lsys(158, 0x1002, (long)tls_block, 0));
	__asm__ volatile("movq %%fs:0, %0" : "=r"(fs0));
	say("fs:0 matches ", fs0 == tls_block[0]);
	say("arch_prctl get ", lsys(158, 0x1003, (long)&got, 0));
	say("get matches ", got == (uint64_t)tls_block);
	say("arch_prctl kernel address ", lsys(158, 0x1002, (long)0xFFFF800000000000ul, 0));
	lsys(231, 3, 0, 0);		/* exit_group(3) */
	return 99;
}
