/*
 * Time: clocks read from the kernel's tick count (KC_GETINFO INFO_KERNEL),
 * sleeps and alarm() from one kernel alarm (KC_ALARM) that PM keeps set to
 * the earliest deadline among its processes.
 *
 * The wall clock is the boot time plus the ticks since boot. The boot
 * time is 0 (1970) until the RTC driver exists: it is to tell PM the time
 * once at start, and pm_set_boot_time() is where that lands.
 */
#include "pm.h"
#include "sysnr.h"
#include <rtc.h>

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_PROCESS_CPUTIME	2
#define CLOCK_THREAD_CPUTIME	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define TIMER_ABSTIME		1
#define NSEC			1000000000ull

uint64_t boot_retry_tick;
static uint64_t boot_time_sec;	/* seconds since the epoch at tick 0 */

/* The RTC hook: the wall-clock time at boot. */
void pm_set_boot_time(uint64_t sec)
{
	boot_time_sec = sec;
}

/*
 * Ask the RTC driver (contracts/rtc.contract) for the time of day, once,
 * at start. PM calls it (PM is left of every driver in the wait-for
 * order; the driver never calls PM). Without an RTC driver in the image,
 * or when it may not be reached, the wall clock stays at 1970.
 */
void pm_rtc_boot_time(void)
{
	struct contract_monitor mon;
	struct rtc_msg r;
	endpoint_t rtc = lookup_endpoint("rtc");
	uint64_t t;
	int e;

	if (rtc < 0)
		return;
	rtc_monitor_init(&mon, CONTRACT_CLIENT);
	if ((e = rtc_call_GetTime(&mon, rtc, &r)) < 0 || r.type != RTC_TIME) {
		printf("pm: no time from the rtc driver (%d)\n",
		    e < 0 ? e : r.type == RTC_FAIL ? r.u.Fail.error : -EPROTO);
		return;
	}
	t = now_ticks() / ticks_hz();
	pm_set_boot_time(r.u.Time.sec > (int64_t)t ? (uint64_t)r.u.Time.sec - t : 0);
}

static void ticks_to_ts(uint64_t t, uint64_t ts[2])
{
	uint64_t hz = ticks_hz();

	ts[0] = t / hz;
	ts[1] = (t % hz) * (NSEC / hz);
}

static uint64_t ts_to_ticks_up(uint64_t sec, uint64_t nsec)
{
	uint64_t hz = ticks_hz();

	return sec * hz + (nsec * hz + NSEC - 1) / NSEC;
}

static uint64_t proc_ticks(struct mproc *p)
{
	struct info_proc ip;

	if (sys_getinfo(INFO_PROC, ENDPOINT_SLOT(p->ep), &ip, sizeof(ip)) > 0 && ip.endpoint == p->ep)
		return ip.ticks;
	return 0;
}

static int clock_read(struct mproc *p, uint64_t clk, uint64_t ts[2])
{
	uint64_t t = now_ticks();

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ticks_to_ts(t, ts);
		ts[0] += boot_time_sec;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		ticks_to_ts(t, ts);
		return 0;
	case CLOCK_PROCESS_CPUTIME:
	case CLOCK_THREAD_CPUTIME:
		ticks_to_ts(proc_ticks(p), ts);
		return 0;
	}
	return -EINVAL;
}

/* Set the one kernel alarm to the earliest deadline (or cancel it). */
void timers_rearm(void)
{
	uint64_t next = boot_retry_tick, now;
	int i;

	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *p = &mproc[i];
		if (!p->in_use || p->zombie)
			continue;
		if (p->wait == W_SLEEP && (!next || p->wake_tick < next))
			next = p->wake_tick;
		if (p->alarm_tick && (!next || p->alarm_tick < next))
			next = p->alarm_tick;
	}
	if (!next) {
		(void)sys_alarm(0);
		return;
	}
	now = now_ticks();
	(void)sys_alarm(next > now ? next - now : 1);
}

void timers_expired(void)
{
	uint64_t now = now_ticks();
	int i;

	if (boot_retry_tick && boot_retry_tick <= now)
		boot_retry_tick = 0;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *p = &mproc[i];
		if (!p->in_use || p->zombie)
			continue;
		if (p->alarm_tick && p->alarm_tick <= now) {
			p->alarm_tick = p->alarm_every ? now + p->alarm_every : 0;
			sig_send(p, SIGALRM);
		}
		if (p->in_use && !p->zombie && p->wait == W_SLEEP && p->wake_tick <= now)
			finish(p, 0);
	}
	timers_rearm();
}

/* A signal ends p's sleep early: tell it how much was left. */
void sleep_interrupted(struct mproc *p)
{
	uint64_t now = now_ticks(), left = p->wake_tick > now ? p->wake_tick - now : 0;
	uint64_t rem = p->nr == NR_nanosleep ? p->a[1] : p->a[3], ts[2];

	if (p->nr == NR_clock_nanosleep && (p->a[1] & TIMER_ABSTIME))
		rem = 0;
	ticks_to_ts(left, ts);
	if (rem)
		(void)copy_out(p->ep, rem, ts, sizeof(ts));
}

