/*
 * Signals: per-process actions, blocked and pending sets, and delivery.
 *
 * Delivery writes a Linux x86-64 rt_sigframe on the user stack (the
 * return address, a ucontext with the saved registers and mask, and a
 * siginfo) and starts the handler with KC_SETREGS. The handler returns
 * through sa_restorer (musl and glibc always set SA_RESTORER), which calls
 * rt_sigreturn; PM reads the ucontext back, checks it, and resumes the
 * interrupted code with KC_SETREGS.
 *
 * How the interrupted context is found:
 *  - the process waits for PM's reply (in_call): its registers are those
 *    of the `syscall`; rax becomes the call's result (or the call is
 *    restarted: rip back over the 2-byte instruction, rax = its number);
 *  - otherwise it runs, or waits on another server: KC_STOP stops it (a
 *    blocked call is cancelled with -EINTR and its number reported) and
 *    VFS is told to forget the request (Cancel). The cancelled call is
 *    restarted the same way when Linux would restart it (restart_cancelled:
 *    a stop, or a handler with SA_RESTART and a restartable call);
 *    otherwise it returns EINTR when the handler returns.
 *
 * Not kept yet: the FPU/SSE state is not saved in the frame (no kernel call
 * reads it), so a handler that uses SSE registers changes them for the
 * interrupted code; the frame's fpstate pointer is NULL to say so.
 */
#include "pm.h"
#include "sysnr.h"

#define RESTART		(-0x7ffffffffffffff0l)	/* sig_deliver: restart the held call */
#define NOT_IN_CALL	(-0x7ffffffffffffff1l)
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define MINSIGSTKSZ	2048
#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* Offsets in the Linux rt_sigframe. */
#define UC_SIZE		304	/* struct ucontext (kernel layout, 8-byte sigset) */
#define FRAME_SIZE	(8 + UC_SIZE + 128)
#define UC_STACK	16
#define UC_MCTX		40
#define UC_SIGMASK	296

enum dfl { D_TERM, D_CORE, D_IGN, D_STOP, D_CONT };

static enum dfl default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return D_IGN;
	case SIGCONT:
		return D_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return D_STOP;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case 24: case 25: case 31:
		return D_CORE;
	}
	return D_TERM;
}

static int ignored(struct mproc *p, int sig)
{
	uint64_t h = p->act[sig].handler;

	return h == SIG_IGN || (h == SIG_DFL && (default_action(sig) == D_IGN ||
	    (default_action(sig) == D_CONT)));
}

static uint64_t deliverable_set(struct mproc *p)
{
	return p->pending & ~(p->blocked & ~UNBLOCKABLE);
}

int sig_deliverable(struct mproc *p)
{
	return !p->stopped && deliverable_set(p) != 0;
}

static struct mproc *parent_of(struct mproc *p)
{
	struct mproc *q = mp_by_pid(p->ppid);

	return q && !q->zombie ? q : 0;
}

/*
 * How the signal that interrupts a call is taken, which decides whether
 * the call is restarted (Linux's ERESTART* rules).
 */
enum taken {
	T_HANDLER,		/* a handler without SA_RESTART: EINTR */
	T_HANDLER_RESTART,	/* a handler with SA_RESTART: the restartable calls restart */
	T_STOP,			/* no handler (stopped): every interrupted call restarts */
};

/* A call of PM's own (the manifest's syscalls lines). */
static int pm_call(uint64_t nr)
{
	switch (nr) {
	case NR_getpid: case NR_getppid: case NR_gettid: case NR_fork: case NR_vfork:
	case NR_clone: case NR_execve: case NR_exit: case NR_exit_group: case NR_wait4:
	case NR_waitid: case NR_kill: case NR_tkill: case NR_tgkill: case NR_rt_sigaction:
	case NR_rt_sigprocmask: case NR_rt_sigreturn: case NR_rt_sigsuspend:
	case NR_rt_sigpending: case NR_pause: case NR_sigaltstack: case NR_brk: case NR_mmap:
	case NR_munmap: case NR_mprotect: case NR_madvise: case NR_mremap: case NR_setpgid:
	case NR_getpgid: case NR_getpgrp: case NR_setsid: case NR_getsid: case NR_getuid:
	case NR_getgid: case NR_geteuid: case NR_getegid: case NR_setuid: case NR_setgid:
	case NR_setreuid: case NR_setregid: case NR_setresuid: case NR_setresgid:
	case NR_getresuid: case NR_getresgid: case NR_getgroups: case NR_setgroups:
	case NR_nanosleep: case NR_clock_nanosleep: case NR_clock_gettime:
	case NR_clock_getres: case NR_gettimeofday: case NR_time: case NR_alarm:
	case NR_getitimer: case NR_setitimer: case NR_times: case NR_uname:
	case NR_set_tid_address: case NR_set_robust_list: case NR_prlimit64: case NR_getrlimit:
	case NR_setrlimit: case NR_getrusage: case NR_sysinfo: case NR_prctl: case NR_getrandom:
	case NR_sched_yield: case NR_reboot:
		return 1;
	}
	return 0;
}

