/*
 * Pipes: EOF once every writer has closed, EPIPE and SIGPIPE, a 1 MiB
 * transfer between processes, pipe2 flags (O_CLOEXEC checked across
 * execve, O_NONBLOCK), poll/select readiness, and calls that pipes refuse.
 * Needs an absolute argv[0] (it re-executes itself).
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void xpipe(int p[2])
{
	if (pipe(p) < 0)
		die("pipe");
}

static const char *events(short ev)
{
	static char buf[64];

	buf[0] = '\0';
	if (ev & POLLIN)
		strcat(buf, " POLLIN");
	if (ev & POLLOUT)
		strcat(buf, " POLLOUT");
	if (ev & POLLHUP)
		strcat(buf, " POLLHUP");
	if (ev & POLLERR)
		strcat(buf, " POLLERR");
	if (ev & POLLNVAL)
		strcat(buf, " POLLNVAL");
	return buf[0] ? buf + 1 : "none";
}

static const char *poll1(int fd, short want)
{
	struct pollfd pfd = { .fd = fd, .events = want };
	static char buf[80];

	int n = poll(&pfd, 1, 0);
	snprintf(buf, sizeof(buf), "%d ready, %s", n, events(pfd.revents));
	return buf;
}

static void eof(void)
{
	int p[2], hold[2];
	char buf[16];
	ssize_t n, total = 0;

	xpipe(p);
	xpipe(hold);
	/* The child keeps a copy of the write end until we close "hold". */
	pid_t pid = xfork();
	if (pid == 0) {
		close(hold[1]);
		if (write(p[1], "hello", 5) != 5)
			_exit(1);
		_exit(read(hold[0], buf, 1) == 0 ? 0 : 2);
	}
	close(p[1]);
	close(hold[0]);
	while (total < 5 && (n = read(p[0], buf, sizeof(buf))) > 0)
		total += n;
	printf("read %d bytes from the child\n", (int)total);
	printf("poll while a writer remains: %s\n", poll1(p[0], POLLIN));
	close(hold[1]);
	printf("child: %s\n", wstatus(xwait(pid)));
	printf("poll after the last writer closed: %s\n", poll1(p[0], POLLIN));
	printf("read at EOF returns %d, again %d\n", (int)read(p[0], buf, 1),
	    (int)read(p[0], buf, 1));
	close(p[0]);
}

static volatile sig_atomic_t sigpipes;

static void on_pipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void epipe(void)
{
	int p[2];

	xpipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	printf("write with no reader, SIGPIPE ignored: %s\n",
	    res(write(p[1], "x", 1)));
	signal(SIGPIPE, on_pipe);
	ssize_t n = write(p[1], "x", 1);
	printf("write with no reader, SIGPIPE caught: %s, handler ran %d\n",
	    res(n), (int)sigpipes);
	signal(SIGPIPE, SIG_DFL);
	pid_t pid = xfork();
	if (pid == 0) {
		n = write(p[1], "x", 1);
		_exit(n < 0 && errno == EPIPE ? 3 : 4);
	}
	printf("child writing with no reader: %s\n", wstatus(xwait(pid)));
	close(p[1]);
}

/* A deterministic byte stream (a linear congruential generator). */
static uint32_t lcg = 12345;

static unsigned char next_byte(void)
{
	lcg = lcg * 1103515245u + 12345u;
	return lcg >> 16;
}

/* FNV-1a: a checksum that notices reordered, lost or repeated bytes. */
static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

#define MIB (1024 * 1024)

static void transfer(void)
{
	static unsigned char buf[8192];
	int p[2];

	xpipe(p);
	pid_t pid = xfork();
	if (pid == 0) {
		close(p[0]);
		/* Odd chunk sizes, so writes and reads do not line up. */
		for (size_t sent = 0, chunk = 1; sent < MIB; chunk = chunk * 7 % 8191) {
			size_t n = chunk < MIB - sent ? chunk : MIB - sent;
			for (size_t i = 0; i < n; i++)
				buf[i] = next_byte();
			for (size_t off = 0; off < n;) {
				ssize_t w = write(p[1], buf + off, n - off);
				if (w <= 0)
					_exit(1);
				off += w;
			}
			sent += n;
		}
		_exit(0);
	}
	close(p[1]);
	uint32_t got = 2166136261u;
	size_t total = 0;
	ssize_t n;
	while ((n = read(p[0], buf, 3000)) > 0) {
		got = fnv(got, buf, n);
		total += n;
	}
	printf("sender: %s\n", wstatus(xwait(pid)));
	close(p[0]);

	uint32_t want = 2166136261u;
	for (size_t i = 0; i < MIB; i++) {
		unsigned char c = next_byte();
		want = fnv(want, &c, 1);
	}
	printf("received %zu bytes, checksum %08x, matches the stream sent: %s\n",
	    total, (unsigned)got, got == want ? "yes" : "no");
}

