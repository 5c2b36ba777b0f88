/*
 * The VFS system test, a static musl program: every check goes through
 * forwarded Linux system calls to VFS, the ext2 server (the root file
 * system built by tools/mkrootfs) and the tty driver, and prints its
 * `ok`/`not ok` line on /dev/console.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

static int failed;

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		failed++;
}

static void check(const char *name, int ok, long got)
{
	char line[160];

	snprintf(line, sizeof(line), ok ? "ok %s\n" : "not ok %s (got %ld, errno %d)\n",
	    name, got, errno);
	say(line);
	if (!ok)
		failed++;
}

#define CHECK(name, cond, got) check(name, (cond), (long)(got))

static char buf[70000], buf2[70000];

/* The d_names getdents64 returns for a directory, joined sorted-free. */
static int has_entry(const char *dir, const char *want, int *count)
{
	char d[1024];
	int fd = open(dir, O_RDONLY | O_DIRECTORY), found = 0;
	long n;

	*count = 0;
	if (fd < 0)
		return -1;
	while ((n = syscall(SYS_getdents64, fd, d, sizeof(d))) > 0) {
		long off = 0;
		while (off < n) {
			struct dirent *e = (struct dirent *)(d + off);
			(*count)++;
			if (!strcmp(e->d_name, want))
				found = 1;
			off += e->d_reclen;
		}
	}
	close(fd);
	return n < 0 ? -1 : found;
}

static void files(void)
{
	struct stat st;
	long i, n;
	int fd, cnt;

	fd = open("/etc/passwd", O_RDONLY);
	CHECK("vfs_open_existing_file", fd >= 0, fd);
	n = read(fd, buf, 5);
	CHECK("vfs_read_file_from_image", n == 5 && !memcmp(buf, "root:", 5), n);
	CHECK("vfs_close", close(fd) == 0, 0);
	CHECK("vfs_close_twice_ebadf", close(fd) == -1 && errno == EBADF, fd);
	CHECK("vfs_open_missing_enoent", open("/nonexistent", O_RDONLY) == -1 && errno == ENOENT, 0);
	CHECK("vfs_open_through_file_enotdir",
	    open("/etc/passwd/x", O_RDONLY) == -1 && errno == ENOTDIR, 0);
	CHECK("vfs_open_dir_for_write_eisdir", open("/tmp", O_WRONLY) == -1 && errno == EISDIR, 0);

	for (i = 0; i < (long)sizeof(buf); i++)
		buf[i] = (char)(i * 7 + (i >> 9));
	fd = open("/tmp/big", O_CREAT | O_RDWR | O_EXCL, 0644);
	CHECK("vfs_create_file", fd >= 0, fd);
	n = write(fd, buf, sizeof(buf));
	CHECK("vfs_write_70000_bytes", n == (long)sizeof(buf), n);
	CHECK("vfs_lseek_end", lseek(fd, 0, SEEK_END) == (off_t)sizeof(buf), lseek(fd, 0, SEEK_CUR));
	CHECK("vfs_lseek_set", lseek(fd, 0, SEEK_SET) == 0, 0);
	n = read(fd, buf2, sizeof(buf2));
	CHECK("vfs_read_back_matches", n == (long)sizeof(buf) && !memcmp(buf, buf2, sizeof(buf)), n);
	CHECK("vfs_read_at_eof_is_0", read(fd, buf2, 10) == 0, 0);
	n = pread(fd, buf2, 100, 12345);
	CHECK("vfs_pread", n == 100 && !memcmp(buf2, buf + 12345, 100), n);
	CHECK("vfs_pread_keeps_offset", lseek(fd, 0, SEEK_CUR) == (off_t)sizeof(buf), 0);
	CHECK("vfs_fstat_size", fstat(fd, &st) == 0 && st.st_size == (off_t)sizeof(buf) &&
	    S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644, st.st_size);
	CHECK("vfs_ftruncate", ftruncate(fd, 1000) == 0 && fstat(fd, &st) == 0 &&
	    st.st_size == 1000, st.st_size);
	close(fd);
	CHECK("vfs_create_excl_eexist",
	    open("/tmp/big", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST, 0);
	fd = open("/tmp/big", O_WRONLY | O_APPEND);
	n = write(fd, "tail", 4);
	CHECK("vfs_append", n == 4 && stat("/tmp/big", &st) == 0 && st.st_size == 1004, st.st_size);
	close(fd);

	/* directories */
	CHECK("vfs_mkdir", mkdir("/tmp/d", 0755) == 0, 0);
	CHECK("vfs_mkdir_eexist", mkdir("/tmp/d", 0755) == -1 && errno == EEXIST, 0);
	fd = open("/tmp/d/x", O_CREAT | O_WRONLY, 0600);
	close(fd);
	fd = open("/tmp/d/y", O_CREAT | O_WRONLY, 0600);
	close(fd);
	CHECK("vfs_getdents64_lists", has_entry("/tmp/d", "x", &cnt) == 1 && cnt == 4, cnt);
	CHECK("vfs_getdents64_root", has_entry("/", "etc", &cnt) == 1, cnt);
	CHECK("vfs_rename", rename("/tmp/d/x", "/tmp/d/z") == 0 &&
	    stat("/tmp/d/z", &st) == 0 && stat("/tmp/d/x", &st) == -1 && errno == ENOENT, 0);
	CHECK("vfs_rmdir_nonempty_enotempty", rmdir("/tmp/d") == -1 && errno == ENOTEMPTY, 0);
	CHECK("vfs_unlink", unlink("/tmp/d/z") == 0 && unlink("/tmp/d/y") == 0, 0);
	CHECK("vfs_unlink_dir_eisdir", unlink("/tmp/d") == -1 && errno == EISDIR, 0);
	CHECK("vfs_chdir_getcwd", chdir("/tmp/d") == 0 && getcwd(buf2, 100) &&
	    !strcmp(buf2, "/tmp/d"), 0);
	fd = open("rel", O_CREAT | O_WRONLY, 0600);
	CHECK("vfs_relative_create", fd >= 0 && close(fd) == 0 && stat("/tmp/d/rel", &st) == 0, fd);
	CHECK("vfs_dotdot", chdir("..") == 0 && getcwd(buf2, 100) && !strcmp(buf2, "/tmp"), 0);
	unlink("/tmp/d/rel");
	CHECK("vfs_rmdir", rmdir("/tmp/d") == 0 && stat("/tmp/d", &st) == -1, 0);
	CHECK("vfs_symlink_readlink", symlink("/etc/passwd", "/tmp/l") == 0 &&
	    readlink("/tmp/l", buf2, 100) == 11 && !memcmp(buf2, "/etc/passwd", 11), 0);
	fd = open("/tmp/l", O_RDONLY);
	CHECK("vfs_open_through_symlink", fd >= 0 && read(fd, buf2, 5) == 5 &&
	    !memcmp(buf2, "root:", 5), fd);
	close(fd);
	CHECK("vfs_lstat_symlink", lstat("/tmp/l", &st) == 0 && S_ISLNK(st.st_mode), st.st_mode);
	CHECK("vfs_link_count", link("/tmp/big", "/tmp/big2") == 0 && stat("/tmp/big", &st) == 0 &&
	    st.st_nlink == 2, st.st_nlink);
	unlink("/tmp/l");
	unlink("/tmp/big2");

	/* an unlinked open file stays readable */
	fd = open("/tmp/big", O_RDONLY);
	CHECK("vfs_unlinked_open_file_readable", unlink("/tmp/big") == 0 &&
	    read(fd, buf2, 10) == 10 && !memcmp(buf2, buf, 10), fd);
	close(fd);

	/* devices */
	fd = open("/dev/null", O_RDWR);
	CHECK("vfs_dev_null", write(fd, "x", 1) == 1 && read(fd, buf2, 10) == 0, fd);
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf2, 1, 64);
	CHECK("vfs_dev_zero", read(fd, buf2, 64) == 64 && buf2[0] == 0 && buf2[63] == 0, fd);
	close(fd);
}