/*
 * The calls that a handler with SA_RESTART restarts (Linux's -ERESTARTSYS,
 * signal(7)): reads and writes of slow files, open (of a FIFO), ioctl,
 * waits, sockets, locks. The others a handler interrupts fail with EINTR
 * whatever the flag: poll, select and their variants, nanosleep,
 * pause, sigsuspend, sigtimedwait.
 */
static int restartable(uint64_t nr)
{
	switch (nr) {
	case NR_read: case NR_write: case NR_readv: case NR_writev: case NR_pread64:
	case NR_pwrite64: case NR_sendfile: case NR_open: case NR_openat: case NR_creat:
	case NR_ioctl: case NR_fcntl: case NR_flock: case NR_wait4: case NR_waitid:
	case NR_accept: case NR_accept4: case NR_connect: case NR_recvfrom: case NR_recvmsg:
	case NR_sendto: case NR_sendmsg: case NR_getrandom:
		return 1;
	}
	return 0;
}

/*
 * p was blocked in another server's call `nr` (KC_STOP cancelled it): is
 * it re-issued after the signal? A call of PM's own was still waiting in
 * PM's queue (PM holds every call it has received: in_call), so it never
 * began and is always re-issued.
 */
static int restart_cancelled(uint64_t nr, enum taken how)
{
	return pm_call(nr) || how == T_STOP || (how == T_HANDLER_RESTART && restartable(nr));
}

/*
 * The registers of the interrupted context: see the file comment.
 * result: the held call's answer, RESTART, or NOT_IN_CALL; how: decides
 * whether a call KC_STOP cancels is restarted.
 */
static int context_regs(struct mproc *p, long result, struct user_regs *r, enum taken how)
{
	struct pm_vfs_msg vm;
	uint64_t cancelled = ~0ull;
	int64_t moved = 0;

	if (result == NOT_IN_CALL) {
		if (sys_stop_info(p->ep, &cancelled) < 0)
			return -1;
		/* VFS forgets the call; Ok's value: bytes a write already moved */
		if (vfs_endpoint() > 0 &&
		    pm_vfs_call_Cancel(&vfs_mon, vfs_endpoint(), p->ep, &vm) == 0 &&
		    vm.type == PM_VFS_OK && vm.u.Ok.value > 0)
			moved = vm.u.Ok.value;
	}
	if (sys_getregs(p->ep, r) < 0)
		return -1;
	if (moved > 0 && cancelled != ~0ull) {
		r->rax = (uint64_t)moved;	/* a partial transfer is the call's result */
	} else if (result == NOT_IN_CALL && cancelled != ~0ull &&
	    restart_cancelled(cancelled, how)) {
		r->rax = cancelled;
		r->rip -= 2;	/* back over `syscall`: it is issued again */
	} else if (result == RESTART) {
		r->rax = p->nr;
		r->rip -= 2;	/* back over `syscall` (0f 05) */
	} else if (result != NOT_IN_CALL) {
		r->rax = (uint64_t)result;
	}
	p->in_call = 0;
	p->wait = W_NONE;
	return 0;
}

/* Job control: stop p where it is; SIGCONT resumes it. */
static void stop_process(struct mproc *p, int sig, const struct user_regs *r)
{
	struct mproc *parent = parent_of(p);

	p->stop_regs = *r;
	p->stopped = 1;
	p->stop_sig = sig;
	p->stop_reported = 0;
	p->pending &= ~SIGBIT(SIGCONT);
	psinfo_note(p);
	if (parent) {
		if (!(parent->act[SIGCHLD].flags & SA_NOCLDSTOP))
			sig_send_info(parent, SIGCHLD, CLD_STOPPED, p->pid, p->uid, sig);
		wait_check(parent);
	}
}

