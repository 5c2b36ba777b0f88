/*
 * The process manager (PM): POSIX processes on top of the kernel's bare
 * processes. It owns pids, parent/child links, zombies and exit statuses,
 * process groups and sessions, credentials, signals, the user address
 * space layout (brk, anonymous mmap), exec of static ELF64 programs, and
 * time. It is the kernel-level parent of every user process (it creates
 * them with KC_FORK), so their fault reports come here.
 *
 * One static table, indexed by the endpoint's slot; no heap.
 */
#ifndef PM_PM_H
#define PM_PM_H

#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <pm_vfs.h>

#define PAGE		4096ul
#define PAGE_DOWN(a)	((a) & ~(PAGE - 1))
#define PAGE_UP(a)	(((a) + PAGE - 1) & ~(PAGE - 1))

/* User address space layout. */
#define USER_END	0x0000800000000000ul
#define STACK_TOP	0x00007ffffffff000ul	/* one unmapped page above */
#define STACK_SIZE	(1024 * 1024ul)		/* mapped at exec, not grown */
#define MMAP_TOP	0x00007f0000000000ul	/* anonymous mmap, top-down */
#define PIE_BASE	0x0000555555554000ul	/* static-PIE load bias */
#define BRK_MAX		(256 * 1024 * 1024ul)	/* heap limit above its start */

#define NR_PROCS	320	/* live processes (<= 256 slots) plus zombies */
#define NOREPLY		(-0x7fffffffffffffffl)	/* the call is held, or the caller is gone */

#define NR_SIGS		64
#define NR_REGIONS	48
#define NR_GROUPS	16
#define NR_RLIMITS	16

/* Linux signals (the ones PM treats specially). */
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGWINCH	28
#define SIGBIT(s)	(1ull << ((s) - 1))

/* siginfo si_code values */
#define SI_USER		0
#define SI_KERNEL	0x80
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3
#define CLD_STOPPED	5
#define CLD_CONTINUED	6

#define SIG_DFL		0ul
#define SIG_IGN		1ul
#define SA_NOCLDSTOP	0x00000001ul
#define SA_NOCLDWAIT	0x00000002ul
#define SA_SIGINFO	0x00000004ul
#define SA_ONSTACK	0x08000000ul
#define SA_RESTORER	0x04000000ul
#define SA_RESTART	0x10000000ul
#define SA_NODEFER	0x40000000ul
#define SA_RESETHAND	0x80000000ul

/* The kernel's struct sigaction layout (rt_sigaction): 32 bytes. */
struct ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct region {
	uint64_t start, end;	/* page-aligned, end exclusive; start == end: free */
	int prot;		/* PROT_* */
};

/* Why a process is waiting for PM's reply (it is blocked in SENDREC). */
enum pm_wait {
	W_NONE,		/* running, or blocked in another server */
	W_WAIT,		/* wait4 / waitid */
	W_SLEEP,	/* nanosleep / clock_nanosleep */
	W_PAUSE,	/* pause / rt_sigsuspend: only a signal ends it */
	W_STOPPED,	/* job-control stopped; continued by SIGCONT */
};

struct mproc {
	int in_use;
	int zombie;
	endpoint_t ep;
	int pid, ppid, pgid, sid;
	int wstatus;			/* wait status once a zombie */
	uint32_t uid, euid, suid, gid, egid, sgid;
	uint32_t groups[NR_GROUPS];
	int ngroups;

	/* signals */
	struct ksigaction act[NR_SIGS + 1];
	uint64_t blocked, pending;
	/* the siginfo of each pending signal (the first one sent: no queueing) */
	int32_t si_code[NR_SIGS + 1];	/* SI_USER, SI_KERNEL, CLD_* */
	uint32_t si_pid[NR_SIGS + 1];	/* sender, or the child for SIGCHLD */
	uint32_t si_uid[NR_SIGS + 1];
	int32_t si_status[NR_SIGS + 1];	/* SIGCHLD: exit code or signal */
	uint64_t saved_mask;		/* rt_sigsuspend: mask to restore */
	int has_saved_mask;
	uint64_t ss_sp, ss_size;	/* sigaltstack */
	int ss_flags;

