/*
 * /sbin/init for Bulkhead: an ordinary static Linux program (musl-gcc
 * -static), started by PM as pid 1. It runs `/bin/sh /etc/rc` if there is
 * one and waits for it, then keeps a shell on each console: `/bin/sh` as a
 * session leader with the terminal as its controlling terminal, started
 * again whenever it exits. The consoles are /dev/console (the serial
 * line) and, when the machine has a display, /dev/tty1 (VGA and PS/2
 * keyboard; without a display it fails to open). Being pid 1, it also
 * reaps every orphan.
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

#define NCONSOLE 2
static const char *const consoles[NCONSOLE] = { "/dev/console", "/dev/tty1" };

/* Put the terminal at path on 0, 1 and 2. */
static int console(const char *path)
{
	int fd = open(path, O_RDWR | O_NOCTTY);

	if (fd < 0)
		return -1;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	return 0;
}

/* Run path; with a terminal, as a session leader controlling it. */
static pid_t spawn(char *const argv[], const char *path, const char *tty)
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
	if (tty) {
		/* a new session, with the terminal as its controlling terminal */
		setsid();
		if (console(tty) == 0) {
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

/* 1 if the terminal at path is there (the display console may not be:
 * its node opens, but the driver answers ENXIO once asked anything). */
static int terminal_exists(const char *path)
{
	struct termios t;
	int fd = open(path, O_RDWR | O_NOCTTY), ok;

	if (fd < 0)
		return 0;
	ok = tcgetattr(fd, &t) == 0;
	close(fd);
	return ok;
}

int main(void)
{
	char *const rc[] = { "sh", "/etc/rc", NULL };
	char *const sh[] = { "-sh", NULL };
	struct timespec pause_1s = { 1, 0 };
	time_t started[NCONSOLE];
	pid_t shell[NCONSOLE], pid;
	int i;

	if (fcntl(1, F_GETFD) < 0)
		console(consoles[0]);
	/* init does not die of terminal signals */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (access("/etc/rc", R_OK) == 0 && (pid = spawn(rc, "/bin/sh", NULL)) > 0)
		wait_for(pid);
	for (i = 0; i < NCONSOLE; i++)
		shell[i] = i == 0 || terminal_exists(consoles[i]) ? 0 : -1;
	for (;;) {
		for (i = 0; i < NCONSOLE; i++) {
			if (shell[i] != 0)
				continue;
			started[i] = time(NULL);
			if ((shell[i] = spawn(sh, "/bin/sh", consoles[i])) < 0)
				shell[i] = 0;
		}
		pid = wait(NULL);
		if (pid < 0) {
			nanosleep(&pause_1s, NULL);
			continue;
		}
		for (i = 0; i < NCONSOLE; i++) {
			if (pid != shell[i])
				continue;
			shell[i] = 0;
			/* a shell that dies at once must not spin the machine */
			if (time(NULL) - started[i] < 1)
				nanosleep(&pause_1s, NULL);
		}
	}
}