static void continue_process(struct mproc *p)
{
	struct mproc *parent = parent_of(p);

	p->pending &= ~(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU));
	if (!p->stopped)
		return;
	p->stopped = 0;
	p->continued = 1;
	psinfo_note(p);
	if (sys_setregs(p->ep, &p->stop_regs) < 0) {
		proc_exit(p, SIGKILL, 0);
		return;
	}
	if (parent) {
		if (!(parent->act[SIGCHLD].flags & SA_NOCLDSTOP))
			sig_send_info(parent, SIGCHLD, CLD_CONTINUED, p->pid, p->uid, SIGCONT);
		wait_check(parent);
	}
}

static void put64(uint8_t *b, size_t off, uint64_t v) { memcpy(b + off, &v, 8); }
static void put32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }

/*
 * Write the frame for sig below r's stack and point r at the handler.
 * fault: a CPU exception, its si_code and address given; otherwise the
 * siginfo is the one recorded when the signal was sent. Returns -1 if the
 * stack cannot take it.
 */
static int build_frame(struct mproc *p, int sig, struct user_regs *r, int fault, int code,
    uint64_t addr)
{
	struct ksigaction *a = &p->act[sig];
	uint8_t f[FRAME_SIZE];
	uint64_t sp = r->rsp - 128, frame, mask;	/* skip the red zone */
	const uint64_t g[18] = { r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14,
		r->r15, r->rdi, r->rsi, r->rbp, r->rbx, r->rdx, r->rax, r->rcx, r->rsp,
		r->rip, r->rflags };
	int on_alt = p->ss_size && r->rsp > p->ss_sp && r->rsp <= p->ss_sp + p->ss_size;
	int i;

	if ((a->flags & SA_ONSTACK) && p->ss_size && !(p->ss_flags & SS_DISABLE) && !on_alt)
		sp = p->ss_sp + p->ss_size;
	frame = ((sp - FRAME_SIZE) & ~15ull) - 8;	/* rsp + 8 aligned, as after a call */
	mask = p->has_saved_mask ? p->saved_mask : p->blocked;
	p->has_saved_mask = 0;

	memset(f, 0, sizeof(f));
	put64(f, 0, a->restorer);
	put64(f, 8 + UC_STACK, p->ss_sp);
	put32(f, 8 + UC_STACK + 8, (uint32_t)(p->ss_size ? (on_alt ? SS_ONSTACK : 0) : SS_DISABLE));
	put64(f, 8 + UC_STACK + 16, p->ss_size);
	for (i = 0; i < 18; i++)
		put64(f, 8 + UC_MCTX + 8 * i, g[i]);
	put64(f, 8 + UC_MCTX + 144, 0x2b0033);	/* cs, gs, fs, ss as Linux reports them */
	put64(f, 8 + UC_MCTX + 160, (uint64_t)sig);	/* trapno: informative */
	put64(f, 8 + UC_MCTX + 176, addr);	/* cr2 */
	put64(f, 8 + UC_SIGMASK, mask);
	put32(f, 8 + UC_SIZE, (uint32_t)sig);
	if (fault) {
		put32(f, 8 + UC_SIZE + 8, (uint32_t)code);
		put64(f, 8 + UC_SIZE + 16, addr);
	} else {
		/* siginfo: signo 0, errno 4, code 8, pid 16, uid 20, SIGCHLD's status 24 */
		put32(f, 8 + UC_SIZE + 8, (uint32_t)p->si_code[sig]);
		put32(f, 8 + UC_SIZE + 16, p->si_pid[sig]);
		put32(f, 8 + UC_SIZE + 20, p->si_uid[sig]);
		if (sig == SIGCHLD && p->si_code[sig] > 0 && p->si_code[sig] < SI_KERNEL)
			put32(f, 8 + UC_SIZE + 24, (uint32_t)p->si_status[sig]);
	}
	if (frame < PAGE || copy_out(p->ep, frame, f, sizeof(f)) < 0)
		return -1;

	memset(r, 0, sizeof(*r) - 2 * sizeof(uint64_t));	/* keep rflags, fs_base */
	r->rip = a->handler;
	r->rsp = frame;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + 8 + UC_SIZE;
	r->rdx = frame + 8;
	r->rflags &= ~0x400ull;		/* DF clear on entry, as the ABI wants */

	p->blocked |= a->mask | ((a->flags & SA_NODEFER) ? 0 : SIGBIT(sig));
	p->blocked &= ~UNBLOCKABLE;
	if (a->flags & SA_RESETHAND)
		memset(a, 0, sizeof(*a));
	return 0;
}

