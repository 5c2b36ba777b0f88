/*
 * File I/O: open errors, EOF, holes, O_APPEND, O_TRUNC, O_EXCL, EFAULT,
 * pread/pwrite, readv/writev, ftruncate, the dup family and fcntl, and a
 * file large and sparse enough to need ext2's indirect blocks.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static long fsize(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

/* Count the bytes in [off, off+len) that are not zero. */
static long nonzero(int fd, off_t off, size_t len)
{
	static unsigned char buf[4096];
	long bad = 0;

	while (len > 0) {
		ssize_t n = pread(fd, buf, len < sizeof(buf) ? len : sizeof(buf), off);
		if (n <= 0)
			return -1;
		for (ssize_t i = 0; i < n; i++)
			bad += buf[i] != 0;
		off += n;
		len -= n;
	}
	return bad;
}

static void errors(void)
{
	char buf[8];
	char longname[300];
	int fd;

	put_file("file", "data");
	mkdir("dir", 0755);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	printf("open missing: %s\n", res(open("missing", O_RDONLY)));
	printf("open missing/x with O_CREAT: %s\n",
	    res(open("missing/x", O_RDWR | O_CREAT, 0644)));
	printf("open empty path: %s\n", res(open("", O_RDONLY)));
	printf("open O_CREAT|O_EXCL existing: %s\n",
	    res(open("file", O_RDWR | O_CREAT | O_EXCL, 0644)));
	printf("open O_CREAT|O_EXCL existing dir: %s\n",
	    res(open("dir", O_RDWR | O_CREAT | O_EXCL, 0644)));
	printf("open dir O_WRONLY: %s\n", res(open("dir", O_WRONLY)));
	printf("open dir O_RDWR: %s\n", res(open("dir", O_RDWR)));
	printf("open file/x: %s\n", res(open("file/x", O_RDONLY)));
	printf("open file with O_DIRECTORY: %s\n",
	    res(open("file", O_RDONLY | O_DIRECTORY)));
	printf("open 299-byte name: %s\n", res(open(longname, O_RDONLY)));
	printf("open bad path pointer: %s\n",
	    res(open(bad_pointer(), O_RDONLY)));
	printf("stat bad path pointer: %s\n",
	    res(stat(bad_pointer(), (struct stat *)buf)));

	fd = open("dir", O_RDONLY);
	printf("read a directory: %s\n", res(read(fd, buf, sizeof(buf))));
	close(fd);
	fd = open("file", O_RDONLY);
	printf("write to O_RDONLY fd: %s\n", res(write(fd, "x", 1)));
	printf("read into bad pointer: %s\n", res(read(fd, bad_pointer(), 4)));
	printf("read after the failed read returns %d (offset kept)\n",
	    (int)read(fd, buf, sizeof(buf)));
	close(fd);
	fd = open("file", O_WRONLY);
	printf("read from O_WRONLY fd: %s\n", res(read(fd, buf, 1)));
	printf("write from bad pointer: %s\n", res(write(fd, bad_pointer(), 4)));
	printf("write of 0 bytes returns %d\n", (int)write(fd, buf, 0));
	printf("close: %s\n", res(close(fd)));
	printf("close again: %s\n", res(close(fd)));
	printf("read closed fd: %s\n", res(read(fd, buf, 1)));
	printf("write fd -1: %s\n", res(write(-1, "x", 1)));
	printf("lseek fd 9999: %s\n", res(lseek(9999, 0, SEEK_SET)));
	printf("file unchanged: size %ld\n", fsize("file"));
}

