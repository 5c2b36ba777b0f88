/*
 * Processes: fork, execve, exit statuses and the wait family.
 *
 * Must be started with an absolute argv[0]: it re-executes itself to test
 * execve (with "--exec-child"), and it changes into the scratch directory.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int global = 1;

/* Spawn a child that runs fn and exits with its return value. */
static pid_t spawn(int (*fn)(void))
{
	pid_t pid = xfork();

	if (pid == 0)
		_exit(fn());
	return pid;
}

static int exit_0(void) { return 0; }
static int exit_1(void) { return 1; }
static int exit_42(void) { return 42; }
static int exit_255(void) { return 255; }
static int exit_259(void) { return 259; }	/* only the low 8 bits survive */
static int kill_self(void) { kill(getpid(), SIGKILL); return 99; }
static int term_self(void) { kill(getpid(), SIGTERM); return 99; }
static int abort_self(void) { abort(); }
static int touch_global(void) { global = 2; return global; }

static void exit_statuses(void)
{
	static const struct {
		const char *what;
		int (*fn)(void);
	} cases[] = {
		{ "_exit(0)", exit_0 }, { "_exit(1)", exit_1 },
		{ "_exit(42)", exit_42 }, { "_exit(255)", exit_255 },
		{ "_exit(259)", exit_259 }, { "kill(self, SIGKILL)", kill_self },
		{ "kill(self, SIGTERM)", term_self }, { "abort()", abort_self },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = xwait(spawn(cases[i].fn));

		printf("child %s: %s, WIFEXITED=%d WIFSIGNALED=%d\n",
		    cases[i].what, wstatus(st), !!WIFEXITED(st),
		    !!WIFSIGNALED(st));
	}
	printf("child wrote its copy of a global, parent still sees %d: %s\n",
	    global, wstatus(xwait(spawn(touch_global))));
}

/* The child reports its own pid and ppid through a pipe. */
static void identities(void)
{
	int p[2];
	pid_t ids[2];

	if (pipe(p) < 0)
		die("pipe");
	pid_t pid = xfork();
	if (pid == 0) {
		ids[0] = getpid();
		ids[1] = getppid();
		_exit(write(p[1], ids, sizeof(ids)) == sizeof(ids) ? 0 : 1);
	}
	if (read(p[0], ids, sizeof(ids)) != sizeof(ids))
		die("read ids");
	printf("fork returned the child's getpid: %s\n",
	    ids[0] == pid ? "yes" : "no");
	printf("child's getppid is the parent's getpid: %s\n",
	    ids[1] == getpid() ? "yes" : "no");
	printf("child differs from parent: %s\n", pid != getpid() ? "yes" : "no");
	printf("child: %s\n", wstatus(xwait(pid)));
	close(p[0]);
	close(p[1]);
}

static int exit_10(void) { return 10; }
static int exit_11(void) { return 11; }
static int exit_12(void) { return 12; }

static void wait_specific(void)
{
	pid_t a = spawn(exit_10), b = spawn(exit_11), c = spawn(exit_12);
	struct rusage ru;
	int st, codes[2] = { -1, -1 }, n = 0;

	(void)a;
	(void)c;
	pid_t got = wait4(b, &st, 0, &ru);
	printf("wait4(second child) returned it: %s, %s\n",
	    got == b ? "yes" : "no", wstatus(st));
	/* The other two in whatever order they are reaped; print sorted. */
	while (n < 2 && wait(&st) > 0)
		codes[n++] = WEXITSTATUS(st);
	if (n == 2 && codes[0] > codes[1]) {
		int t = codes[0];
		codes[0] = codes[1];
		codes[1] = t;
	}
	printf("wait(-1) reaped %d more, exit codes %d %d\n", n, codes[0],
	    codes[1]);
	errno = 0;
	printf("wait with no children left: %s\n", res(wait(&st)));
	printf("waitpid(own pid): %s\n", res(waitpid(getpid(), &st, 0)));
	printf("waitpid(1), not our child: %s\n", res(waitpid(1, &st, 0)));
}