/*
 * Deliver p's signals now, starting from context r (or fetching it with
 * `result`, see context_regs). Default actions end or stop the process;
 * a handler gets a frame. Returns after p runs again (or is gone).
 */
static void deliver_from(struct mproc *p, long result, struct user_regs *r, int have_regs)
{
	struct user_regs regs;
	uint64_t set;
	int sig;

	while ((set = deliverable_set(p)) != 0 && !p->stopped) {
		sig = __builtin_ctzll(set) + 1;
		p->pending &= ~SIGBIT(sig);
		if (ignored(p, sig))
			continue;
		if (p->act[sig].handler == SIG_DFL) {
			enum dfl d = default_action(sig);
			if (d == D_TERM || d == D_CORE) {
				proc_exit(p, sig, 0);
				return;
			}
			/* stop: a held call is restarted when the process continues */
			if (!have_regs) {
				/* a held call (wait4, sleep, pause) runs again on SIGCONT */
				if (p->wait != W_NONE && result == -EINTR)
					result = RESTART;
				if (context_regs(p, result, &regs, T_STOP) < 0)
					goto gone;
				r = &regs;
				have_regs = 1;
			}
			stop_process(p, sig, r);
			return;
		}
		if (!have_regs) {
			int sa_restart = (p->act[sig].flags & SA_RESTART) != 0;
			if (result == -EINTR && p->wait == W_WAIT && sa_restart)
				result = RESTART;
			if (context_regs(p, result, &regs,
			    sa_restart ? T_HANDLER_RESTART : T_HANDLER) < 0)
				goto gone;
			r = &regs;
			have_regs = 1;
		}
		if (build_frame(p, sig, r, 0, 0, 0) < 0) {
			proc_exit(p, SIGSEGV, 0);
			return;
		}
		break;	/* one frame; more signals go when the handler calls PM */
	}
	if (have_regs && sys_setregs(p->ep, r) < 0)
		goto gone;
	if (!have_regs && p->in_call && result != NOT_IN_CALL)
		reply(p, result);
	return;
gone:
	proc_exit(p, SIGKILL, 0);
}

/* p's own call is done with `result`, and a signal is deliverable. */
void sig_deliver(struct mproc *p, long result)
{
	deliver_from(p, result, 0, 0);
}

/* A signal became deliverable to p (sent, or unblocked): act on it now. */
void sig_check(struct mproc *p)
{
	long result;

	if (!p->in_use || p->zombie || !sig_deliverable(p))
		return;
	if (p->in_call && p->wait == W_NONE)
		return;		/* PM is running p's call: delivered when it finishes */
	if (!p->in_call) {
		deliver_from(p, NOT_IN_CALL, 0, 0);
		return;
	}
	/* a held call ends: wait4 may restart, the others fail with EINTR */
	if (p->wait == W_SLEEP)
		sleep_interrupted(p);
	result = -EINTR;
	deliver_from(p, result, 0, 0);
}

/* A signal from the system (a timer, the terminal): SI_KERNEL, no sender. */
void sig_send(struct mproc *p, int sig)
{
	sig_send_info(p, sig, SI_KERNEL, 0, 0, 0);
}

/*
 * Send sig to p with the siginfo it gets if a handler takes it: si_code,
 * the sender's (or for SIGCHLD the child's) pid and real uid, SIGCHLD's
 * status. A signal already pending keeps the siginfo of its first sending
 * (standard signals are not queued).
 */
void sig_send_info(struct mproc *p, int sig, int code, int pid, uint32_t uid, int status)
{
	if (!p->in_use || p->zombie || sig <= 0 || sig > NR_SIGS)
		return;
	if (sig == SIGKILL) {
		proc_exit(p, SIGKILL, 0);
		return;
	}
	if (sig == SIGCONT)
		continue_process(p);
	if (default_action(sig) == D_STOP)
		p->pending &= ~SIGBIT(SIGCONT);
	if (ignored(p, sig) && !(p->blocked & SIGBIT(sig))) {
		/* discarded when generated; but what came while p was stopped
		 * (a SIGTERM, say) is delivered now that it runs again */
		if (sig == SIGCONT)
			sig_check(p);
		return;
	}
	if (!(p->pending & SIGBIT(sig))) {
		p->si_code[sig] = code;
		p->si_pid[sig] = (uint32_t)pid;
		p->si_uid[sig] = uid;
		p->si_status[sig] = status;
	}
	p->pending |= SIGBIT(sig);
	sig_check(p);
}

