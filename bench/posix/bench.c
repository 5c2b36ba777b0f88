/*
 * bench: POSIX micro-benchmarks for Bulkhead and for Linux, one static
 * binary (musl-gcc -static) so that both systems run the very same code.
 *
 * Time is read with rdtsc.  Under QEMU with -icount shift=0 the TSC advances
 * by one per guest instruction executed (plus the time the guest spends
 * idle), so the figures are instruction counts, repeatable from run to run;
 * on real hardware they are TSC cycles.  Each metric runs many rounds and
 * prints the median, so a timer interrupt that lands in one round does not
 * move the result.  Short operations are timed in batches of several calls
 * per round (the per-call cost is the batch time / batch size) so that the
 * rdtsc pair itself is lost in the noise.
 *
 * Output, one line per metric, for bench/run to read:
 *   metric <name> <median> cycles rounds=<n> batch=<k> p10=<c> p90=<c>
 *   skip <name> <reason>          (metric not measured, and why)
 *   fail <name> <reason>          (a call failed; the metric is missing)
 * and exits 1 if any metric failed.
 * Everything else is commentary.
 *
 * usage: bench [-d rawdev] [-w dir] [-e prog] [-q]
 *   -d rawdev  block device to read 64 MiB from (skipped when not given)
 *   -w dir     directory for scratch files (default: current directory);
 *              dir/bench.64m is read if it exists (at least 64 MiB), and
 *              written first otherwise -- then its "cold" read is warm
 *   -e prog    program for fork+exec+wait (default: this binary, given -x
 *              so that it exits at once)
 *   -q         quick: a tenth of the rounds, to check that all runs
 *
 * Only calls a small POSIX system can offer are used: no threads, no /proc,
 * no mmap beyond what musl's malloc needs (none: buffers are static).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHUNK		(64 * 1024)
#define MIB		(1024 * 1024)
#define FS_BYTES	(16 * MIB)
#define BIG_BYTES	(64 * MIB)
#define MAX_ROUNDS	1000

static unsigned char buf[CHUNK] __attribute__((aligned(4096)));
static uint64_t samples[MAX_ROUNDS];
static int quick;
static const char *workdir = ".";
static const char *rawdev;
static const char *execprog;
static int failures;

/* lfence keeps rdtsc from running ahead of earlier work on real CPUs;
 * under TCG it costs one instruction and changes nothing. */
static inline uint64_t
now(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* Sorts v; the 10th and 90th percentiles show how wide the spread is. */
static void
report(const char *name, uint64_t *v, int n, int batch)
{
	uint64_t med = median(v, n);

	printf("metric %s %llu cycles rounds=%d batch=%d p10=%llu p90=%llu\n",
	    name, (unsigned long long)med, n, batch,
	    (unsigned long long)v[n / 10], (unsigned long long)v[n - 1 - n / 10]);
	fflush(stdout);
}

static int
rounds(int n)
{
	if (quick && n >= 10)
		return n / 10;
	return n;
}

static void
fail(const char *name, const char *what)
{
	printf("fail %s %s: %s\n", name, what, strerror(errno));
	fflush(stdout);
	failures++;
}

static void
path(char *out, size_t len, const char *file)
{
	snprintf(out, len, "%s/%s", workdir, file);
}

/* Write all of n bytes, or fail: pipes and files may take less at once. */
static int
write_all(int fd, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n > 0) {
		ssize_t r = write(fd, c, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Read to end of file (or limit bytes); returns the byte count or -1. */
static long long
read_all(int fd, long long limit)
{
	long long total = 0;

	while (total < limit) {
		size_t want = CHUNK;
		ssize_t r;

		if (limit - total < (long long)want)
			want = (size_t)(limit - total);
		r = read(fd, buf, want);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		total += r;
	}
	return total;
}

/* Reap one child and insist it exited with status 0. */
static int
reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* Say what happened: errno alone would only say "no child". */
		if (WIFEXITED(status))
			printf("bench: child exited with status %d%s\n",
			    WEXITSTATUS(status),
			    WEXITSTATUS(status) == 127 ? " (execve failed)" : "");
		else
			printf("bench: child killed by signal %d\n",
			    WIFSIGNALED(status) ? WTERMSIG(status) : -1);
		errno = ECHILD;
		return -1;
	}
	return 0;
}

static void
bench_getppid(void)
{
	const int n = rounds(1000), batch = 100;

	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();

		for (int k = 0; k < batch; k++)
			(void)getppid();	/* cannot fail */
		samples[i] = (now() - t0) / batch;
	}
	report("getppid", samples, n, batch);
}