static void exec_probe(int argc, char **argv)
{
	/* Arguments are "label=fd"; print labels, since fd numbers vary. */
	for (int i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq)
			die("probe argument");
		*eq = '\0';
		printf("exec'd: %s after execve: %s\n", argv[i],
		    res(fcntl(atoi(eq + 1), F_GETFD)));
	}
	exit(0);
}

static void flags(const char *self)
{
	int plain[2], cloexec[2], nb[2];
	char a[32], b[32], c[32], d[32];
	char ch;

	xpipe(plain);
	if (pipe2(cloexec, O_CLOEXEC) < 0 || pipe2(nb, O_NONBLOCK) < 0)
		die("pipe2");
	printf("pipe: FD_CLOEXEC %d %d\n", fcntl(plain[0], F_GETFD),
	    fcntl(plain[1], F_GETFD));
	printf("pipe2(O_CLOEXEC): FD_CLOEXEC %d %d\n",
	    fcntl(cloexec[0], F_GETFD), fcntl(cloexec[1], F_GETFD));
	printf("pipe2(O_NONBLOCK): O_NONBLOCK set %s, read of empty pipe %s\n",
	    fcntl(nb[0], F_GETFL) & O_NONBLOCK ? "yes" : "no",
	    res(read(nb[0], &ch, 1)));
	printf("pipe2(bad flag): %s\n", res(pipe2(nb, 0x4)));

	/* Fill the non-blocking pipe: PIPE_BUF bytes at least must fit. */
	static char fill[512];
	size_t cap = 0;
	ssize_t n;
	while ((n = write(nb[1], fill, sizeof(fill))) > 0)
		cap += n;
	printf("full pipe: write %s, held at least PIPE_BUF %s\n", res(n),
	    cap >= PIPE_BUF ? "yes" : "no");
	printf("poll on full pipe's write end: %s\n", poll1(nb[1], POLLOUT));

	pid_t pid = xfork();
	if (pid == 0) {
		char *args[] = { "pipes", "--probe", a, b, c, d, NULL };
		char *env[] = { NULL };

		snprintf(a, sizeof(a), "pipe read end=%d", plain[0]);
		snprintf(b, sizeof(b), "pipe write end=%d", plain[1]);
		snprintf(c, sizeof(c), "O_CLOEXEC read end=%d", cloexec[0]);
		snprintf(d, sizeof(d), "O_CLOEXEC write end=%d", cloexec[1]);
		execve(self, args, env);
		_exit(127);
	}
	printf("exec'd child: %s\n",
	    wstatus(xwait(pid)));
	close(plain[0]);
	close(plain[1]);
	close(cloexec[0]);
	close(cloexec[1]);
	close(nb[0]);
	close(nb[1]);
}

static void readiness(void)
{
	int p[2];
	struct stat st;
	char c;
	fd_set rd;
	struct timeval tv = { 0, 0 };

	xpipe(p);
	printf("poll empty read end: %s\n", poll1(p[0], POLLIN));
	printf("poll write end: %s\n", poll1(p[1], POLLOUT));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	printf("select empty read end: %d\n", select(p[0] + 1, &rd, NULL, NULL, &tv));
	if (write(p[1], "z", 1) != 1)
		die("write");
	printf("poll after a write: %s\n", poll1(p[0], POLLIN));
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	int ready = select(p[0] + 1, &rd, NULL, NULL, &tv);
	printf("select after a write: %d, read end set %s\n", ready,
	    FD_ISSET(p[0], &rd) ? "yes" : "no");

	/* Separate statements: argument evaluation order is unspecified. */
	int rc = fstat(p[0], &st);
	printf("fstat: %s, S_ISFIFO %s\n", res(rc),
	    S_ISFIFO(st.st_mode) ? "yes" : "no");
	printf("lseek on a pipe: %s\n", res(lseek(p[0], 0, SEEK_SET)));
	printf("read from the write end: %s\n", res(read(p[1], &c, 1)));
	printf("write to the read end: %s\n", res(write(p[0], &c, 1)));
	printf("read into a bad pointer: %s\n", res(read(p[0], bad_pointer(), 1)));
	close(p[1]);
	printf("poll with data left, writer closed: %s\n", poll1(p[0], POLLIN));
	rc = read(p[0], &c, 1);
	printf("the byte is still there: read %d '%c'\n", rc, c);
	close(p[0]);
	printf("poll a closed fd: %s\n", poll1(p[0], POLLIN));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		exec_probe(argc, argv);
	setup(argc, argv);
	eof();
	epipe();
	transfer();
	flags(argv[0]);
	readiness();
	return 0;
}