/* A CPU exception in p: run the handler, or end p with the signal. */
void sig_fault(struct mproc *p, int sig, uint64_t addr)
{
	struct user_regs r;
	int code = sig == SIGSEGV ? 1 : (sig == SIGILL ? 2 : (sig == SIGFPE ? 1 : SI_KERNEL));

	if ((p->blocked & SIGBIT(sig)) || p->act[sig].handler <= SIG_IGN) {
		proc_exit(p, sig, 0);
		return;
	}
	if (sys_getregs(p->ep, &r) < 0 || build_frame(p, sig, &r, 1, code, addr) < 0 ||
	    sys_setregs(p->ep, &r) < 0)
		proc_exit(p, SIGSEGV, 0);
}

/* exec: caught signals go back to their default; ignored stay ignored. */
void sig_reset_on_exec(struct mproc *p)
{
	int s;

	for (s = 1; s <= NR_SIGS; s++) {
		if (p->act[s].handler != SIG_IGN)
			p->act[s].handler = SIG_DFL;
		p->act[s].flags = p->act[s].restorer = p->act[s].mask = 0;
	}
	p->ss_sp = p->ss_size = 0;
	p->ss_flags = SS_DISABLE;
}

static long do_sigreturn(struct mproc *p)
{
	struct user_regs r;
	uint64_t g[18], mask;
	uint8_t uc[UC_SIZE];

	/* The restorer's `ret` popped the return address: rsp is the ucontext. */
	if (sys_getregs(p->ep, &r) < 0)
		return NOREPLY;
	if (copy_in(p->ep, r.rsp, uc, sizeof(uc)) < 0) {
		proc_exit(p, SIGSEGV, 0);
		return NOREPLY;
	}
	memcpy(g, uc + UC_MCTX, sizeof(g));
	memcpy(&mask, uc + UC_SIGMASK, 8);
	if (g[16] >= USER_END || g[15] >= USER_END) {
		proc_exit(p, SIGSEGV, 0);	/* a forged frame: as Linux, SIGSEGV */
		return NOREPLY;
	}
	r.r8 = g[0], r.r9 = g[1], r.r10 = g[2], r.r11 = g[3];
	r.r12 = g[4], r.r13 = g[5], r.r14 = g[6], r.r15 = g[7];
	r.rdi = g[8], r.rsi = g[9], r.rbp = g[10], r.rbx = g[11];
	r.rdx = g[12], r.rax = g[13], r.rcx = g[14], r.rsp = g[15];
	r.rip = g[16], r.rflags = g[17];
	p->blocked = mask & ~UNBLOCKABLE;
	p->in_call = 0;
	p->wait = W_NONE;
	deliver_from(p, NOT_IN_CALL, &r, 1);
	return NOREPLY;
}

static int may_signal(struct mproc *s, struct mproc *t, int sig)
{
	if (s->euid == 0 || s->uid == t->uid || s->uid == t->suid ||
	    s->euid == t->uid || s->euid == t->suid)
		return 1;
	return sig == SIGCONT && s->sid == t->sid;
}

static long kill_one(struct mproc *s, struct mproc *t, int sig)
{
	if (!may_signal(s, t, sig))
		return -EPERM;
	if (sig)
		sig_send_info(t, sig, SI_USER, s->pid, s->uid, 0);
	return 0;
}

static long do_kill(struct mproc *p, long pid, long sig)
{
	long r, err = -ESRCH;
	int i, found = 0;

	if (sig < 0 || sig > NR_SIGS)
		return -EINVAL;
	if (pid > 0) {
		struct mproc *t = mp_by_pid((int)pid);
		if (!t)
			return -ESRCH;
		if (t->zombie)
			return may_signal(p, t, (int)sig) ? 0 : -EPERM;
		return kill_one(p, t, (int)sig);
	}
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *t = &mproc[i];
		if (!t->in_use || t->zombie)
			continue;
		if (pid == 0 && t->pgid != p->pgid)
			continue;
		if (pid < -1 && t->pgid != -pid)
			continue;
		if (pid == -1 && (t->pid == 1 || t == p))
			continue;
		if ((r = kill_one(p, t, (int)sig)) == 0)
			found = 1;
		else
			err = r;
	}
	return found ? 0 : err;
}

