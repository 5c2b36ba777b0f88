/*
 * PM's main loop: Linux system calls forwarded by the kernel gateway
 * (MSG_SYSCALL from a user process), kernel events (SYSTEM: a child
 * faulted or exited) and alarms (CLOCK: sleeps, alarm(), the boot wait for
 * VFS). Calls that cannot be answered yet (wait4, nanosleep, pause) are
 * kept in the caller's table entry and answered later.
 */
#include "pm.h"
#include "sysnr.h"

struct mproc mproc[NR_PROCS];
static int16_t slot_map[NR_SLOTS];	/* live slot -> mproc index + 1 */
endpoint_t pm_self;
struct contract_monitor vfs_mon;

static uint64_t prng_state;
static int init_waiting;		/* init's exec waits for VFS to come up */
static struct mproc *init_proc;
static uint64_t boot_hz = 100;

/* xorshift64*, seeded from the time-stamp counter: AT_RANDOM, getrandom. */
uint64_t prng_next(void)
{
	prng_state ^= prng_state >> 12;
	prng_state ^= prng_state << 25;
	prng_state ^= prng_state >> 27;
	return prng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint64_t now_ticks(void)
{
	struct info_kernel k;

	if (sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k)) < 0)
		return 0;
	boot_hz = k.hz;
	return k.ticks;
}

uint64_t ticks_hz(void)
{
	return boot_hz;
}

/* The table: a pool, so a zombie keeps its entry after the kernel reuses its slot. */
struct mproc *mp_of(endpoint_t ep)
{
	int i;

	if (ep <= 0)
		return 0;
	i = slot_map[ENDPOINT_SLOT(ep)];
	if (!i || !mproc[i - 1].in_use || mproc[i - 1].zombie || mproc[i - 1].ep != ep)
		return 0;
	return &mproc[i - 1];
}

struct mproc *mp_alloc(endpoint_t ep)
{
	int i;

	for (i = 0; i < NR_PROCS; i++)
		if (!mproc[i].in_use) {
			memset(&mproc[i], 0, sizeof(mproc[i]));
			mproc[i].in_use = 1;
			mproc[i].ep = ep;
			slot_map[ENDPOINT_SLOT(ep)] = (int16_t)(i + 1);
			return &mproc[i];
		}
	return 0;
}

/* The process is gone from the kernel: it stays here only as a zombie (or not at all). */
void mp_unlink(struct mproc *p)
{
	int s = ENDPOINT_SLOT(p->ep);

	if (slot_map[s] && &mproc[slot_map[s] - 1] == p)
		slot_map[s] = 0;
}

endpoint_t vfs_endpoint(void)
{
	static endpoint_t vfs;
	struct info_proc ip;

	/* Look it up again if it died (a restarted VFS has a new endpoint). */
	if (vfs > 0 && sys_getinfo(INFO_PROC, ENDPOINT_SLOT(vfs), &ip, sizeof(ip)) > 0 &&
	    ip.endpoint == vfs)
		return vfs;
	vfs = lookup_endpoint("vfs");
	return vfs;
}

/* A VFS answer as one number: Ok's value, Fail's error, or the IPC error. */
int vfs_result(int r, struct pm_vfs_msg *m)
{
	if (r < 0)
		return r;
	if (m->type == PM_VFS_FAIL)
		return m->u.Fail.error;
	if (m->type == PM_VFS_OK)
		return (int)m->u.Ok.value;
	if (m->type == PM_VFS_OPENED)
		return 0;
	return -EPROTO;
}

/* Answer a call: the value becomes the program's rax. */
void reply(struct mproc *p, long value)
{
	message_t m;

	p->in_call = 0;
	p->wait = W_NONE;
	memset(&m, 0, sizeof(m));
	m.type = 0;
	m.u.q[0] = (uint64_t)value;
	/* Non-blocking: a client that is gone must not hang PM. */
	(void)ipc_sendnb(p->ep, &m);
}

/* A call is done: answer it, unless a signal must be delivered first. */
void finish(struct mproc *p, long value)
{
	if (sig_deliverable(p))
		sig_deliver(p, value);
	else
		reply(p, value);
}

static long dispatch(struct mproc *p, uint64_t nr, uint64_t *a)
{
	long r;

	if ((r = do_proc_call(p, nr, a)) != -ENOSYS)
		return r;
	if ((r = do_signal_call(p, nr, a)) != -ENOSYS)
		return r;
	if ((r = do_mem_call(p, nr, a)) != -ENOSYS)
		return r;
	if ((r = do_time_call(p, nr, a)) != -ENOSYS)
		return r;
	if (nr == NR_execve)
		return do_execve(p, a[0], a[1], a[2]);
	return do_misc_call(p, nr, a);
}

static int fault_signal(uint32_t vector)
{
	switch (vector) {
	case 0:			/* divide error */
	case 16: case 19:	/* x87 / SIMD floating point */
		return SIGFPE;
	case 6:			/* invalid opcode */
		return SIGILL;
	case 1: case 3:		/* debug, breakpoint */
		return SIGTRAP;
	case 17:		/* alignment check */
		return SIGBUS;
	default:		/* page fault, #GP, stack fault, ... */
		return SIGSEGV;
	}
}