static void eof_holes(void)
{
	char buf[16];
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, "abc", 3) != 3)
		die("f");
	printf("offset after write: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
	lseek(fd, 0, SEEK_SET);
	/*
	 * One call per statement from here on: the order in which printf's
	 * arguments are evaluated is unspecified.
	 */
	long r1 = read(fd, buf, sizeof(buf));
	long r2 = read(fd, buf, sizeof(buf));
	printf("read 16 of 3-byte file: %ld, then %ld\n", r1, r2);
	r1 = lseek(fd, 100, SEEK_SET);
	r2 = read(fd, buf, sizeof(buf));
	printf("lseek 100 past end: %ld, read %ld, size still %ld\n", r1, r2,
	    fsize("f"));
	printf("lseek to -1: %s\n", res(lseek(fd, -1, SEEK_SET)));
	printf("lseek whence 42: %s\n", res(lseek(fd, 0, 42)));

	lseek(fd, 10000, SEEK_SET);
	r1 = write(fd, "end", 3);
	printf("write at 10000: %ld, size %ld\n", r1, fsize("f"));
	r1 = lseek(fd, -3, SEEK_END);
	r2 = lseek(fd, 1, SEEK_CUR);
	printf("SEEK_END -3: %ld, SEEK_CUR +1: %ld\n", r1, r2);
	printf("nonzero bytes in the hole [3, 10000): %ld\n",
	    nonzero(fd, 3, 10000 - 3));
	memset(buf, 'x', sizeof(buf));
	r1 = pread(fd, buf, sizeof(buf), 9998);
	printf("pread at 9998: %ld, zeros %s, then \"%.3s\"\n", r1,
	    buf[0] == 0 && buf[1] == 0 ? "yes" : "no", buf + 2);

	/* Far enough to need indirect blocks on a 1 KiB-block ext2. */
	static char big[300000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = 'a' + i % 23;
	int fd2 = open("big", O_RDWR | O_CREAT | O_EXCL, 0644);
	printf("write 300000 bytes: %d\n", (int)write(fd2, big, sizeof(big)));
	static char back[sizeof(big)];
	size_t got = 0;
	ssize_t n;
	lseek(fd2, 0, SEEK_SET);
	while (got < sizeof(back) && (n = read(fd2, back + got, 4096)) > 0)
		got += n;
	printf("read back %zu bytes, equal %s\n", got,
	    memcmp(big, back, sizeof(big)) == 0 ? "yes" : "no");
	r1 = pwrite(fd2, "far", 3, 70000000);
	printf("pwrite at 70000000: %ld, size %ld\n", r1, fsize("big"));
	printf("nonzero bytes in 4 KiB of hole at 40000000: %ld\n",
	    nonzero(fd2, 40000000, 4096));
	memset(buf, 'x', sizeof(buf));
	r1 = pread(fd2, buf, sizeof(buf), 69999999);
	printf("pread at 69999999: %ld, zero %s, then \"%.3s\"\n", r1,
	    buf[0] == 0 ? "yes" : "no", buf + 1);
	close(fd2);
	close(fd);
}

static void modes(void)
{
	char buf[32] = { 0 };
	int fd;

	put_file("log", "one\n");
	fd = open("log", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	long r1 = write(fd, "two\n", 4);
	long r2 = lseek(fd, 0, SEEK_CUR);
	printf("O_APPEND write after lseek 0: %ld, offset now %ld\n", r1, r2);
	/* Linux appends even for pwrite on an O_APPEND descriptor. */
	printf("pwrite on O_APPEND fd: %d\n", (int)pwrite(fd, "3\n", 2, 0));
	close(fd);
	fd = open("log", O_RDONLY);
	printf("log: %d bytes \"", (int)read(fd, buf, sizeof(buf) - 1));
	for (char *p = buf; *p; p++)
		printf(*p == '\n' ? "\\n" : "%c", *p);
	printf("\"\n");
	close(fd);

	fd = open("log", O_RDWR | O_TRUNC);
	printf("O_TRUNC: size %ld\n", fsize("log"));
	close(fd);
	fd = open("new", O_RDWR | O_CREAT | O_EXCL, 0644);
	printf("O_CREAT|O_EXCL new file: %s, size %ld\n", res(fd), fsize("new"));

	/* pread/pwrite leave the offset alone. */
	write(fd, "0123456789", 10);
	lseek(fd, 2, SEEK_SET);
	memset(buf, 0, sizeof(buf));
	r1 = pread(fd, buf, 4, 5);
	printf("pread(4 at 5): %ld \"%s\"\n", r1, buf);
	r1 = pwrite(fd, "AB", 2, 8);
	r2 = lseek(fd, 0, SEEK_CUR);
	printf("pwrite(\"AB\" at 8): %ld, offset still %ld\n", r1, r2);
	printf("pread past end: %d\n", (int)pread(fd, buf, 4, 50));
	printf("pread at -1: %s\n", res(pread(fd, buf, 4, -1)));

	/* writev/readv gather and scatter in order. */
	char a[2], b[3], c[20] = { 0 };
	struct iovec out[3] = {
		{ "ab", 2 }, { "", 0 }, { "cdefg", 5 },
	};
	struct iovec in[3] = { { a, 2 }, { b, 3 }, { c, sizeof(c) - 1 } };
	lseek(fd, 0, SEEK_SET);
	printf("writev: %d, ", (int)writev(fd, out, 3));
	lseek(fd, 0, SEEK_SET);
	r1 = readv(fd, in, 3);
	printf("readv: %ld -> \"%.2s\" \"%.3s\" \"%s\"\n", r1, a, b, c);

	/* ftruncate grows with zeros and shrinks. */
	printf("ftruncate to 20: %s\n", res(ftruncate(fd, 20)));
	printf("size %ld, nonzero in [10,20): %ld\n", fsize("new"),
	    nonzero(fd, 10, 10));
	printf("ftruncate to 4: %s\n", res(ftruncate(fd, 4)));
	printf("size %ld\n", fsize("new"));
	printf("ftruncate to 6: %s\n", res(ftruncate(fd, 6)));
	printf("size %ld, nonzero in [4,6): %ld\n", fsize("new"),
	    nonzero(fd, 4, 2));
	printf("ftruncate to -1: %s\n", res(ftruncate(fd, -1)));
	printf("truncate(path, 1): %s\n", res(truncate("new", 1)));
	printf("size %ld\n", fsize("new"));
	close(fd);
	fd = open("new", O_RDONLY);
	printf("ftruncate O_RDONLY fd: %s\n", res(ftruncate(fd, 0)));
	close(fd);
}

static void dups(void)
{
	char buf[8] = { 0 };
	int fd = open("d", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int fd2 = dup(fd);

	printf("dup: %s, new fd differs %s\n", res(fd2), fd2 != fd ? "yes" : "no");
	write(fd, "hello", 5);
	printf("dup shares the offset: %ld\n", (long)lseek(fd2, 0, SEEK_CUR));
	close(fd2);
	printf("dup reuses the lowest free fd: %s\n", dup(fd) == fd2 ? "yes" : "no");
	printf("dup2(fd, fd) returns fd: %s\n", dup2(fd, fd) == fd ? "yes" : "no");

	int other = open("other", O_RDWR | O_CREAT, 0644);
	printf("dup2 onto an open fd: %s\n",
	    dup2(fd, other) == other ? "ok" : "failed");
	long r1 = pread(other, buf, 5, 0);
	printf("it now reads file \"d\": %ld \"%s\"\n", r1, buf);
	printf("dup2 from a closed fd: %s\n", res(dup2(9999, other)));
	printf("dup3(fd, fd, 0): %s\n", res(dup3(fd, fd, 0)));
	printf("dup3 O_CLOEXEC: FD_CLOEXEC %d\n",
	    fcntl(dup3(fd, other, O_CLOEXEC), F_GETFD));
	printf("dup clears FD_CLOEXEC: %d\n", fcntl(dup(other), F_GETFD));

	int hi = fcntl(fd, F_DUPFD, 10);
	printf("F_DUPFD 10: fd >= 10 %s, FD_CLOEXEC %d\n", hi >= 10 ? "yes" : "no",
	    fcntl(hi, F_GETFD));
	hi = fcntl(fd, F_DUPFD_CLOEXEC, 20);
	printf("F_DUPFD_CLOEXEC 20: fd >= 20 %s, FD_CLOEXEC %d\n",
	    hi >= 20 ? "yes" : "no", fcntl(hi, F_GETFD));
	printf("F_SETFD FD_CLOEXEC: %s\n", res(fcntl(fd, F_SETFD, FD_CLOEXEC)));
	printf("F_GETFD: %d\n", fcntl(fd, F_GETFD));

	int fl = fcntl(fd, F_GETFL);
	printf("F_GETFL: O_RDWR %s, O_APPEND %s\n",
	    (fl & O_ACCMODE) == O_RDWR ? "yes" : "no", fl & O_APPEND ? "yes" : "no");
	fcntl(fd, F_SETFL, fl | O_APPEND);
	fl = fcntl(fd2, F_GETFL);	/* status flags belong to the open file */
	printf("after F_SETFL O_APPEND, the dup sees O_APPEND %s\n",
	    fl & O_APPEND ? "yes" : "no");
	lseek(fd2, 0, SEEK_SET);
	write(fd2, "!", 1);
	printf("write through the dup appended: size %ld\n", fsize("d"));
	printf("fcntl bad fd: %s\n", res(fcntl(9999, F_GETFL)));
	printf("fcntl bad command: %s\n", res(fcntl(fd, 9999)));
	close(fd);
	close(fd2);
	close(other);
}

int main(int argc, char **argv)
{
	setup(argc, argv);
	errors();
	eof_holes();
	modes();
	dups();
	return 0;
}
