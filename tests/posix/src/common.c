/* Shared helpers for the POSIX oracle programs; see common.h. */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define N(x) { x, #x }

static const struct {
	int num;
	const char *name;
} errnos[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
	N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV), N(ENOTDIR),
	N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY), N(EFBIG),
	N(ENOSPC), N(ESPIPE), N(EROFS), N(EMLINK), N(EPIPE), N(ERANGE),
	N(ENAMETOOLONG), N(ENOSYS), N(ENOTEMPTY), N(ELOOP),
};

static const struct {
	int num;
	const char *name;
} signals[] = {
	N(SIGHUP), N(SIGINT), N(SIGQUIT), N(SIGILL), N(SIGTRAP), N(SIGABRT),
	N(SIGBUS), N(SIGFPE), N(SIGKILL), N(SIGUSR1), N(SIGSEGV), N(SIGUSR2),
	N(SIGPIPE), N(SIGALRM), N(SIGTERM), N(SIGCHLD), N(SIGCONT),
	N(SIGSTOP), N(SIGTSTP), N(SIGTTIN), N(SIGTTOU),
};

const char *errname(int e)
{
	static char buf[16];

	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].num == e)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "E?%d", e);
	return buf;
}

const char *res(long rc)
{
	return rc >= 0 ? "ok" : errname(errno);
}

const char *signame(int sig)
{
	static char buf[16];

	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (signals[i].num == sig)
			return signals[i].name;
	snprintf(buf, sizeof(buf), "SIG?%d", sig);
	return buf;
}

const char *wstatus(int status)
{
	static char buf[40];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "signal %s", signame(WTERMSIG(status)));
	else if (WIFSTOPPED(status))
		snprintf(buf, sizeof(buf), "stopped %s", signame(WSTOPSIG(status)));
	else if (WIFCONTINUED(status))
		snprintf(buf, sizeof(buf), "continued");
	else
		snprintf(buf, sizeof(buf), "status?%#x", status);
	return buf;
}

void setup(int argc, char **argv)
{
	/* No core files: they would litter the scratch directory. */
	struct rlimit no_core = { 0, 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	setrlimit(RLIMIT_CORE, &no_core);
	/*
	 * Start from default dispositions and an empty mask whatever the
	 * runner left us (a shell's background job ignores SIGINT, say).
	 */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if (argc > 1 && argv[1][0] != '-' && chdir(argv[1]) < 0)
		die("chdir to scratch directory");
}

void die(const char *what)
{
	printf("FATAL: %s: %s\n", what, errname(errno));
	exit(1);
}

pid_t xfork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	return pid;
}

int xwait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return status;
}

void *bad_pointer(void)
{
	/* Map a page and unmap it again: nothing lives there until the next mmap. */
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p, 4096) < 0)
		die("bad_pointer mmap");
	return p;
}

void put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) < 0)
		die(path);
}
