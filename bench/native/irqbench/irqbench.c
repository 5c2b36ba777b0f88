/*
 * irqbench: interrupt-to-driver latency, for ipcbench. A driver of the
 * CMOS clock's periodic interrupt (MC146818: register A bits 0-3 set the
 * rate, 32768 >> (rate - 1) Hz; register B bit 6 enables it; reading
 * register C acknowledges it), IRQ 8.
 *
 * Each sample: the driver waits in RECEIVE (the machine is idle), the
 * line fires, and the kernel's interrupt handler reads the time stamp
 * counter and hands it over in the notification (q[1], docs/ipc.md); the
 * driver reads the counter again as soon as RECEIVE returns. The
 * difference is the kernel's whole path from interrupt to a running
 * driver: handler, notification, switch, return to user mode.
 */
#include "../../../lib/sys/sys.h"
#include "../../../lib/mini/mini.h"
#include "../bench.h"

#define RTC_INDEX	0x70
#define RTC_DATA	0x71
#define NMI_OFF		0x80
#define RTC_IRQ		8
#define RATE_1024HZ	6
#define MAX_SAMPLES	64

static long cmos_read(unsigned reg)
{
	long r = sys_devio(DEVIO_OUT8, RTC_INDEX, reg | NMI_OFF);
	return r < 0 ? r : sys_devio(DEVIO_IN8, RTC_DATA, 0);
}

static long cmos_write(unsigned reg, unsigned v)
{
	long r = sys_devio(DEVIO_OUT8, RTC_INDEX, reg | NMI_OFF);
	return r < 0 ? r : sys_devio(DEVIO_OUT8, RTC_DATA, v);
}

/* Turn the periodic interrupt on (on = 1) or off. */
static long periodic(int on)
{
	long a, b;

	if ((a = cmos_read(0x0A)) < 0 || (b = cmos_read(0x0B)) < 0)
		return a < 0 ? a : b;
	if (on && (a = cmos_write(0x0A, ((unsigned)a & 0xf0) | RATE_1024HZ)) < 0)
		return a;
	b = on ? (b | 0x40) : (b & ~0x40);
	if ((a = cmos_write(0x0B, (unsigned)b)) < 0)
		return a;
	return cmos_read(0x0C);		/* clear a flag already raised */
}

/* n samples into v (n <= MAX_SAMPLES): 0 or -errno. */
static long measure(uint64_t *v, int n)
{
	message_t m;
	long e;
	int i;

	if ((e = periodic(1)) < 0)
		return e;
	for (i = -2; i < n; ) {		/* the first two may have waited */
		if ((e = ipc_receive(HARDWARE, &m)) < 0)
			break;
		if (m.type == MSG_NOTIFY && (m.u.q[0] & (1u << RTC_IRQ))) {
			uint64_t t = rdtsc();
			if (i >= 0)
				v[i] = t - m.u.q[1];
			i++;
		}
		if ((e = cmos_read(0x0C)) < 0 || (e = sys_irqctl(IRQ_ENABLE, RTC_IRQ)) < 0)
			break;
	}
	if (periodic(0) < 0 && e >= 0)
		e = -EIO;
	return e < 0 ? e : 0;
}

int main(void)
{
	static uint64_t v[MAX_SAMPLES];
	message_t m;
	long e;
	int n;

	if ((e = sys_irqctl(IRQ_ATTACH, RTC_IRQ)) < 0)
		printf("irqbench: cannot attach IRQ %d (%ld)\n", RTC_IRQ, e);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0 || m.type != BENCH_IRQ)
			continue;
		n = m.u.q[0] < MAX_SAMPLES ? (int)m.u.q[0] : MAX_SAMPLES;
		if (e >= 0 && n > 0)
			e = measure(v, n);
		memset(&m.u, 0, sizeof(m.u));
		if (e < 0 || n <= 0) {
			m.u.q[3] = (uint64_t)(e < 0 ? e : -EINVAL);
		} else {
			sort_samples(v, n);
			m.u.q[0] = v[n / 10];
			m.u.q[1] = v[n / 2];
			m.u.q[2] = v[n - 1 - n / 10];
		}
		(void)ipc_sendnb(m.source, &m);
	}
}
