/*
 * Signals: sigaction and handlers, masks and pending sets, SIGCHLD, kill to
 * self and to a child, SIGSEGV caught and uncaught, SA_RESTART, and what
 * execve keeps. Needs an absolute argv[0] (it re-executes itself).
 */
#include "common.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Handlers append to this log; main prints it. Single-threaded, so safe. */
static char hlog[512];
static volatile sig_atomic_t count;
static volatile siginfo_t last_info;

static void logs(const char *s)
{
	size_t n = strlen(hlog);

	while (*s && n < sizeof(hlog) - 1)
		hlog[n++] = *s++;
	hlog[n] = '\0';
}

static void show_log(const char *what)
{
	printf("%s: [%s]\n", what, hlog);
	hlog[0] = '\0';
}

static int blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static int pending(int sig)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, sig);
}

static const char *yn(int b)
{
	return b ? "yes" : "no";
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	count++;
	last_info = *si;
	logs(" enter");
	logs(blocked(sig) ? " self-blocked" : " self-unblocked");
	logs(blocked(SIGUSR2) ? " usr2-blocked" : " usr2-unblocked");
	/* A second SIGUSR1 sent from inside stays pending until we return. */
	if (count == 1) {
		kill(getpid(), SIGUSR1);
		logs(" resent");
	}
	logs(" leave");
}

static void set_action(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	if (sigaction(sig, &sa, NULL) < 0)
		die("sigaction");
}

static void handlers(void)
{
	struct sigaction old;
	sigset_t set;

	set_action(SIGUSR1, on_usr1, 0);
	printf("kill(self, SIGUSR1): %s\n", res(kill(getpid(), SIGUSR1)));
	show_log("handler log");
	printf("handler ran %d times; si_signo %s, SI_USER %s, si_pid is us %s\n",
	    (int)count, signame(last_info.si_signo),
	    yn(last_info.si_code == SI_USER), yn(last_info.si_pid == getpid()));
	printf("after return: SIGUSR1 blocked %s, SIGUSR2 blocked %s\n",
	    yn(blocked(SIGUSR1)), yn(blocked(SIGUSR2)));
	sigaction(SIGUSR1, NULL, &old);
	printf("sigaction reads back our handler: %s, SA_SIGINFO %s\n",
	    yn(old.sa_sigaction == on_usr1), yn(old.sa_flags & SA_SIGINFO));

	/* Blocked: stays pending, is not queued twice, arrives on unblock. */
	count = 2;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	printf("blocked: handler runs %d, pending %s\n", (int)count - 2,
	    yn(pending(SIGUSR1)));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("unblocked: handler runs %d, pending %s\n", (int)count - 2,
	    yn(pending(SIGUSR1)));
	show_log("handler log");

	/* Ignored signals are discarded, not left pending. */
	signal(SIGUSR2, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int rc = kill(getpid(), SIGUSR2);
	printf("kill(self, ignored SIGUSR2): %s, pending %s\n", res(rc),
	    yn(pending(SIGUSR2)));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR2, SIG_DFL);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	printf("sigaction(SIGKILL): %s\n", res(sigaction(SIGKILL, &sa, NULL)));
	printf("sigaction(SIGSTOP): %s\n", res(sigaction(SIGSTOP, &sa, NULL)));
	printf("sigaction(signal 0): %s\n", res(sigaction(0, &sa, NULL)));
	printf("kill(self, signal 999): %s\n", res(kill(getpid(), 999)));
	sigfillset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	printf("after blocking all: SIGKILL blocked %s, SIGSTOP blocked %s\n",
	    yn(blocked(SIGKILL)), yn(blocked(SIGSTOP)));
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	last_info = *si;
	logs(" SIGCHLD");
}

static void on_usr1_exit(int sig)
{
	_exit(30 + (sig == SIGUSR1));
}

static void children(void)
{
	sigset_t set, empty;

	/* SIGCHLD, with the child's pid and status in siginfo. */
	sigemptyset(&empty);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	set_action(SIGCHLD, on_chld, 0);
	pid_t pid = xfork();
	if (pid == 0)
		_exit(4);
	int rc = sigsuspend(&empty);
	printf("sigsuspend: %s\n", res(rc));
	show_log("handler log");
	printf("SIGCHLD: si_pid is the child %s, CLD_EXITED %s, si_status %d\n",
	    yn(last_info.si_pid == pid), yn(last_info.si_code == CLD_EXITED),
	    last_info.si_status);
	printf("child: %s\n", wstatus(xwait(pid)));
	signal(SIGCHLD, SIG_DFL);

	/* A child with a handler: SIGUSR1 is blocked until it sigsuspends. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);	/* pending here, must not be inherited */
	pid = xfork();
	if (pid == 0) {
		printf("child: inherited mask blocks SIGUSR1 %s, "
		    "inherited pending SIGUSR2 %s\n",
		    yn(blocked(SIGUSR1)), yn(pending(SIGUSR2)));
		signal(SIGUSR1, on_usr1_exit);
		sigsuspend(&empty);
		_exit(1);
	}
	signal(SIGUSR2, SIG_IGN);	/* discard our pending one */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR2, SIG_DFL);
	/* Print only after the wait, so that the child's line comes first. */
	rc = kill(pid, SIGUSR1);
	int st = xwait(pid);
	printf("kill(child, SIGUSR1): %s\n", res(rc));
	printf("child with handler: %s\n", wstatus(st));

	/* Default actions seen by the parent. */
	sigprocmask(SIG_SETMASK, &empty, NULL);
	signal(SIGUSR1, SIG_DFL);
	static const int sigs[] = { SIGUSR1, SIGTERM, SIGINT, SIGKILL };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		pid = xfork();
		if (pid == 0) {
			for (;;)
				pause();
		}
		kill(pid, sigs[i]);
		printf("child sent %s: %s\n", signame(sigs[i]),
		    wstatus(xwait(pid)));
	}
}