/* A child blocked on a pipe is still running: WNOHANG must not wait. */
static void wait_nohang(void)
{
	int p[2], st = 0;
	char c;

	if (pipe(p) < 0)
		die("pipe");
	pid_t pid = xfork();
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 5 : 6);
	}
	close(p[0]);
	printf("waitpid(WNOHANG) on running child returns %d\n",
	    (int)waitpid(pid, &st, WNOHANG));
	close(p[1]);
	printf("after the pipe's writer closed, child: %s\n",
	    wstatus(xwait(pid)));
}

static void stop_continue(void)
{
	int st;
	pid_t pid = xfork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	printf("after SIGSTOP, waitpid(WUNTRACED): %s\n", wstatus(st));
	kill(pid, SIGCONT);
	waitpid(pid, &st, WCONTINUED);
	printf("after SIGCONT, waitpid(WCONTINUED): %s\n", wstatus(st));
	kill(pid, SIGKILL);
	printf("after SIGKILL: %s\n", wstatus(xwait(pid)));
}

static int exit_9(void) { return 9; }

static void wait_id(void)
{
	siginfo_t si;
	pid_t pid = spawn(exit_9);

	memset(&si, 0, sizeof(si));
	int rc = waitid(P_PID, pid, &si, WEXITED);
	printf("waitid: %s, si_pid matches %s, CLD_EXITED %s, si_status %d\n",
	    res(rc), si.si_pid == pid ? "yes" : "no",
	    si.si_code == CLD_EXITED ? "yes" : "no", si.si_status);
}

static void process_groups(void)
{
	pid_t pid = xfork();

	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	/* Both sides call setpgid, so the result does not depend on timing. */
	int rc = setpgid(pid, pid);
	printf("setpgid(child, child): %s\n", res(rc));
	printf("getpgid(child) is the child's pid: %s\n",
	    getpgid(pid) == pid ? "yes" : "no");
	printf("child is in our session: %s\n",
	    getsid(pid) == getsid(0) ? "yes" : "no");
	printf("kill(-pgid, SIGTERM): %s\n", res(kill(-pid, SIGTERM)));
	printf("child: %s\n", wstatus(xwait(pid)));
	printf("kill(reaped child, 0): %s\n", res(kill(pid, 0)));
}

static void exec_child(int argc, char **argv)
{
	printf("exec'd: argc=%d", argc);
	for (int i = 1; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\nexec'd: FOO=%s, HOME %s\n", getenv("FOO"),
	    getenv("HOME") ? "set" : "unset");
	printf("exec'd: pid kept across execve: %s\n",
	    atoi(getenv("CHILD_PID")) == getpid() ? "yes" : "no");
	exit(7);
}

static void exec_tests(const char *self)
{
	pid_t pid = xfork();

	if (pid == 0) {
		char pidenv[32];
		char *args[] = { "proc", "--exec-child", "a b", "", "c", NULL };
		char *env[] = { "FOO=bar", pidenv, NULL };

		snprintf(pidenv, sizeof(pidenv), "CHILD_PID=%d", (int)getpid());
		execve(self, args, env);
		printf("execve self: %s\n", errname(errno));
		_exit(127);
	}
	printf("exec'd child: %s\n", wstatus(xwait(pid)));

	char *args[] = { "x", NULL };
	char *env[] = { NULL };
	put_file("noexec", "data\n");
	put_file("notelf", "not a program\n");
	chmod("notelf", 0755);
	mkdir("adir", 0755);
	printf("execve missing file: %s\n", res(execve("missing", args, env)));
	printf("execve file without x bit: %s\n",
	    res(execve("noexec", args, env)));
	printf("execve a directory: %s\n", res(execve("adir", args, env)));
	printf("execve executable garbage: %s\n",
	    res(execve("notelf", args, env)));
	printf("execve missing/x: %s\n", res(execve("missing/x", args, env)));
	printf("execve noexec/x: %s\n", res(execve("noexec/x", args, env)));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exec-child") == 0)
		exec_child(argc, argv);
	setup(argc, argv);
	exit_statuses();
	identities();
	wait_specific();
	wait_nohang();
	stop_continue();
	wait_id();
	process_groups();
	exec_tests(argv[0]);
	return 0;
}