static long do_sleep(struct mproc *p, uint64_t clk, int abs, uint64_t req)
{
	uint64_t ts[2], now = now_ticks(), t;

	if (copy_in(p->ep, req, ts, sizeof(ts)) < 0)
		return -EFAULT;
	if ((int64_t)ts[0] < 0 || ts[1] >= NSEC)
		return -EINVAL;
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC && clk != CLOCK_BOOTTIME)
		return -EINVAL;
	if (abs) {
		uint64_t base = clk == CLOCK_REALTIME ? boot_time_sec : 0;
		if (ts[0] < base)
			return 0;
		t = ts_to_ticks_up(ts[0] - base, ts[1]);
		if (t <= now)
			return 0;
	} else {
		if (!ts[0] && !ts[1])
			return 0;
		/* +1: the current tick is partly gone, and the sleep must not be short */
		t = now + ts_to_ticks_up(ts[0], ts[1]) + 1;
	}
	p->wake_tick = t;
	p->wait = W_SLEEP;
	timers_rearm();
	return NOREPLY;
}

/* ITIMER_REAL only: alarm() in microseconds, with a reload interval. */
static long do_itimer(struct mproc *p, int set, uint64_t *a)
{
	uint64_t it[4], old[4], now = now_ticks(), hz = ticks_hz(), left;
	uint64_t newp = set ? a[1] : 0, oldp = set ? a[2] : a[1];

	if (a[0] != 0)
		return -EINVAL;		/* ITIMER_VIRTUAL, ITIMER_PROF: not kept */
	left = p->alarm_tick > now ? p->alarm_tick - now : (p->alarm_tick ? 1 : 0);
	old[0] = p->alarm_every / hz;
	old[1] = (p->alarm_every % hz) * (1000000 / hz);
	old[2] = left / hz;
	old[3] = (left % hz) * (1000000 / hz);
	if (newp) {
		if (copy_in(p->ep, newp, it, sizeof(it)) < 0)
			return -EFAULT;
		if (it[1] >= 1000000 || it[3] >= 1000000 || (int64_t)it[0] < 0 || (int64_t)it[2] < 0)
			return -EINVAL;
	}
	if (oldp && copy_out(p->ep, oldp, old, sizeof(old)) < 0)
		return -EFAULT;
	if (newp) {
		p->alarm_every = ts_to_ticks_up(it[0], it[1] * 1000);
		left = ts_to_ticks_up(it[2], it[3] * 1000);
		p->alarm_tick = left ? now + left : 0;
		if (!left)
			p->alarm_every = 0;
		timers_rearm();
	}
	return 0;
}

long do_time_call(struct mproc *p, uint64_t nr, uint64_t *a)
{
	uint64_t ts[2], t;
	int r;

	switch (nr) {
	case NR_clock_gettime:
		if ((r = clock_read(p, a[0], ts)) < 0)
			return r;
		return copy_out(p->ep, a[1], ts, sizeof(ts)) < 0 ? -EFAULT : 0;
	case NR_clock_getres:
		if (clock_read(p, a[0], ts) < 0)
			return -EINVAL;
		ts[0] = 0;
		ts[1] = NSEC / ticks_hz();
		if (a[1] && copy_out(p->ep, a[1], ts, sizeof(ts)) < 0)
			return -EFAULT;
		return 0;
	case NR_gettimeofday:
		if (a[0]) {
			(void)clock_read(p, CLOCK_REALTIME, ts);
			ts[1] /= 1000;
			if (copy_out(p->ep, a[0], ts, sizeof(ts)) < 0)
				return -EFAULT;
		}
		if (a[1]) {
			uint32_t tz[2] = { 0, 0 };
			if (copy_out(p->ep, a[1], tz, sizeof(tz)) < 0)
				return -EFAULT;
		}
		return 0;
	case NR_time:
		(void)clock_read(p, CLOCK_REALTIME, ts);
		if (a[0] && copy_out(p->ep, a[0], &ts[0], 8) < 0)
			return -EFAULT;
		return (long)ts[0];
	case NR_nanosleep:
		return do_sleep(p, CLOCK_MONOTONIC, 0, a[0]);
	case NR_clock_nanosleep:
		if (a[0] == CLOCK_PROCESS_CPUTIME || a[0] == CLOCK_THREAD_CPUTIME)
			return -EINVAL;
		return do_sleep(p, a[0], (a[1] & TIMER_ABSTIME) != 0, a[2]);
	case NR_alarm:
		t = now_ticks();
		r = p->alarm_tick ? (int)((p->alarm_tick - (p->alarm_tick > t ? t : p->alarm_tick) +
		    ticks_hz() - 1) / ticks_hz()) : 0;
		if (p->alarm_tick && !r)
			r = 1;		/* a pending alarm reports at least a second */
		p->alarm_tick = a[0] ? t + (a[0] & 0xffffffff) * ticks_hz() : 0;
		p->alarm_every = 0;
		timers_rearm();
		return r;
	case NR_getitimer:
	case NR_setitimer:
		return do_itimer(p, nr == NR_setitimer, a);
	case NR_times: {
		uint64_t tms[4], hz = ticks_hz();
		tms[0] = proc_ticks(p) * 100 / hz;
		tms[1] = 0;
		tms[2] = p->child_ticks * 100 / hz;
		tms[3] = 0;
		if (a[0] && copy_out(p->ep, a[0], tms, sizeof(tms)) < 0)
			return -EFAULT;
		return (long)(now_ticks() * 100 / hz);
	}
	}
	return -ENOSYS;
}