/*
 * One byte written to a pipe and read back by the same process: the cost
 * of the two pipe calls without any process switch.  Subtracted from the
 * round trip below to estimate the context switch itself.
 */
static int
bench_pipe_self(uint64_t *result)
{
	const int n = rounds(1000), batch = 10;
	int p[2];

	if (pipe(p) < 0) {
		fail("pipe_self", "pipe");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();

		for (int k = 0; k < batch; k++) {
			if (write(p[1], buf, 1) != 1 || read(p[0], buf, 1) != 1) {
				fail("pipe_self", "write/read");
				close(p[0]);
				close(p[1]);
				return -1;
			}
		}
		samples[i] = (now() - t0) / batch;
	}
	close(p[0]);
	close(p[1]);
	report("pipe_self", samples, n, batch);
	*result = samples[n / 2];
	return 0;
}

/*
 * 1-byte ping-pong between parent and child over two pipes.  On one CPU
 * each round trip is two writes, two reads and two process switches
 * (parent blocks in read -> child runs; child blocks in read -> parent).
 */
static int
bench_pipe_rtt(uint64_t *result)
{
	const int n = rounds(1000), batch = 10;
	int ping[2], pong[2];
	pid_t pid;
	int err = 0;

	if (pipe(ping) < 0 || pipe(pong) < 0) {
		fail("pipe_rtt", "pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		fail("pipe_rtt", "fork");
		return -1;
	}
	if (pid == 0) {
		/* Echo every byte back until the parent closes its end. */
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], buf, 1) == 1)
			if (write(pong[1], buf, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	for (int i = 0; i < n && !err; i++) {
		uint64_t t0 = now();

		for (int k = 0; k < batch; k++) {
			if (write(ping[1], buf, 1) != 1 ||
			    read(pong[0], buf, 1) != 1) {
				fail("pipe_rtt", "write/read");
				err = 1;
				break;
			}
		}
		samples[i] = (now() - t0) / batch;
	}
	close(ping[1]);		/* child sees EOF and exits */
	close(pong[0]);
	if (reap(pid) < 0 && !err) {
		fail("pipe_rtt", "child");
		err = 1;
	}
	if (err)
		return -1;
	report("pipe_rtt", samples, n, batch);
	*result = samples[n / 2];
	return 0;
}

static void
bench_fork_exit(void)
{
	const int n = rounds(200);

	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();
		pid_t pid = fork();

		if (pid < 0) {
			fail("fork_exit_wait", "fork");
			return;
		}
		if (pid == 0)
			_exit(0);
		if (reap(pid) < 0) {
			fail("fork_exit_wait", "wait");
			return;
		}
		samples[i] = now() - t0;
	}
	report("fork_exit_wait", samples, n, 1);
}

static void
bench_fork_exec(const char *prog)
{
	const int n = rounds(100);
	char *const argv[] = { (char *)prog, "-x", NULL };
	char *const envp[] = { NULL };

	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();
		pid_t pid = fork();

		if (pid < 0) {
			fail("fork_exec_wait", "fork");
			return;
		}
		if (pid == 0) {
			execve(prog, argv, envp);
			_exit(127);	/* reap() reports it */
		}
		if (reap(pid) < 0) {
			fail("fork_exec_wait", prog);
			return;
		}
		samples[i] = now() - t0;
	}
	report("fork_exec_wait", samples, n, 1);
}

static void
bench_open_close(void)
{
	const int n = rounds(1000), batch = 10;
	char name[512];
	int fd;

	path(name, sizeof(name), "bench.oc");
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || close(fd) < 0) {
		fail("open_close", name);
		return;
	}
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();

		for (int k = 0; k < batch; k++) {
			fd = open(name, O_RDONLY);
			if (fd < 0 || close(fd) < 0) {
				fail("open_close", name);
				unlink(name);
				return;
			}
		}
		samples[i] = (now() - t0) / batch;
	}
	if (unlink(name) < 0)
		fail("open_close", "unlink");
	report("open_close", samples, n, batch);
}