	/* a request PM holds without replying */
	int in_call;			/* blocked in SENDREC, waiting for PM */
	enum pm_wait wait;
	int stopped;			/* job control: stopped by a signal */
	int stop_sig;			/* the signal that stopped it */
	int stop_reported;		/* wait4 WUNTRACED saw it */
	int continued;			/* for wait4 WCONTINUED */
	struct user_regs stop_regs;	/* where it continues on SIGCONT */
	uint64_t nr;			/* its syscall number */
	uint64_t a[6];			/* its arguments */
	uint64_t wake_tick;		/* W_SLEEP */
	uint64_t alarm_tick;		/* alarm(), setitimer: 0: none */
	uint64_t alarm_every;		/* setitimer's reload interval in ticks */

	/* memory */
	uint64_t brk_start, brk_cur;
	struct region reg[NR_REGIONS];

	uint64_t clear_tid;		/* set_tid_address / CLONE_CHILD_CLEARTID */
	uint64_t rlim[NR_RLIMITS][2];
	uint64_t start_tick;
	uint64_t child_ticks;		/* ticks of reaped children */
	char comm[16];
	int service_priv;		/* holds etc/service.svc's set (svcpriv.c) */
};

extern struct mproc mproc[NR_PROCS];
extern endpoint_t pm_self;
extern struct contract_monitor vfs_mon;

/* main.c */
struct mproc *mp_of(endpoint_t ep);
struct mproc *mp_alloc(endpoint_t ep);
void mp_unlink(struct mproc *p);
void reply(struct mproc *p, long value);
void finish(struct mproc *p, long value);
uint64_t ticks_hz(void);
endpoint_t vfs_endpoint(void);
int vfs_result(int r, struct pm_vfs_msg *m);
uint64_t now_ticks(void);
void pm_set_boot_time(uint64_t sec);
void pm_rtc_boot_time(void);
uint64_t prng_next(void);

/* proc.c */
struct mproc *mp_by_pid(int pid);
void proc_exit(struct mproc *p, int wstatus, int gone);
void wait_check(struct mproc *parent);
void chld_info(int wstatus, int *code, int *status);
long do_proc_call(struct mproc *p, uint64_t nr, uint64_t *a);

/* signal.c */
void sig_send(struct mproc *p, int sig);
void sig_send_info(struct mproc *p, int sig, int code, int pid, uint32_t uid, int status);
void sig_check(struct mproc *p);
void sig_deliver(struct mproc *p, long result);
void sig_fault(struct mproc *p, int sig, uint64_t addr);
void sig_reset_on_exec(struct mproc *p);
long do_signal_call(struct mproc *p, uint64_t nr, uint64_t *a);
int sig_deliverable(struct mproc *p);

/* mem.c */
int region_add(struct mproc *p, uint64_t start, uint64_t end, int prot);
void region_clear(struct mproc *p);
long do_mem_call(struct mproc *p, uint64_t nr, uint64_t *a);

/* exec.c */
long do_execve(struct mproc *p, uint64_t path, uint64_t argv, uint64_t envp);
int exec_init(struct mproc *p);

/* time.c */
void timers_expired(void);
void timers_rearm(void);
extern uint64_t boot_retry_tick;
long do_time_call(struct mproc *p, uint64_t nr, uint64_t *a);
void sleep_interrupted(struct mproc *p);

/* psinfo.c: the public process table IS reads (psinfo.h) */
int psinfo_init(void);
void psinfo_note(const struct mproc *p);
void psinfo_exec(const struct mproc *p, const char *argv, int argc);
void psinfo_fork(const struct mproc *parent, const struct mproc *child);

/* misc.c */
long do_misc_call(struct mproc *p, uint64_t nr, uint64_t *a);

/* svcpriv.c: the `service` privileges for root's /sbin/service */
void exec_set_privileges(struct mproc *p, const char *execfn);
void fork_drop_privileges(struct mproc *c);

/* Copy helpers (KC_VCOPY between PM and a user process). */
static inline int copy_in(endpoint_t ep, uint64_t uva, void *buf, size_t n)
{
	return n ? (int)sys_vcopy(ep, uva, pm_self, (uint64_t)buf, n) : 0;
}
static inline int copy_out(endpoint_t ep, uint64_t uva, const void *buf, size_t n)
{
	return n ? (int)sys_vcopy(pm_self, (uint64_t)buf, ep, uva, n) : 0;
}

#endif
