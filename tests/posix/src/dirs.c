/*
 * Directories and names: mkdir/rmdir, getdents64 (printed sorted), rename
 * in its many cases, link counts, symlinks, chdir/getcwd, the *at calls,
 * and an unlinked file that stays readable while open.
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's record, declared here: musl has no getdents64 wrapper. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static const char *kind(mode_t m)
{
	return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink" :
	    "other";
}

/* "file nlink=1 size=4" for a path (lstat, not following symlinks). */
static const char *describe(const char *path)
{
	static char buf[64];
	struct stat st;

	if (lstat(path, &st) < 0)
		return errname(errno);
	snprintf(buf, sizeof(buf), "%s nlink=%d", kind(st.st_mode),
	    (int)st.st_nlink);
	if (!S_ISDIR(st.st_mode))	/* directory sizes are fs-specific */
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    " size=%ld", (long)st.st_size);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List a directory with getdents64 through a small buffer, sorted. */
static void list(const char *path)
{
	static const char *types[] = { [DT_REG] = "f", [DT_DIR] = "d",
	    [DT_LNK] = "l", [DT_UNKNOWN] = "?" };
	char buf[64], *names[64];
	int n = 0;
	long got;
	int fd = open(path, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		die(path);
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got && n < 64;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			const char *t = d->d_type < sizeof(types) / sizeof(types[0]) &&
			    types[d->d_type] ? types[d->d_type] : "?";
			if (asprintf(&names[n++], "%s(%s)", d->d_name, t) < 0)
				die("asprintf");
			off += d->d_reclen;
		}
	}
	printf("getdents64 %s: end %s,", path, res(got));
	qsort(names, n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	close(fd);
}

static void make_remove(void)
{
	put_file("file", "data");
	printf("mkdir a: %s\n", res(mkdir("a", 0755)));
	printf("new dir a: %s\n", describe("a"));
	printf("mkdir a again: %s\n", res(mkdir("a", 0755)));
	printf("mkdir missing/x: %s\n", res(mkdir("missing/x", 0755)));
	printf("mkdir file/x: %s\n", res(mkdir("file/x", 0755)));
	printf("mkdir a/b: %s\n", res(mkdir("a/b", 0755)));
	printf("a after a subdirectory: %s\n", describe("a"));
	put_file("a/f", "x");
	list("a");
	printf("rmdir a (not empty): %s\n", res(rmdir("a")));
	printf("rmdir file: %s\n", res(rmdir("file")));
	printf("rmdir missing: %s\n", res(rmdir("missing")));
	printf("rmdir a/b/.: %s\n", res(rmdir("a/b/.")));
	printf("unlink a/b (a dir): %s\n", res(unlink("a/b")));
	printf("rmdir a/b: %s\n", res(rmdir("a/b")));
	printf("a after rmdir: %s\n", describe("a"));
	printf("unlink a/f: %s\n", res(unlink("a/f")));
	printf("unlink a/f again: %s\n", res(unlink("a/f")));
	list("a");
	printf("rmdir a: %s\n", res(rmdir("a")));

	char buf[256];
	int fd = open("file", O_RDONLY);
	printf("getdents64 on a file: %s\n",
	    res(syscall(SYS_getdents64, fd, buf, sizeof(buf))));
	close(fd);
	printf("getdents64 on a closed fd: %s\n",
	    res(syscall(SYS_getdents64, fd, buf, sizeof(buf))));
	fd = open(".", O_RDONLY | O_DIRECTORY);
	printf("getdents64 into 1 byte: %s\n",
	    res(syscall(SYS_getdents64, fd, buf, 1)));
	close(fd);
}

static void renames(void)
{
	char buf[16] = { 0 };

	mkdir("r", 0755);
	put_file("r/one", "one");
	put_file("r/two", "two");
	printf("rename one -> uno: %s\n", res(rename("r/one", "r/uno")));
	printf("access r/one: %s\n", res(access("r/one", F_OK)));
	printf("r/uno: %s\n", describe("r/uno"));
	printf("rename uno over two: %s\n", res(rename("r/uno", "r/two")));
	int fd = open("r/two", O_RDONLY);
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("two now holds %ld \"%s\"\n", n, buf);
	printf("rename two to itself: %s\n", res(rename("r/two", "r/two")));
	printf("r/two: %s\n", describe("r/two"));
	printf("rename missing: %s\n", res(rename("r/missing", "r/x")));

	mkdir("r/d1", 0755);
	mkdir("r/d2", 0755);
	mkdir("r/full", 0755);
	put_file("r/full/f", "f");
	printf("rename dir over empty dir: %s\n", res(rename("r/d1", "r/d2")));
	printf("rename dir over non-empty dir: %s\n",
	    res(rename("r/d2", "r/full")));
	printf("rename file over dir: %s\n", res(rename("r/two", "r/d2")));
	printf("rename dir over file: %s\n", res(rename("r/d2", "r/two")));
	printf("rename dir into itself: %s\n", res(rename("r/d2", "r/d2/sub")));
	printf("rename dir across parents: %s\n",
	    res(rename("r/d2", "r/full/moved")));
	printf("r/full after gaining a subdir: %s\n", describe("r/full"));
	list("r");
	list("r/full");
}

