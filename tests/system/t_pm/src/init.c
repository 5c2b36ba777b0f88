/*
 * The process manager's system test, run by PM as /sbin/init (pid 1) with
 * a stand-in VFS: fork/wait statuses, pids, brk and mmap with contents,
 * exec with argv/envp/auxv, signals (handlers, fault handlers, default
 * deaths, kill between processes, sigsuspend), sleeps, alarms, orphans,
 * sessions, and reboot ending the machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sched.h>
#include <time.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "lt.h"

static volatile int target;
static volatile int segv_count, usr1_count, chld_count, alrm_count;
static void *volatile segv_addr;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	segv_count++;
	segv_addr = si->si_addr;
	/* The faulting store used rax as its address: point it somewhere valid. */
	uc->uc_mcontext.gregs[REG_RAX] = (greg_t)&target;
}

static void on_usr1(int sig) { (void)sig; usr1_count++; }
static void on_chld(int sig) { (void)sig; chld_count++; }
static void on_alrm(int sig) { (void)sig; alrm_count++; }

static void null_write(void)
{
	__asm__ volatile("movl $42, (%%rax)" : : "a"(0L) : "memory");
}

static int wait_status(pid_t pid, int *st)
{
	return (int)wait4(pid, st, 0, NULL);
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void test_fork_wait(void)
{
	int st = -1;
	pid_t pid = fork(), w;

	if (pid == 0)
		_exit(getppid() == 1 && getpid() > 1 ? 7 : 99);
	check("pm_fork_returns_child_pid", pid > 1, pid);
	w = wait_status(pid, &st);
	check("pm_wait4_returns_the_child", w == pid, w);
	check("pm_wait4_exit_status", WIFEXITED(st) && WEXITSTATUS(st) == 7, st);
	check("pm_wait4_no_children_echild", wait(&st) == -1 && errno == ECHILD, errno);
	pid = fork();
	if (pid == 0) {
		struct timespec t = { 0, 100000000 };
		nanosleep(&t, NULL);
		_exit(0);
	}
	check("pm_wait4_wnohang_running_child", waitpid(pid, &st, WNOHANG) == 0, pid);
	check("pm_wait4_blocks_until_exit", waitpid(pid, &st, 0) == pid && WIFEXITED(st), st);
}

static void test_brk(void)
{
	uintptr_t b0 = (uintptr_t)syscall(SYS_brk, 0), b1, i;
	int ok = 1;

	b1 = (uintptr_t)syscall(SYS_brk, b0 + 100000);
	check("pm_brk_grows", b0 && b1 == b0 + 100000, (long)(b1 - b0));
	for (i = b0; i < b1; i++)
		if (*(volatile char *)i) ok = 0;
	for (i = b0; i < b1; i++)
		*(volatile char *)i = (char)(i * 7);
	for (i = b0; i < b1; i++)
		if (*(volatile char *)i != (char)(i * 7)) ok = 0;
	check("pm_brk_memory_zeroed_then_keeps_contents", ok, 0);
	check("pm_brk_shrinks", (uintptr_t)syscall(SYS_brk, b0) == b0, 0);
	check("pm_brk_refuses_below_start", (uintptr_t)syscall(SYS_brk, b0 - 4096 * 1000) == b0, 0);
}

static void test_mmap(void)
{
	unsigned char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i, ok = 1, st = -1;
	pid_t pid;

	check("pm_mmap_anonymous", p != MAP_FAILED, (long)p);
	if (p == MAP_FAILED)
		return;
	for (i = 0; i < 3 * 4096; i++)
		ok &= p[i] == 0;
	memset(p, 0xab, 3 * 4096);
	check("pm_mmap_zeroed", ok, 0);
	check("pm_munmap_middle", munmap(p + 4096, 4096) == 0, errno);
	check("pm_mmap_fixed_in_hole", mmap(p + 4096, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p + 4096, 0);
	check("pm_mmap_fixed_is_fresh_and_neighbours_kept", p[4096] == 0 && p[4095] == 0xab &&
	    p[8192] == 0xab, p[4096]);
	pid = fork();
	if (pid == 0) {
		memset(p, 0x11, 4096);
		_exit(p[8192] == 0xab ? 0 : 1);
	}
	check("pm_fork_copies_mmap_memory", wait_status(pid, &st) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0, st);
	check("pm_fork_child_writes_are_its_own", p[0] == 0xab, p[0]);
	check("pm_mprotect_read_only", mprotect(p, 4096, PROT_READ) == 0, errno);
	pid = fork();
	if (pid == 0) {
		p[0] = 1;	/* read-only now: SIGSEGV, default action */
		_exit(0);
	}
	check("pm_write_to_read_only_kills_with_sigsegv", wait_status(pid, &st) == pid &&
	    WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, st);
	check("pm_mprotect_wx_refused", mprotect(p, 4096, PROT_WRITE | PROT_EXEC) == -1, 0);
	check("pm_munmap_all", munmap(p, 3 * 4096) == 0, errno);
	check("pm_mremap_enomem", mremap(p, 4096, 8192, 0) == MAP_FAILED && errno == ENOMEM, errno);
	p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("pm_mmap_one_mib", p != MAP_FAILED && (p[0] = 5, p[(1 << 20) - 1] = 6, p[0] + p[(1 << 20) - 1] == 11), 0);
	if (p != MAP_FAILED)
		munmap(p, 1 << 20);
}

static void test_signals(void)
{
	struct sigaction sa;
	sigset_t block, empty;
	int st = -1;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	check("pm_sigaction_installs", sigaction(SIGSEGV, &sa, NULL) == 0, errno);
	null_write();
	check("pm_sigsegv_handler_runs_after_null_write", segv_count == 1, segv_count);
	check("pm_sigsegv_siginfo_address", segv_addr == NULL, (long)segv_addr);
	check("pm_sigreturn_resumes_with_changed_registers", target == 42, target);
	signal(SIGSEGV, SIG_DFL);

	pid = fork();
	if (pid == 0) {
		null_write();
		_exit(0);
	}
	check("pm_null_write_default_death_is_wifsignaled", wait_status(pid, &st) == pid &&
	    WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, st);
	pid = fork();
	if (pid == 0) {
		volatile int z = 0;
		_exit(10 / z);
	}
	check("pm_divide_by_zero_is_sigfpe", wait_status(pid, &st) == pid &&
	    WIFSIGNALED(st) && WTERMSIG(st) == SIGFPE, st);

	signal(SIGCHLD, on_chld);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);
	chld_count = 0;
	pid = fork();
	if (pid == 0) {
		while (!usr1_count)
			sigsuspend(&empty);
		_exit(usr1_count == 1 ? 5 : 6);
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	check("pm_kill_to_child", kill(pid, SIGUSR1) == 0, errno);
	check("pm_kill_handler_ran_in_child", wait_status(pid, &st) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 5, st);
	check("pm_sigchld_delivered_to_parent", chld_count >= 1, chld_count);

	pid = fork();
	if (pid == 0) {
		while (!usr1_count)
			;	/* no system calls: PM must stop it to deliver */
		_exit(8);
	}
	{
		struct timespec t = { 0, 30000000 };
		nanosleep(&t, NULL);
	}
	kill(pid, SIGUSR1);
	check("pm_signal_reaches_a_running_process", wait_status(pid, &st) == pid &&
	    WIFEXITED(st) && WEXITSTATUS(st) == 8, st);

	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	check("pm_kill_sigterm", kill(pid, SIGTERM) == 0, errno);
	check("pm_sigterm_default_death", wait_status(pid, &st) == pid && WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGTERM, st);
	check("pm_kill_gone_process_esrch", kill(pid, SIGTERM) == -1 && errno == ESRCH, errno);

	usr1_count = 0;
	check("pm_kill_self_runs_handler_before_return", raise(SIGUSR1) == 0 && usr1_count == 1, usr1_count);
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	{
		sigset_t pend;
		sigpending(&pend);
		check("pm_blocked_signal_pending", usr1_count == 1 && sigismember(&pend, SIGUSR1), usr1_count);
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	check("pm_unblock_delivers_pending", usr1_count == 2, usr1_count);

	signal(SIGALRM, on_alrm);
	alarm(1);
	while (!alrm_count)
		pause();
	check("pm_alarm_delivers_sigalrm", alrm_count == 1, alrm_count);
}

static void test_sleep(void)
{
	struct timespec a, b, t = { 0, 120000000 };
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &a);
	check("pm_nanosleep_returns_0", nanosleep(&t, NULL) == 0, errno);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = ms_between(&a, &b);
	check("pm_nanosleep_sleeps_long_enough", ms >= 120 && ms < 2000, ms);
	check("pm_clock_monotonic_advances", b.tv_sec > a.tv_sec || b.tv_nsec > a.tv_nsec, 0);
}

static void test_exec(void)
{
	char pidbuf[16];
	char *argv[] = { "pmt_child", "alpha", "beta", pidbuf, NULL };
	char *envp[] = { "PMT_A=1", "PMT_B=two", NULL };
	int st = -1;
	pid_t pid;

	check("pm_execve_missing_enoent", execve("/bin/nothing", argv, envp) == -1 && errno == ENOENT, errno);
	check("pm_execve_truncated_enoexec", execve("/bin/truncated", argv, envp) == -1 &&
	    errno == ENOEXEC, errno);
	check("pm_execve_bad_pointer_efault", syscall(SYS_execve, "/bin/pmt_child", 16L, envp) == -1 &&
	    errno == EFAULT, errno);
	pid = fork();
	if (pid == 0) {
		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		execve("/bin/pmt_child", argv, envp);
		_exit(100);
	}
	check("pm_execve_program_checks_pass", wait_status(pid, &st) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0, st);
}

static void test_orphans_and_sessions(void)
{
	int st = -1;
	pid_t pid, gc = 0, w;
	int pfd;

	(void)pfd;
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			struct timespec t = { 0, 50000000 };
			nanosleep(&t, NULL);
			_exit(getppid() == 1 ? 3 : 4);
		}
		_exit(0);
	}
	check("pm_orphan_parent_exits", wait_status(pid, &st) == pid && WIFEXITED(st), st);
	w = wait_status(-1, &st);
	gc = w;
	check("pm_orphan_reaped_by_init", gc > 0 && gc != pid && WIFEXITED(st) && WEXITSTATUS(st) == 3, st);

	pid = fork();
	if (pid == 0) {
		pid_t me = getpid();
		int ok = setsid() == me && getsid(0) == me && getpgrp() == me &&
		    setsid() == -1 && errno == EPERM;
		_exit(ok ? 0 : 1);
	}
	check("pm_setsid_new_session", wait_status(pid, &st) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0, st);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	check("pm_setpgid_child", setpgid(pid, pid) == 0 && getpgid(pid) == pid, errno);
	check("pm_kill_process_group", kill(-pid, SIGKILL) == 0, errno);
	check("pm_sigkill_group_death", wait_status(pid, &st) == pid && WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGKILL, st);
}

int main(void)
{
	struct utsname u;

	say("pmt_init: running as /sbin/init\n");
	check("pm_init_is_pid_1", getpid() == 1, getpid());
	check("pm_init_parent_is_0", getppid() == 0, getppid());
	check("pm_uname", uname(&u) == 0 && !strcmp(u.sysname, "Bulkhead") &&
	    !strcmp(u.machine, "x86_64"), 0);
	check("pm_root_ids", getuid() == 0 && geteuid() == 0 && getgid() == 0, getuid());
	test_fork_wait();
	test_brk();
	test_mmap();
	test_signals();
	test_sleep();
	test_exec();
	test_orphans_and_sessions();
	check("pm_reboot_refused_for_bad_magic", syscall(SYS_reboot, 1, 2, RB_POWER_OFF, 0) == -1 &&
	    errno == EINVAL, errno);
	say("bulkhead: tests done\n");
	reboot(RB_POWER_OFF);
	say("not ok pm_reboot_powers_off\n");
	for (;;)
		pause();
}
