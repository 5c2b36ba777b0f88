/*
 * /sbin/init for Bulkhead: an ordinary static Linux program (musl-gcc
 * -static), started by PM as pid 1. It runs `/bin/sh /etc/rc` if there is
 * one and waits for it, then keeps a shell on the console: `/bin/sh` as a
 * session leader with the console as its controlling terminal, started
 * again whenever it exits. Being pid 1, it also reaps every orphan.
 *
 * Its source sits in src/ so that the native-program rule (which links
 * with Bulkhead's crt0) does not pick it up; mk/pm.mk builds it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char *const envp[] = { "HOME=/", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=linux", NULL };

static void say(const char *s)
{
	(void)!write(2, s, strlen(s));
}

/* Put the console on 0, 1 and 2. */
static int console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return -1;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	return 0;
}

static pid_t spawn(char *const argv[], const char *path, int session)
{
	sigset_t none;
	pid_t pid = fork();
	int s;

	if (pid != 0)
		return pid;
	for (s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (session) {
		/* a new session, with the console as its controlling terminal */
		setsid();
		if (console() == 0) {
			ioctl(0, TIOCSCTTY, 0);
			tcsetpgrp(0, getpid());
		}
	}
	execve(path, argv, envp);
	say("init: cannot run ");
	say(path);
	say("\n");
	_exit(127);
}

/* Wait for pid, reaping any orphan that ends meanwhile. */
static void wait_for(pid_t pid)
{
	pid_t w;

	do
		w = wait(NULL);
	while (w != pid && !(w < 0 && errno == ECHILD));
}

int main(void)
{
	char *const rc[] = { "sh", "/etc/rc", NULL };
	char *const sh[] = { "-sh", NULL };
	struct timespec pause_1s = { 1, 0 };
	time_t started;
	pid_t pid;

	if (fcntl(1, F_GETFD) < 0)
		console();
	/* init does not die of terminal signals */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (access("/etc/rc", R_OK) == 0 && (pid = spawn(rc, "/bin/sh", 0)) > 0)
		wait_for(pid);
	for (;;) {
		started = time(NULL);
		pid = spawn(sh, "/bin/sh", 1);
		if (pid < 0) {
			nanosleep(&pause_1s, NULL);
			continue;
		}
		wait_for(pid);
		/* a shell that dies at once must not spin the machine */
		if (time(NULL) - started < 1)
			nanosleep(&pause_1s, NULL);
	}
}