/* SYSTEM: children of PM (user processes and boot services) stopped or exited. */
static void kernel_events(void)
{
	struct fault_report r;
	struct mproc *p;

	while (sys_getevent(&r) == 1) {
		p = mp_of(r.endpoint);
		if (!p) {
			/* A boot service: PM is its kernel parent until RS exists. */
			if (r.vector == EVENT_EXIT) {
				printf("pm: boot service %d exited (status %lu)\n", r.endpoint, r.error);
			} else {
				printf("pm: boot service %d faulted (vector %u at %lx), ended\n",
				    r.endpoint, r.vector, r.rip);
				(void)sys_exit(r.endpoint, 0);
			}
			continue;
		}
		if (r.vector == EVENT_EXIT) {
			/* Ended itself with KC_EXIT: already gone from the kernel. */
			proc_exit(p, (int)(r.error & 0xff) << 8, 1);
			psinfo_note(p);
			continue;
		}
		sig_fault(p, fault_signal(r.vector), r.addr);
		psinfo_note(p);
	}
}

/* Boot: init is a stopped copy of PM, emptied and given user privileges. */
static void start_init(void)
{
	struct info_proc me;
	long ep;
	struct mproc *p;
	int i;

	ep = sys_fork_flags(SELF, FORK_STOPPED);
	if (ep < 0) {
		printf("pm: cannot create init: %ld\n", ep);
		return;
	}
	/*
	 * KC_FORK gives the copy PM's privilege id, and the kernel then takes
	 * the copy for the holder of PM's system calls; moving the copy to the
	 * user privileges does not undo that, so PM claims its id back.
	 */
	if (sys_getinfo(INFO_SELF, 0, &me, sizeof(me)) < 0 || sys_unmap((endpoint_t)ep, 0, USER_END) < 0 ||
	    sys_setpriv((endpoint_t)ep, PRIV_USER, 0) < 0 || sys_setpriv(SELF, (int)me.priv_id, 0) < 0 ||
	    !(p = mp_alloc((endpoint_t)ep))) {
		printf("pm: cannot prepare init\n");
		(void)sys_exit((endpoint_t)ep, 0);
		return;
	}
	p->pid = 1;
	p->ppid = 0;
	p->pgid = p->sid = 1;
	for (i = 0; i < NR_RLIMITS; i++)
		p->rlim[i][0] = p->rlim[i][1] = ~0ull;
	p->rlim[3][0] = STACK_SIZE;		/* RLIMIT_STACK: what exec maps */
	p->rlim[7][0] = p->rlim[7][1] = 1024;	/* RLIMIT_NOFILE */
	p->start_tick = now_ticks();
	init_proc = p;
	init_waiting = 1;
}

static void try_exec_init(void)
{
	int r;

	if (!init_waiting)
		return;
	r = exec_init(init_proc);
	if (r == -EAGAIN || r == -EDEADSRCDST || r == -ESRCH) {
		boot_retry_tick = now_ticks() + 5;	/* VFS is not up yet */
		timers_rearm();
		return;
	}
	init_waiting = 0;
	boot_retry_tick = 0;
	if (r < 0)
		printf("pm: cannot start /sbin/init: error %d\n", r);
}

#ifdef PM_VFS_TAKESIGNAL
/*
 * VFS raises signals (SIGPIPE, the terminal's ^C ^\ ^Z) by notifying PM:
 * it cannot call PM, which is to its left in the wait-for order. PM takes
 * them one by one until VFS has none left.
 */
static void vfs_signals(void)
{
	struct pm_vfs_msg m;
	int i, n;

	for (n = 0; n < 64; n++) {
		if (pm_vfs_call_TakeSignal(&vfs_mon, vfs_endpoint(), &m) < 0 || m.type != PM_VFS_SIGNAL)
			return;
		if (m.u.Signal.proc != NONE) {
			struct mproc *p = mp_of(m.u.Signal.proc);
			/* SIGPIPE: as Linux, SI_USER from the process itself */
			if (p)
				sig_send_info(p, m.u.Signal.signo, SI_USER, p->pid, p->uid, 0);
			continue;
		}
		for (i = 0; i < NR_PROCS; i++)
			if (mproc[i].in_use && !mproc[i].zombie && mproc[i].pgid == m.u.Signal.pgrp)
				sig_send(&mproc[i], m.u.Signal.signo);
	}
}
#endif

static void log_line(const char *line)
{
	printf("pm: %s\n", line);
}

int main(endpoint_t self, const char *name)
{
	message_t m;
	struct mproc *p;
	long r;

	(void)name;
	pm_self = self;
	prng_state = rdtsc() | 1;
	contract_log_hook = log_line;
	pm_vfs_monitor_init(&vfs_mon, CONTRACT_CLIENT);
	(void)now_ticks();
	pm_rtc_boot_time();	/* the wall clock, from the RTC driver */
	if (psinfo_init() < 0)
		printf("pm: cannot grant the process table to IS\n");
	start_init();
	try_exec_init();
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			if (m.source == SYSTEM)
				kernel_events();
			else if (m.source == CLOCK) {
				try_exec_init();
				timers_expired();
			}
#ifdef PM_VFS_TAKESIGNAL
			else if (m.source == vfs_endpoint())
				vfs_signals();
#endif
			continue;
		}
		if (m.type != MSG_SYSCALL)
			continue;	/* nobody else speaks to PM */
		if (!(p = mp_of(m.source))) {
			m.u.q[0] = (uint64_t)-EPERM;	/* a boot service is no POSIX process */
			(void)ipc_sendnb(m.source, &m);
			continue;
		}
		p->in_call = 1;
		p->nr = m.u.q[0];
		memcpy(p->a, &m.u.q[1], sizeof(p->a));
		r = dispatch(p, m.u.q[0], &m.u.q[1]);
		if (r != NOREPLY && p->in_use && !p->zombie && p->in_call)
			finish(p, r);
		psinfo_note(p);
	}
}