static void
bench_create_unlink(void)
{
	const int n = rounds(500), batch = 10;
	char name[512];

	path(name, sizeof(name), "bench.cu");
	unlink(name);		/* left over from an interrupted run: ENOENT is fine */
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();

		for (int k = 0; k < batch; k++) {
			int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);

			if (fd < 0 || close(fd) < 0 || unlink(name) < 0) {
				fail("create_unlink", name);
				return;
			}
		}
		samples[i] = (now() - t0) / batch;
	}
	report("create_unlink", samples, n, batch);
}

/*
 * Small calls on the read() path, to count its hops (docs/performance.md):
 *   lseek_cur  lseek(fd, 0, SEEK_CUR) on a file: the file table alone
 *              (on Bulkhead: the gate and VFS, no file server)
 *   read_null  1-byte read of /dev/null (on Bulkhead: VFS and the memory
 *              driver)
 *   read_1b    1-byte pread of a cached 4 KiB file (VFS and ext2)
 *   read_4k    the whole 4 KiB of it
 */
/* want: what each call must return (pread's bytes, lseek's offset). */
static void
bench_small_call(const char *metric, int fd, size_t len, ssize_t want, int seek)
{
	const int n = rounds(1000), batch = 100;

	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();

		for (int k = 0; k < batch; k++) {
			ssize_t r = seek ? (ssize_t)lseek(fd, 0, SEEK_CUR) :
			    pread(fd, buf, len, 0);

			if (r != want) {
				fail(metric, seek ? "lseek" : "pread");
				return;
			}
		}
		samples[i] = (now() - t0) / batch;
	}
	report(metric, samples, n, batch);
}

static void
bench_small_reads(void)
{
	char name[512];
	int fd, nul;

	path(name, sizeof(name), "bench.4k");
	memset(buf, 0x3c, 4096);
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, buf, 4096) < 0 || pread(fd, buf, 4096, 0) != 4096) {
		fail("read_1b", name);
		if (fd >= 0)
			close(fd);
		unlink(name);
		return;
	}
	bench_small_call("lseek_cur", fd, 0, 4096, 1);	/* after the write */
	if ((nul = open("/dev/null", O_RDONLY)) < 0) {
		fail("read_null", "/dev/null");
	} else {
		bench_small_call("read_null", nul, 1, 0, 0);
		close(nul);
	}
	bench_small_call("read_1b", fd, 1, 1, 0);
	bench_small_call("read_4k", fd, 4096, 4096, 0);
	if (close(fd) < 0 || unlink(name) < 0)
		fail("read_1b", "close/unlink");
}

/*
 * 16 MiB written to a fresh file in 64 KiB writes, closed, then read back.
 * No fsync: this measures the path through VFS and the file system's cache,
 * not the disk (the disk has its own metrics below).
 */
static void
bench_fs_16m(void)
{
	const int n = rounds(10) < 3 ? 3 : rounds(10);
	static uint64_t wr[MAX_ROUNDS];
	char name[512];

	path(name, sizeof(name), "bench.16m");
	memset(buf, 0xa5, sizeof(buf));
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now();
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0) {
			fail("fs_write_16m", name);
			return;
		}
		for (int k = 0; k < FS_BYTES / CHUNK; k++) {
			if (write_all(fd, buf, CHUNK) < 0) {
				fail("fs_write_16m", "write");
				close(fd);
				return;
			}
		}
		if (close(fd) < 0) {
			fail("fs_write_16m", "close");
			return;
		}
		wr[i] = now() - t0;

		t0 = now();
		fd = open(name, O_RDONLY);
		if (fd < 0) {
			fail("fs_read_16m", name);
			return;
		}
		if (read_all(fd, FS_BYTES) != FS_BYTES) {
			fail("fs_read_16m", "short read");
			close(fd);
			return;
		}
		if (close(fd) < 0) {
			fail("fs_read_16m", "close");
			return;
		}
		samples[i] = now() - t0;
	}
	if (unlink(name) < 0)
		fail("fs_16m", "unlink");
	report("fs_write_16m", wr, n, 1);
	report("fs_read_16m", samples, n, 1);
}