static void descriptors(void)
{
	struct winsize ws;
	struct termios t;
	int fd = dup(1);

	CHECK("vfs_dup", fd > 2, fd);
	CHECK("vfs_fcntl_cloexec", fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 &&
	    fcntl(fd, F_GETFD) == FD_CLOEXEC, fcntl(fd, F_GETFD));
	CHECK("vfs_dup2", dup2(fd, 9) == 9 && fcntl(9, F_GETFD) == 0, 0);
	close(9);
	close(fd);
	CHECK("vfs_tty_tcgets", ioctl(1, TCGETS, &t) == 0 && (t.c_lflag & ICANON), t.c_lflag);
	CHECK("vfs_tty_winsize", ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col == 80, ws.ws_col);
	fd = open("/etc/passwd", O_RDONLY);
	CHECK("vfs_file_not_a_tty", ioctl(fd, TCGETS, &t) == -1 && errno == ENOTTY, fd);
	close(fd);
	CHECK("vfs_umask", umask(077) == 022 && umask(022) == 077, 0);
}

static void pipes(void)
{
	struct pollfd pf;
	int p[2], i;
	long n, total = 0;
	unsigned sum = 0, want = 0;
	pid_t pid;

	CHECK("vfs_pipe", pipe(p) == 0, 0);
	pf.fd = p[0];
	pf.events = POLLIN;
	CHECK("vfs_poll_empty_pipe_times_out", poll(&pf, 1, 20) == 0, pf.revents);
	CHECK("vfs_pipe_write", write(p[1], "hello", 5) == 5, 0);
	CHECK("vfs_poll_pipe_readable", poll(&pf, 1, -1) == 1 && (pf.revents & POLLIN), pf.revents);
	CHECK("vfs_pipe_read", read(p[0], buf2, 100) == 5 && !memcmp(buf2, "hello", 5), 0);
	close(p[1]);
	CHECK("vfs_pipe_eof", read(p[0], buf2, 100) == 0, 0);
	close(p[0]);
	CHECK("vfs_pipe_epipe", pipe(p) == 0 && close(p[0]) == 0 &&
	    write(p[1], "x", 1) == -1 && errno == EPIPE, 0);
	close(p[1]);

	/* two processes: the child writes 200000 bytes, the parent counts */
	if (pipe(p) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		for (i = 0; i < 200000; i += 1000) {
			int k;
			for (k = 0; k < 1000; k++)
				buf[k] = (char)(i + k);
			if (write(p[1], buf, 1000) != 1000)
				_exit(1);
		}
		_exit(0);
	}
	CHECK("vfs_fork", pid > 0, pid);
	close(p[1]);
	for (i = 0; i < 200000; i++)
		want += (unsigned char)(char)i;
	while ((n = read(p[0], buf2, 7777)) > 0) {
		for (i = 0; i < n; i++)
			sum += (unsigned char)buf2[i];
		total += n;
	}
	CHECK("vfs_pipe_between_processes", total == 200000 && sum == want, total);
	close(p[0]);
}

int main(void)
{
	int fd = open("/dev/console", O_RDWR);

	if (fd != 0 || dup(0) != 1 || dup(0) != 2)
		return 2;
	say("vfs_t: running\n");
	files();
	descriptors();
	pipes();
	sync();
	return failed ? 1 : 0;
}