/*
 * Job control from the parent's side: a stopped child reports through
 * waitpid(WUNTRACED); a SIGTERM sent while it is stopped stays pending
 * (nothing to wait for yet) and ends it as soon as SIGCONT continues it.
 */
static void stop_continue(void)
{
	int st;
	pid_t pid = xfork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	if (waitpid(pid, &st, WUNTRACED) == pid)
		printf("after SIGSTOP: %s\n", wstatus(st));
	kill(pid, SIGTERM);
	usleep(200000);
	printf("SIGTERM while stopped, waitpid(WNOHANG): %d\n", (int)waitpid(pid, &st, WNOHANG));
	kill(pid, SIGCONT);
	printf("after SIGCONT: %s\n", wstatus(xwait(pid)));
}

static sigjmp_buf jump;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_info = *si;
	siglongjmp(jump, sig);
}

static void on_segv_exit(int sig)
{
	_exit(sig == SIGSEGV ? 11 : 12);
}

static void segv(void)
{
	int *volatile null = NULL;	/* volatile: the compiler cannot see NULL */

	set_action(SIGSEGV, on_segv, 0);
	for (int round = 1; round <= 2; round++) {
		int sig = sigsetjmp(jump, 1);
		if (sig == 0) {
			*null = 1;
			printf("NULL write did not fault\n");
			continue;
		}
		printf("round %d: caught %s, SEGV_MAPERR %s, si_addr NULL %s, "
		    "SIGSEGV blocked after siglongjmp %s\n", round,
		    signame(sig), yn(last_info.si_code == SEGV_MAPERR),
		    yn(last_info.si_addr == NULL), yn(blocked(SIGSEGV)));
	}
	signal(SIGSEGV, SIG_DFL);

	pid_t pid = xfork();
	if (pid == 0) {
		signal(SIGSEGV, on_segv_exit);
		*null = 1;
		_exit(1);
	}
	printf("child, handler _exits: %s\n", wstatus(xwait(pid)));
	pid = xfork();
	if (pid == 0) {
		*null = 1;
		_exit(1);
	}
	printf("child, no handler: %s\n", wstatus(xwait(pid)));
}

static int feed;	/* write end of the pipe the alarm handler feeds */

/* Note a signal in the log; signame() only reads a table. */
static void on_note(int sig)
{
	logs(" ");
	logs(signame(sig));
}

static void on_alarm(int sig)
{
	on_note(sig);
	if (write(feed, "x", 1) != 1)
		logs(" write-failed");
}

/*
 * A read on an empty pipe is interrupted by SIGALRM, whose handler then
 * puts one byte in the pipe. Without SA_RESTART the read fails with EINTR
 * and a second read finds the byte; with it the read resumes and gets it.
 */
static void restart(void)
{
	int p[2];
	char c = '?';

	if (pipe(p) < 0)
		die("pipe");
	feed = p[1];
	for (int flags = 0; flags <= SA_RESTART; flags += SA_RESTART) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sa.sa_flags = flags;
		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		ssize_t n = read(p[0], &c, 1);
		printf("%s: read returned %d (%s)", flags ? "SA_RESTART" : "no SA_RESTART",
		    (int)n, res(n));
		if (n < 0) {
			n = read(p[0], &c, 1);
			printf(", read again returned %d", (int)n);
		}
		printf(", byte '%c'\n", c);
		show_log("handler log");
	}
	close(p[0]);
	close(p[1]);

	/* SA_RESETHAND: the second SIGUSR2 meets the default action. */
	pid_t pid = xfork();
	if (pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_note;
		sa.sa_flags = SA_RESETHAND;
		sigaction(SIGUSR2, &sa, NULL);
		kill(getpid(), SIGUSR2);
		show_log("child, first SIGUSR2, handler log");
		kill(getpid(), SIGUSR2);
		_exit(0);
	}
	printf("child, second SIGUSR2 after SA_RESETHAND: %s\n",
	    wstatus(xwait(pid)));
}

static void exec_child(void)
{
	struct sigaction sa;

	sigaction(SIGUSR1, NULL, &sa);
	printf("exec'd: caught SIGUSR1 reset to SIG_DFL %s\n",
	    yn(sa.sa_handler == SIG_DFL));
	sigaction(SIGUSR2, NULL, &sa);
	printf("exec'd: ignored SIGUSR2 still SIG_IGN %s\n",
	    yn(sa.sa_handler == SIG_IGN));
	printf("exec'd: SIGTERM still blocked %s\n", yn(blocked(SIGTERM)));
	exit(0);
}

static void exec_keeps(const char *self)
{
	pid_t pid = xfork();

	if (pid == 0) {
		sigset_t set;
		char *args[] = { "signals", "--exec-child", NULL };
		char *env[] = { NULL };

		set_action(SIGUSR1, on_usr1, 0);
		signal(SIGUSR2, SIG_IGN);
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigprocmask(SIG_BLOCK, &set, NULL);
		execve(self, args, env);
		_exit(127);
	}
	printf("exec'd child: %s\n", wstatus(xwait(pid)));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exec-child") == 0)
		exec_child();
	setup(argc, argv);
	handlers();
	children();
	stop_continue();
	segv();
	restart();
	exec_keeps(argv[0]);
	return 0;
}