static void links(void)
{
	struct stat a, b;

	put_file("orig", "12345");
	printf("link orig -> hard: %s\n", res(link("orig", "hard")));
	printf("orig: %s; hard: ", describe("orig"));
	printf("%s\n", describe("hard"));
	stat("orig", &a);
	stat("hard", &b);
	printf("same inode: %s\n", a.st_ino == b.st_ino ? "yes" : "no");
	printf("link onto an existing name: %s\n", res(link("orig", "hard")));
	mkdir("ldir", 0755);
	printf("link a directory: %s\n", res(link("ldir", "ldir2")));
	printf("link missing: %s\n", res(link("missing", "x")));
	/* One call per statement: argument evaluation order is unspecified. */
	printf("unlink orig: %s\n", res(unlink("orig")));
	printf("hard: %s\n", describe("hard"));

	char buf[64];
	printf("symlink hard -> soft: %s\n", res(symlink("hard", "soft")));
	printf("lstat soft: %s\n", describe("soft"));
	stat("soft", &a);
	printf("stat soft follows it: %s\n", kind(a.st_mode));
	long n = readlink("soft", buf, sizeof(buf));
	printf("readlink soft: %ld \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
	n = readlink("soft", buf, 2);
	printf("readlink into 2 bytes: %ld \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
	printf("readlink of a file: %s\n", res(readlink("hard", buf, sizeof(buf))));
	printf("readlink missing: %s\n", res(readlink("missing", buf, sizeof(buf))));
	printf("symlink onto existing name: %s\n", res(symlink("x", "soft")));
	symlink("nowhere", "dangling");
	printf("stat dangling: %s\n", res(stat("dangling", &a)));
	printf("lstat dangling: %s\n", describe("dangling"));
	symlink("loop1", "loop2");
	symlink("loop2", "loop1");
	printf("open a symlink loop: %s\n", res(open("loop1", O_RDONLY)));
	printf("open O_NOFOLLOW on a symlink: %s\n",
	    res(open("soft", O_RDONLY | O_NOFOLLOW)));
	printf("symlink to a dir, then a file through it: %s\n",
	    res(symlink("ldir", "dlink")));
	put_file("dlink/inside", "in");
	printf("ldir/inside: %s\n", describe("ldir/inside"));
	printf("unlink dlink: %s\n", res(unlink("dlink")));
	printf("it removed the link only: ldir %s\n", describe("ldir"));
}

static void cwd(void)
{
	char start[4096], here[4096], small[2];

	if (!getcwd(start, sizeof(start)))
		die("getcwd");
	printf("getcwd is absolute: %s\n", start[0] == '/' ? "yes" : "no");
	mkdir("c", 0755);
	mkdir("c/d", 0755);
	printf("chdir c/d: %s\n", res(chdir("c/d")));
	getcwd(here, sizeof(here));
	printf("getcwd is start + /c/d: %s\n",
	    strncmp(here, start, strlen(start)) == 0 &&
	    strcmp(here + strlen(start), "/c/d") == 0 ? "yes" : "no");
	printf("chdir ../..: %s\n", res(chdir("../..")));
	getcwd(here, sizeof(here));
	printf("back at start: %s\n", strcmp(here, start) == 0 ? "yes" : "no");
	printf("getcwd into 2 bytes: %s\n",
	    getcwd(small, sizeof(small)) ? "ok" : errname(errno));
	printf("chdir to a file: %s\n", res(chdir("hard")));
	printf("chdir missing: %s\n", res(chdir("missing")));
	int fd = open("c", O_RDONLY | O_DIRECTORY);
	printf("fchdir c: %s\n", res(fchdir(fd)));
	printf("relative name now resolves in c: %s\n", describe("d"));
	chdir(start);

	/* The *at calls resolve relative names against a directory fd. */
	printf("mkdirat(c, e): %s\n", res(mkdirat(fd, "e", 0755)));
	int f = openat(fd, "e/g", O_WRONLY | O_CREAT | O_EXCL, 0644);
	printf("openat(c, e/g): %s\n", res(f));
	close(f);
	struct stat st;
	printf("fstatat(c, e/g): %s\n", res(fstatat(fd, "e/g", &st, 0)));
	printf("unlinkat(c, e, 0) on a dir: %s\n", res(unlinkat(fd, "e", 0)));
	printf("unlinkat(c, e/g, 0): %s\n", res(unlinkat(fd, "e/g", 0)));
	printf("unlinkat(c, e, AT_REMOVEDIR): %s\n",
	    res(unlinkat(fd, "e", AT_REMOVEDIR)));
	f = open("hard", O_RDONLY);
	printf("openat(file fd, x): %s\n", res(openat(f, "x", O_RDONLY)));
	close(f);
	close(fd);
}

static void open_unlinked(void)
{
	char buf[16] = { 0 };
	struct stat st;
	int fd = open("gone", O_RDWR | O_CREAT | O_TRUNC, 0644);

	write(fd, "still here", 10);
	printf("unlink open file: %s\n", res(unlink("gone")));
	printf("stat by name: %s\n", res(stat("gone", &st)));
	fstat(fd, &st);
	printf("fstat: nlink %d, size %ld\n", (int)st.st_nlink, (long)st.st_size);
	long n = pread(fd, buf, sizeof(buf) - 1, 0);
	printf("read through the fd: %ld \"%s\"\n", n, buf);
	printf("write through the fd: %d\n", (int)write(fd, "!", 1));
	close(fd);
	list(".");
}

int main(int argc, char **argv)
{
	setup(argc, argv);
	make_remove();
	renames();
	links();
	cwd();
	open_unlinked();
	return 0;
}