long do_signal_call(struct mproc *p, uint64_t nr, uint64_t *a)
{
	struct ksigaction act;
	uint64_t set;
	int sig = (int)a[0];

	switch (nr) {
	case NR_rt_sigaction:
		if (a[3] != 8)
			return -EINVAL;
		if (sig < 1 || sig > NR_SIGS || (a[1] && (sig == SIGKILL || sig == SIGSTOP)))
			return -EINVAL;
		if (a[1] && copy_in(p->ep, a[1], &act, sizeof(act)) < 0)
			return -EFAULT;
		if (a[2] && copy_out(p->ep, a[2], &p->act[sig], sizeof(act)) < 0)
			return -EFAULT;
		if (a[1]) {
			act.mask &= ~UNBLOCKABLE;
			p->act[sig] = act;
			if (ignored(p, sig))
				p->pending &= ~SIGBIT(sig);
		}
		return 0;
	case NR_rt_sigprocmask:
		if (a[3] != 8)
			return -EINVAL;
		if (a[1] && copy_in(p->ep, a[1], &set, 8) < 0)
			return -EFAULT;
		if (a[2] && copy_out(p->ep, a[2], &p->blocked, 8) < 0)
			return -EFAULT;
		if (!a[1])
			return 0;
		switch (a[0]) {
		case SIG_BLOCK:		p->blocked |= set; break;
		case SIG_UNBLOCK:	p->blocked &= ~set; break;
		case SIG_SETMASK:	p->blocked = set; break;
		default:		return -EINVAL;
		}
		p->blocked &= ~UNBLOCKABLE;
		return 0;	/* newly unblocked signals go when this call finishes */
	case NR_rt_sigpending:
		if (a[1] != 8)
			return -EINVAL;
		set = p->pending & p->blocked;
		return copy_out(p->ep, a[0], &set, 8) < 0 ? -EFAULT : 0;
	case NR_rt_sigsuspend:
		if (a[1] != 8)
			return -EINVAL;
		if (copy_in(p->ep, a[0], &set, 8) < 0)
			return -EFAULT;
		p->saved_mask = p->blocked;
		p->has_saved_mask = 1;
		p->blocked = set & ~UNBLOCKABLE;
		/* fall through */
	case NR_pause:
		if (sig_deliverable(p))
			return -EINTR;
		p->wait = W_PAUSE;
		return NOREPLY;
	case NR_rt_sigreturn:
		return do_sigreturn(p);
	case NR_sigaltstack: {
		uint8_t ss[24], old[24];
		uint64_t sp, size;
		int flags;
		memset(old, 0, sizeof(old));
		memcpy(old, &p->ss_sp, 8);
		flags = p->ss_size ? 0 : SS_DISABLE;
		memcpy(old + 8, &flags, 4);
		memcpy(old + 16, &p->ss_size, 8);
		if (a[0]) {
			if (copy_in(p->ep, a[0], ss, sizeof(ss)) < 0)
				return -EFAULT;
			memcpy(&sp, ss, 8);
			memcpy(&flags, ss + 8, 4);
			memcpy(&size, ss + 16, 8);
			if (flags & ~SS_DISABLE)
				return -EINVAL;
			if (flags & SS_DISABLE) {
				sp = size = 0;
			} else if (size < MINSIGSTKSZ) {
				return -ENOMEM;
			}
		}
		if (a[1] && copy_out(p->ep, a[1], old, sizeof(old)) < 0)
			return -EFAULT;
		if (a[0]) {
			p->ss_sp = sp;
			p->ss_size = size;
			p->ss_flags = size ? 0 : SS_DISABLE;
		}
		return 0;
	}
	case NR_kill:
		return do_kill(p, (long)(int)a[0], (long)(int)a[1]);
	case NR_tkill:
	case NR_tgkill: {
		long tid = (long)(int)(nr == NR_tkill ? a[0] : a[1]);
		long s = (long)(int)(nr == NR_tkill ? a[1] : a[2]);
		struct mproc *t = mp_by_pid((int)tid);
		if (tid <= 0 || s < 0 || s > NR_SIGS)
			return -EINVAL;
		if (!t || t->zombie || (nr == NR_tgkill && (long)(int)a[0] != tid))
			return -ESRCH;
		return kill_one(p, t, (int)s);
	}
	}
	return -ENOSYS;
}