/*
 * Sequential 64 MiB read in 64 KiB requests.  The first round starts cold
 * (nothing cached yet, so it goes to the disk) and is reported on its own
 * as <metric>_cold; the median of the rounds after it is the warm figure,
 * which on a system that caches never touches the disk.
 */
static int
read_64m_once(const char *metric, const char *file, uint64_t *cycles)
{
	uint64_t t0 = now();
	int fd = open(file, O_RDONLY);
	long long got;

	if (fd < 0) {
		fail(metric, file);
		return -1;
	}
	got = read_all(fd, BIG_BYTES);
	if (got != BIG_BYTES) {
		if (got >= 0)
			errno = EIO;
		fail(metric, "read 64 MiB");
		close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		fail(metric, "close");
		return -1;
	}
	*cycles = now() - t0;
	return 0;
}

static void
read_64m(const char *metric, const char *file)
{
	const int n = rounds(5) < 3 ? 3 : rounds(5);
	char cold[64];
	uint64_t first;

	snprintf(cold, sizeof(cold), "%s_cold", metric);
	if (read_64m_once(cold, file, &first) < 0)
		return;
	report(cold, &first, 1, 1);
	for (int i = 0; i < n; i++)
		if (read_64m_once(metric, file, &samples[i]) < 0)
			return;
	report(metric, samples, n, 1);
}

/* Make sure dir/bench.64m holds 64 MiB; 0 if it was there already. */
static int
big_file(char *name, size_t len)
{
	struct stat st;
	int fd;

	path(name, len, "bench.64m");
	if (stat(name, &st) == 0 && st.st_size >= BIG_BYTES)
		return 0;
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	memset(buf, 0x5a, sizeof(buf));
	for (int k = 0; k < BIG_BYTES / CHUNK; k++) {
		if (write_all(fd, buf, CHUNK) < 0) {
			close(fd);
			return -1;
		}
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		return -1;
	printf("bench: wrote %s, so file_read_64m_cold is not cold\n", name);
	return 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench [-d rawdev] [-w dir] [-e prog] [-q]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char big[512];
	uint64_t self, rtt;
	int opt;

	/* The child of fork+exec: leave before doing anything else. */
	if (argc == 2 && strcmp(argv[1], "-x") == 0)
		return 0;

	while ((opt = getopt(argc, argv, "d:w:e:q")) != -1) {
		switch (opt) {
		case 'd': rawdev = optarg; break;
		case 'w': workdir = optarg; break;
		case 'e': execprog = optarg; break;
		case 'q': quick = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	/* Exec needs a path that names this binary; a bare name would go
	 * through PATH, which execve does not search. */
	if (execprog == NULL) {
		if (strchr(argv[0], '/') == NULL) {
			fprintf(stderr, "bench: run me by a path (./bench) or give -e\n");
			return 2;
		}
		execprog = argv[0];
	}

	printf("bench: cycles = rdtsc ticks (guest instructions under "
	    "QEMU -icount shift=0); median of rounds\n");
	fflush(stdout);

	/* Cold reads first, before any other metric can warm a cache. */
	switch (big_file(big, sizeof(big))) {
	case -1:
		fail("file_read_64m", big);
		break;
	default:
		read_64m("file_read_64m", big);
	}
	if (rawdev != NULL)
		read_64m("disk_read_64m", rawdev);
	else
		printf("skip disk_read_64m no raw device given (-d)\n");

	bench_getppid();
	bench_small_reads();
	if (bench_pipe_self(&self) == 0 && bench_pipe_rtt(&rtt) == 0) {
		/* Two switches per round trip, after the four pipe calls. */
		uint64_t sw = rtt > 2 * self ? (rtt - 2 * self) / 2 : 0;

		printf("metric ctxsw %llu cycles "
		    "derived=(pipe_rtt-2*pipe_self)/2\n", (unsigned long long)sw);
	}
	bench_fork_exit();
	bench_fork_exec(execprog);
	bench_open_close();
	bench_create_unlink();
	bench_fs_16m();
	printf("bench: done, %d failed\n", failures);
	fflush(stdout);
	return failures ? 1 : 0;
}
