/*
 * Host tests of lib/ext2: images are made by mke2fs from a tree built
 * here, read back and compared with that tree, changed through the
 * library, then judged by e2fsck -fn and read independently by debugfs.
 * Corrupted images must give errors, never crashes (the test is built
 * with AddressSanitizer and UBSan) or hangs (an alarm stops it).
 *
 * Usage: test_ext2 WORKDIR. Prints "ok NAME" / "not ok NAME" per test.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext2.h"

#define CHECK(c) do {							\
	if (!(c)) {							\
		printf("# %s:%d: %s\n", __FILE__, __LINE__, #c);	\
		return false;						\
	}								\
} while (0)
#define CHECK_EQ(a, b) do {						\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_) {							\
		printf("# %s:%d: %s == %lld, expected %s == %lld\n",	\
		    __FILE__, __LINE__, #a, a_, #b, b_);		\
		return false;						\
	}								\
} while (0)

static const char *work;
static int failures;
static struct ext2_fs fs;	/* large: holds the caches */

/* ---- a file-backed block device ---- */

struct filedev {
	int fd;
};

static int
fd_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	struct filedev *d = ctx;
	ssize_t n = pread(d->fd, buf, (size_t)count * 512, sector * 512);

	return n == (ssize_t)count * 512 ? 0 : -EIO;
}

static int
fd_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	struct filedev *d = ctx;
	ssize_t n = pwrite(d->fd, buf, (size_t)count * 512, sector * 512);

	return n == (ssize_t)count * 512 ? 0 : -EIO;
}

static uint32_t
fixed_now(void *ctx)
{
	(void)ctx;
	return 1700000000;
}

static struct filedev fdev = { -1 };

static int
mount_image(const char *path, int flags)
{
	struct ext2_dev dev;
	struct stat st;

	if (fdev.fd >= 0)
		close(fdev.fd);
	fdev.fd = open(path, (flags & EXT2_MOUNT_RDONLY) ? O_RDONLY : O_RDWR);
	if (fdev.fd < 0 || fstat(fdev.fd, &st) < 0)
		return -EIO;
	dev.ctx = &fdev;
	dev.nsectors = st.st_size / 512;
	dev.read = fd_read;
	dev.write = fd_write;
	dev.now = fixed_now;
	return ext2_mount(&fs, &dev, flags);
}

static int
unmount_image(void)
{
	int error = ext2_unmount(&fs);

	close(fdev.fd);
	fdev.fd = -1;
	return error;
}

/* ---- helpers ---- */

static char *
pathf(const char *fmt, ...)
{
	static char bufs[4][4096];
	static int next;
	char *p = bufs[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return p;
}

static int
run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run a command and collect its standard output (NUL-terminated). */
static size_t
capture(char *out, size_t max, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	size_t n = 0, r;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if ((f = popen(cmd, "r")) == NULL)
		return 0;
	while (n < max - 1 && (r = fread(out + n, 1, max - 1 - n, f)) > 0)
		n += r;
	pclose(f);
	out[n] = '\0';
	return n;
}

static bool
fsck_clean(const char *img)
{
	int rc = run("e2fsck -fn %s >%s/fsck.log 2>&1", img, work);

	if (rc != 0) {
		printf("# e2fsck -fn %s exited %d:\n", img, rc);
		run("sed 's/^/# /' %s/fsck.log | head -30", work);
	}
	return rc == 0;
}

/* Deterministic bytes, different for each seed and offset. */
static void
pattern(uint8_t *buf, size_t len, uint64_t seed, uint64_t off)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint64_t x = (off + i) * 0x9e3779b97f4a7c15ull + seed;
		x ^= x >> 29;
		buf[i] = (uint8_t)(x * 0xbf58476d1ce4e5b9ull >> 56);
	}
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool
write_host_file(const char *path, size_t len, uint64_t seed, mode_t mode)
{
	uint8_t *buf = malloc(len ? len : 1);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	bool ok;

	pattern(buf, len, seed, 0);
	ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;
	ok = ok && fchmod(fd, mode) == 0;
	if (fd >= 0)
		close(fd);
	free(buf);
	return ok;
}

/* Look a slash-separated path up from the root. */
static int
lookup_path(const char *path, uint32_t *ino)
{
	const char *p = path, *e;
	uint32_t cur = EXT2_ROOT_INO;
	int error;

	while (*p == '/')
		p++;
	while (*p != '\0') {
		e = strchr(p, '/');
		if (e == NULL)
			e = p + strlen(p);
		if ((error = ext2_lookup(&fs, cur, p, e - p, &cur)) < 0)
			return error;
		p = *e ? e + 1 : e;
	}
	*ino = cur;
	return 0;
}

/* Split "/a/b/name" into the parent's inode and the last name. */
static int
parent_of(const char *path, uint32_t *dir, const char **name)
{
	char buf[4096];
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - path), path);
	*name = slash + 1;
	return lookup_path(buf, dir);
}

static int
p_create(const char *path, uint32_t mode, uint32_t *ino)
{
	const char *name;
	uint32_t dir;
	int error = parent_of(path, &dir, &name);

	return error < 0 ? error :
	    ext2_create(&fs, dir, name, strlen(name), mode, 0, 0, ino);
}

static int
p_mkdir(const char *path)
{
	const char *name;
	uint32_t dir, ino;
	int error = parent_of(path, &dir, &name);

	return error < 0 ? error :
	    ext2_mkdir(&fs, dir, name, strlen(name), 0755, 0, 0, &ino);
}

static int
p_unlink(const char *path)
{
	const char *name;
	uint32_t dir;
	int error = parent_of(path, &dir, &name);

	return error < 0 ? error : ext2_unlink(&fs, dir, name, strlen(name));
}

static int
p_rmdir(const char *path)
{
	const char *name;
	uint32_t dir;
	int error = parent_of(path, &dir, &name);

	return error < 0 ? error : ext2_rmdir(&fs, dir, name, strlen(name));
}

static int
p_rename(const char *from, const char *to)
{
	const char *on, *nn;
	uint32_t od, nd;
	int error;

	if ((error = parent_of(from, &od, &on)) < 0 ||
	    (error = parent_of(to, &nd, &nn)) < 0)
		return error;
	return ext2_rename(&fs, od, on, strlen(on), nd, nn, strlen(nn));
}

static int
p_stat(const char *path, struct ext2_stat *st)
{
	uint32_t ino;
	int error = lookup_path(path, &ino);

	return error < 0 ? error : ext2_stat(&fs, ino, st);
}

/* Read a whole file through the library in odd-sized pieces. */
static long
read_all(uint32_t ino, uint8_t *buf, size_t max)
{
	size_t done = 0;
	long n;

	while (done < max) {
		n = ext2_read(&fs, ino, done, buf + done,
		    max - done < 3001 ? max - done : 3001);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static bool
debugfs_cat_equals(const char *img, const char *path, const uint8_t *want,
    size_t len)
{
	char *out = malloc(len + 2);
	size_t n = capture(out, len + 2, "debugfs -R 'cat %s' %s 2>/dev/null",
	    path, img);
	bool same = n == len && memcmp(out, want, len) == 0;

	if (!same)
		printf("# debugfs cat %s: %zu bytes, expected %zu\n", path, n,
		    len);
	free(out);
	return same;
}

/* The output of debugfs "stat", for looking fields up in. */
static const char *
debugfs_stat(const char *img, const char *path)
{
	static char out[65536];

	capture(out, sizeof(out), "debugfs -R 'stat %s' %s 2>/dev/null", path,
	    img);
	return out;
}

static long
debugfs_field(const char *img, const char *path, const char *field)
{
	const char *s = strstr(debugfs_stat(img, path), field);

	return s == NULL ? -1 : strtol(s + strlen(field), NULL, 0);
}

/* ---- the source tree and its images ---- */

#define BIG_SIZE	(4608 * 1024 + 77)	/* past double indirect at 4K */
#define SLOW_TARGET	"a/rather/long/symlink/target/that/does/not/fit/in/" \
			"the/sixty/bytes/of/i_block/so/it/takes/a/block"

static bool
make_source_tree(const char *srcdir)
{
	char src[4096];
	static const size_t sizes[] = { 0, 1, 1023, 1024, 1025, 4095, 4096,
	    4097, 12345, 70000 };
	int fd, i;

	snprintf(src, sizeof(src), "%s", srcdir);
	run("rm -rf %s && mkdir -p %s/dir1/dir2/dir3 %s/many", src, src, src);
	for (i = 0; i < (int)(sizeof(sizes) / sizeof(sizes[0])); i++)
		if (!write_host_file(pathf("%s/file_%zu", src, sizes[i]),
		    sizes[i], i + 1, i % 2 ? 0600 : 0644))
			return false;
	if (!write_host_file(pathf("%s/big", src), BIG_SIZE, 99, 0644) ||
	    !write_host_file(pathf("%s/dir1/dir2/dir3/deep", src), 5000, 7,
	    0755))
		return false;
	for (i = 0; i < 150; i++)
		if (!write_host_file(pathf("%s/many/entry_with_a_longish_name_%03d",
		    src, i), i, 1000 + i, 0644))
			return false;
	/* A sparse file: data, a hole of 2 MiB, data, then a hole to EOF. */
	if ((fd = open(pathf("%s/sparse", src), O_WRONLY | O_CREAT, 0644)) < 0)
		return false;
	if (pwrite(fd, "begin", 5, 0) != 5 ||
	    pwrite(fd, "middle", 6, 2 << 20) != 6 ||
	    ftruncate(fd, (3 << 20) + 7) != 0)
		return false;
	close(fd);
	if (symlink("file_1023", pathf("%s/fastlink", src)) != 0 ||
	    symlink(SLOW_TARGET, pathf("%s/slowlink", src)) != 0 ||
	    link(pathf("%s/file_4096", src), pathf("%s/dir1/hardlink", src)) != 0)
		return false;
	return true;
}

static bool
make_image(const char *img, const char *src, int bsize, const char *size,
    const char *extra)
{
	return run("rm -f %s && mke2fs -q -F -t ext2 -b %d %s -d %s %s %s "
	    ">/dev/null 2>&1", img, bsize, extra, src, img, size) == 0;
}

/* ---- reading an image made by mke2fs ---- */

static bool compare_dir(const char *host, uint32_t dir, bool root);

static bool
compare_file(const char *host, uint32_t ino, const struct stat *hs)
{
	uint8_t *want, *got;
	long n;
	bool same;
	int fd;

	want = malloc(hs->st_size + 1);
	got = malloc(hs->st_size + 4096);
	fd = open(host, O_RDONLY);
	CHECK(fd >= 0 && read(fd, want, hs->st_size) == hs->st_size);
	close(fd);
	n = read_all(ino, got, hs->st_size + 4096);
	same = n == hs->st_size && memcmp(want, got, hs->st_size) == 0;
	if (!same)
		printf("# %s: read %ld bytes, expected %lld\n", host, n,
		    (long long)hs->st_size);
	free(want);
	free(got);
	return same;
}

struct names {
	char name[512][64];
	uint32_t ino[512];
	int n;
	int limit;	/* entries to accept per getdents call */
	int taken;
};

static int
collect(void *arg, uint32_t ino, uint8_t type, const char *name, size_t len,
    uint64_t next)
{
	struct names *nm = arg;

	(void)type;
	(void)next;
	if (nm->taken >= nm->limit || nm->n >= 512 || len >= 64)
		return 1;
	memcpy(nm->name[nm->n], name, len);
	nm->name[nm->n][len] = '\0';
	nm->ino[nm->n++] = ino;
	nm->taken++;
	return 0;
}

static int
names_count(const struct names *nm, const char *name)
{
	int i, c = 0;

	for (i = 0; i < nm->n; i++)
		c += strcmp(nm->name[i], name) == 0;
	return c;
}

/* List a whole directory, `limit` entries per call. */
static int
list_dir(uint32_t dir, struct names *nm, int limit)
{
	uint64_t cookie = 0, before;
	int error, calls = 0;

	nm->n = 0;
	nm->limit = limit;
	do {
		nm->taken = 0;
		before = cookie;
		if ((error = ext2_getdents(&fs, dir, &cookie, collect, nm)) < 0)
			return error;
	} while (nm->taken > 0 && cookie != before && ++calls < 10000);
	return 0;
}

static bool
compare_dir(const char *host, uint32_t dir, bool root)
{
	static struct names nm;
	struct ext2_stat st;
	struct dirent *de;
	struct stat hs;
	char link[4096], hlink[4096];
	uint32_t ino;
	int hostn = 0;
	long n;
	DIR *d;

	CHECK_EQ(list_dir(dir, &nm, 1000), 0);
	CHECK_EQ(names_count(&nm, "."), 1);
	CHECK_EQ(names_count(&nm, ".."), 1);
	int listed = nm.n - 2 - (root ? names_count(&nm, "lost+found") : 0);
	CHECK((d = opendir(host)) != NULL);
	while ((de = readdir(d)) != NULL) {
		const char *path;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		hostn++;
		path = pathf("%s/%s", host, de->d_name);
		CHECK(lstat(path, &hs) == 0);
		CHECK_EQ(ext2_lookup(&fs, dir, de->d_name, strlen(de->d_name),
		    &ino), 0);
		CHECK_EQ(ext2_stat(&fs, ino, &st), 0);
		CHECK_EQ(st.mode, hs.st_mode);
		CHECK_EQ(st.nlink, hs.st_nlink);
		CHECK_EQ(st.uid, hs.st_uid);
		if (!S_ISDIR(hs.st_mode))
			CHECK_EQ(st.size, hs.st_size);
		if (S_ISREG(hs.st_mode)) {
			char keep[4096];
			snprintf(keep, sizeof(keep), "%s", path);
			CHECK(compare_file(keep, ino, &hs));
			if (strstr(keep, "sparse") != NULL)	/* holes */
				CHECK(st.blocks * 512 < 64 * 1024);
		} else if (S_ISLNK(hs.st_mode)) {
			n = ext2_readlink(&fs, ino, link, sizeof(link));
			CHECK(n == (long)hs.st_size);
			CHECK(readlink(path, hlink, sizeof(hlink)) == n);
			CHECK(memcmp(link, hlink, n) == 0);
		} else if (S_ISDIR(hs.st_mode)) {
			char keep[4096];
			snprintf(keep, sizeof(keep), "%s", path);
			if (!compare_dir(keep, ino, false)) {
				closedir(d);
				return false;
			}
			CHECK_EQ(list_dir(dir, &nm, 1000), 0);
		}
	}
	closedir(d);
	CHECK_EQ(listed, hostn);
	return true;
}

static bool
test_read_tree(int bsize, const char *extra)
{
	char src[4096]; snprintf(src, sizeof(src), "%s/src", work);
	char img[4096]; snprintf(img, sizeof(img), "%s/read%d.img", work, bsize);

	CHECK(make_image(img, src, bsize, "24M", extra));
	CHECK_EQ(mount_image(img, EXT2_MOUNT_RDONLY), 0);
	bool ok = compare_dir(src, EXT2_ROOT_INO, true);
	CHECK_EQ(unmount_image(), 0);
	return ok;
}

static bool test_read_1024(void) { return test_read_tree(1024, ""); }
static bool test_read_2048(void) { return test_read_tree(2048, ""); }
static bool test_read_4096(void) { return test_read_tree(4096, ""); }
static bool test_read_rev0(void) { return test_read_tree(1024, "-r 0"); }

/* ---- writing, judged by e2fsck and debugfs ---- */

struct expect {
	uint8_t newtxt[20000];
	uint8_t big2[300001];
	uint64_t far;		/* offset of the write in the triple tree */
	uint8_t fardata[5000];
};

static struct expect ex;

static bool
do_write_sequence(int bsize)
{
	uint8_t *buf = malloc(1 << 20), *rd = malloc(1 << 20);
	uint64_t n = bsize / 4;
	struct ext2_stat st, st2;
	uint32_t ino, big2, c, b, tmp;
	uint64_t off;
	char lnk[512];
	int i;

	CHECK(buf != NULL && rd != NULL);
	/* a small file, overwritten in the middle, grown by truncate */
	CHECK_EQ(p_create("/new.txt", 0644, &ino), 0);
	pattern(ex.newtxt, 10000, 1, 0);
	CHECK_EQ(ext2_write(&fs, ino, 0, ex.newtxt, 10000), 10000);
	pattern(ex.newtxt + 5000, 100, 2, 0);
	CHECK_EQ(ext2_write(&fs, ino, 5000, ex.newtxt + 5000, 100), 100);
	CHECK_EQ(ext2_truncate(&fs, ino, 20000), 0);
	memset(ex.newtxt + 10000, 0, 10000);
	CHECK_EQ(read_all(ino, rd, 1 << 20), 20000);
	CHECK(memcmp(rd, ex.newtxt, 20000) == 0);

	/* a big file through the double indirect tree, then shrunk to a
	 * size inside a block: the tail must read as zeros when regrown */
	CHECK_EQ(p_create("/big2", 0600, &big2), 0);
	for (off = 0; off < (5u << 20); off += 65536) {
		pattern(buf, 65536, 3, off);
		CHECK_EQ(ext2_write(&fs, big2, off, buf, 65536), 65536);
	}
	CHECK_EQ(ext2_stat(&fs, big2, &st), 0);
	CHECK_EQ(st.size, 5u << 20);
	CHECK_EQ(ext2_truncate(&fs, big2, 300000), 0);
	CHECK_EQ(ext2_stat(&fs, big2, &st2), 0);
	CHECK(st2.blocks < st.blocks / 10);
	CHECK_EQ(ext2_truncate(&fs, big2, 300001), 0);
	pattern(ex.big2, 300000, 3, 0);
	ex.big2[300000] = 0;
	CHECK_EQ(read_all(big2, rd, 1 << 20), 300001);
	CHECK(memcmp(rd, ex.big2, 300001) == 0);

	/* a write into the triple indirect tree: a sparse file of GBs */
	CHECK_EQ(p_create("/far", 0644, &ino), 0);
	ex.far = (12 + n + n * n) * bsize + 1234;
	pattern(ex.fardata, sizeof(ex.fardata), 4, 0);
	CHECK_EQ(ext2_write(&fs, ino, ex.far, ex.fardata, 5000), 5000);
	CHECK_EQ(ext2_read(&fs, ino, ex.far - 100, rd, 5100), 5100);
	for (i = 0; i < 100; i++)
		CHECK_EQ(rd[i], 0);
	CHECK(memcmp(rd + 100, ex.fardata, 5000) == 0);
	CHECK_EQ(ext2_stat(&fs, ino, &st), 0);
	CHECK_EQ(st.size, ex.far + 5000);
	CHECK(st.blocks <= (uint64_t)(5000 / bsize + 2 + 3) * (bsize / 512));

	/* directories and renames */
	CHECK_EQ(p_mkdir("/a"), 0);
	CHECK_EQ(p_mkdir("/a/b"), 0);
	CHECK_EQ(p_mkdir("/c"), 0);
	CHECK_EQ(p_mkdir("/a"), -EEXIST);
	CHECK_EQ(p_create("/a/b/f1", 0644, &ino), 0);
	CHECK_EQ(ext2_write(&fs, ino, 0, "hello", 5), 5);
	CHECK_EQ(p_rename("/a/b/f1", "/a/b/f2"), 0);
	CHECK_EQ(p_stat("/a/b/f1", &st), -ENOENT);
	CHECK_EQ(p_rename("/a/b/f2", "/c/f3"), 0);
	CHECK_EQ(p_create("/c/victim", 0644, &tmp), 0);
	CHECK_EQ(ext2_write(&fs, tmp, 0, "doomed data", 11), 11);
	CHECK_EQ(p_rename("/c/f3", "/c/victim"), 0);
	CHECK_EQ(ext2_stat(&fs, tmp, &st), -ENOENT);	/* replaced: freed */
	CHECK_EQ(lookup_path("/c/victim", &c), 0);
	CHECK_EQ(c, ino);
	CHECK_EQ(p_rename("/a/b", "/c/b"), 0);
	CHECK_EQ(lookup_path("/c/b/..", &b), 0);
	CHECK_EQ(lookup_path("/c", &c), 0);
	CHECK_EQ(b, c);
	CHECK_EQ(p_stat("/a", &st), 0);
	CHECK_EQ(st.nlink, 2);
	CHECK_EQ(p_stat("/c", &st), 0);
	CHECK_EQ(st.nlink, 3);
	CHECK_EQ(p_rename("/c", "/c/b/inside"), -EINVAL);
	CHECK_EQ(p_rename("/c/b", "/c/victim"), -ENOTDIR);
	CHECK_EQ(p_rename("/c/victim", "/c/b"), -EISDIR);
	CHECK_EQ(p_mkdir("/c/e1"), 0);
	CHECK_EQ(p_mkdir("/c/e2"), 0);
	CHECK_EQ(p_create("/c/e1/x", 0644, &tmp), 0);
	CHECK_EQ(p_rename("/c/e2", "/c/e1"), -ENOTEMPTY);
	CHECK_EQ(p_rename("/c/e1", "/c/e2"), 0);	/* over an empty dir */
	CHECK_EQ(p_stat("/c", &st), 0);
	CHECK_EQ(st.nlink, 4);				/* b, e2 and . */
	CHECK_EQ(p_rename("/c/e2", "/a/e3"), 0);	/* dir to another */
	CHECK_EQ(p_stat("/a", &st), 0);
	CHECK_EQ(st.nlink, 3);

	/* links */
	CHECK_EQ(lookup_path("/a", &tmp), 0);
	CHECK_EQ(ext2_link(&fs, tmp, "hard", 4, ino), 0);
	CHECK_EQ(ext2_link(&fs, tmp, "hard", 4, ino), -EEXIST);
	CHECK_EQ(ext2_link(&fs, tmp, "dirlink", 7, c), -EPERM);
	CHECK_EQ(ext2_stat(&fs, ino, &st), 0);
	CHECK_EQ(st.nlink, 2);
	CHECK_EQ(p_rename("/a/hard", "/c/victim"), 0);	/* same inode */
	CHECK_EQ(p_stat("/a/hard", &st), 0);
	CHECK_EQ(p_unlink("/c/victim"), 0);
	CHECK_EQ(ext2_stat(&fs, ino, &st), 0);
	CHECK_EQ(st.nlink, 1);
	CHECK_EQ(p_rmdir("/a"), -ENOTEMPTY);
	CHECK_EQ(p_rename("/a/hard", "/c/victim"), 0);
	CHECK_EQ(p_rmdir("/a/e3/x"), -ENOTDIR);
	CHECK_EQ(p_unlink("/a/e3/x"), 0);
	CHECK_EQ(p_unlink("/a/e3"), -EISDIR);
	CHECK_EQ(p_rmdir("/a/e3"), 0);
	CHECK_EQ(p_rmdir("/a"), 0);
	CHECK_EQ(p_stat("/a", &st), -ENOENT);

	/* symlinks, fast and slow */
	CHECK_EQ(lookup_path("/c", &c), 0);
	CHECK_EQ(ext2_symlink(&fs, c, "fast", 4, "short/target", 12, 0, 0,
	    &tmp), 0);
	CHECK_EQ(ext2_readlink(&fs, tmp, lnk, sizeof(lnk)), 12);
	CHECK(memcmp(lnk, "short/target", 12) == 0);
	memset(buf, 'x', 300);
	memcpy(buf, "long/", 5);
	CHECK_EQ(ext2_symlink(&fs, c, "slow", 4, (char *)buf, 300, 0, 0,
	    &tmp), 0);
	CHECK_EQ(ext2_readlink(&fs, tmp, lnk, sizeof(lnk)), 300);
	CHECK(memcmp(lnk, buf, 300) == 0);
	CHECK_EQ(ext2_symlink(&fs, c, "huge", 4, (char *)rd, bsize, 0, 0,
	    &tmp), -ENAMETOOLONG);

	/* attributes */
	CHECK_EQ(lookup_path("/new.txt", &ino), 0);
	CHECK_EQ(ext2_chmod(&fs, ino, 0640), 0);
	CHECK_EQ(ext2_chown(&fs, ino, 1234, 100000), 0);
	CHECK_EQ(ext2_utimes(&fs, ino, 1000, 2000), 0);
	CHECK_EQ(ext2_stat(&fs, ino, &st), 0);
	CHECK_EQ(st.mode, EXT2_S_IFREG | 0640);
	CHECK_EQ(st.uid, 1234);
	CHECK_EQ(st.gid, 100000);
	CHECK_EQ(st.atime, 1000);
	CHECK_EQ(st.mtime, 2000);
	CHECK_EQ(st.ctime, 1700000000);

	/* devices and fifos */
	CHECK_EQ(ext2_mknod(&fs, c, "tty", 3, EXT2_S_IFCHR | 0620, 0x0401, 0,
	    0, &tmp), 0);
	CHECK_EQ(ext2_stat(&fs, tmp, &st), 0);
	CHECK_EQ(st.rdev, 0x0401);
	CHECK_EQ(ext2_mknod(&fs, c, "bigdev", 6, EXT2_S_IFBLK | 0600,
	    (300 << 8) | (70000 & 0xff) | ((70000 & ~0xff) << 12), 0, 0,
	    &tmp), 0);
	CHECK_EQ(ext2_stat(&fs, tmp, &st), 0);
	CHECK_EQ(st.rdev, (300 << 8) | (70000 & 0xff) | ((70000 & ~0xff) << 12));
	CHECK_EQ(ext2_mknod(&fs, c, "fifo", 4, EXT2_S_IFIFO | 0644, 0, 0, 0,
	    &tmp), 0);

	/* an open file outlives its last name */
	CHECK_EQ(p_create("/c/open", 0644, &ino), 0);
	CHECK_EQ(ext2_write(&fs, ino, 0, "still here", 10), 10);
	CHECK_EQ(ext2_open(&fs, ino), 0);
	CHECK_EQ(p_unlink("/c/open"), 0);
	CHECK_EQ(ext2_read(&fs, ino, 0, rd, 100), 10);
	CHECK(memcmp(rd, "still here", 10) == 0);
	CHECK_EQ(ext2_close(&fs, ino), 0);
	CHECK_EQ(ext2_stat(&fs, ino, &st), -ENOENT);
	CHECK_EQ(ext2_close(&fs, ino), -ENOENT);

	/* a directory of several blocks, half emptied */
	CHECK_EQ(p_mkdir("/c/lots"), 0);
	CHECK_EQ(lookup_path("/c/lots", &tmp), 0);
	for (i = 0; i < 300; i++) {
		char nm[4096]; snprintf(nm, sizeof(nm), "a_fairly_long_file_name_number_%d", i);
		CHECK_EQ(ext2_create(&fs, tmp, nm, strlen(nm), 0644, 0, 0,
		    &ino), 0);
	}
	CHECK_EQ(ext2_stat(&fs, tmp, &st), 0);
	CHECK(st.size >= 3 * (uint64_t)bsize);
	for (i = 0; i < 300; i += 2) {
		char nm[4096]; snprintf(nm, sizeof(nm), "a_fairly_long_file_name_number_%d", i);
		CHECK_EQ(ext2_unlink(&fs, tmp, nm, strlen(nm)), 0);
	}

	/* errors */
	CHECK_EQ(p_create("/new.txt", 0644, &ino), -EEXIST);
	CHECK_EQ(p_create("/new.txt/x", 0644, &ino), -ENOTDIR);
	CHECK_EQ(lookup_path("/nothing", &ino), -ENOENT);
	memset(buf, 'n', 256);
	CHECK_EQ(ext2_create(&fs, EXT2_ROOT_INO, (char *)buf, 256, 0644, 0, 0,
	    &ino), -ENAMETOOLONG);
	CHECK_EQ(ext2_create(&fs, EXT2_ROOT_INO, "a/b", 3, 0644, 0, 0, &ino),
	    -EINVAL);
	CHECK_EQ(ext2_write(&fs, c, 0, "x", 1), -EISDIR);
	CHECK_EQ(ext2_read(&fs, c, 0, rd, 1), -EISDIR);
	CHECK_EQ(ext2_rmdir(&fs, c, ".", 1), -EINVAL);
	CHECK_EQ(ext2_rmdir(&fs, c, "..", 2), -ENOTEMPTY);
	CHECK_EQ(ext2_stat(&fs, 0, &st), -EINVAL);
	CHECK_EQ(ext2_stat(&fs, fs.sb.s_inodes_count + 1, &st), -EINVAL);
	CHECK_EQ(ext2_write(&fs, big2, fs.maxsize, "x", 1), -EFBIG);
	free(buf);
	free(rd);
	return true;
}

static bool
verify_with_debugfs(const char *img)
{
	char want[301];

	CHECK(debugfs_cat_equals(img, "/new.txt", ex.newtxt, 20000));
	CHECK(debugfs_cat_equals(img, "/big2", ex.big2, 300001));
	CHECK(debugfs_cat_equals(img, "/c/victim", (const uint8_t *)"hello", 5));
	CHECK_EQ(debugfs_field(img, "/c/b", "Links: "), 2);
	CHECK_EQ(debugfs_field(img, "/c", "Links: "), 4);	/* b, lots */
	CHECK_EQ(debugfs_field(img, "/new.txt", "User: "), 1234);
	CHECK_EQ(debugfs_field(img, "/new.txt", "Group: "), 100000);
	CHECK_EQ(debugfs_field(img, "/new.txt", "Mode: "), 0640);
	CHECK_EQ(debugfs_field(img, "/far", "Size: "), (long)(ex.far + 5000));
	CHECK(strstr(debugfs_stat(img, "/c/fast"),
	    "Fast link dest: \"short/target\"") != NULL);
	memset(want, 'x', 300);
	memcpy(want, "long/", 5);
	CHECK(debugfs_cat_equals(img, "/c/slow", (uint8_t *)want, 300));
	CHECK(strstr(debugfs_stat(img, "/a"), "not found") != NULL ||
	    debugfs_field(img, "/a", "Links: ") == -1);
	return true;
}

/* After a remount the library sees what it wrote. */
static bool
verify_after_remount(const char *img)
{
	static uint8_t rd[300001];
	struct ext2_stat st;
	uint32_t ino;

	CHECK_EQ(mount_image(img, 0), 0);
	CHECK_EQ(lookup_path("/big2", &ino), 0);
	CHECK_EQ(read_all(ino, rd, sizeof(rd)), 300001);
	CHECK(memcmp(rd, ex.big2, 300001) == 0);
	CHECK_EQ(lookup_path("/far", &ino), 0);
	CHECK_EQ(ext2_read(&fs, ino, ex.far, rd, 5000), 5000);
	CHECK(memcmp(rd, ex.fardata, 5000) == 0);
	/* free the GB-sized sparse file: every tree level goes */
	CHECK_EQ(p_unlink("/far"), 0);
	CHECK_EQ(p_unlink("/big2"), 0);
	CHECK_EQ(p_stat("/c/b", &st), 0);
	CHECK_EQ(st.nlink, 2);
	CHECK_EQ(unmount_image(), 0);
	return fsck_clean(img);
}

static bool
test_write(int bsize)
{
	char img[4096]; snprintf(img, sizeof(img), "%s/write%d.img", work, bsize);
	bool ok;

	CHECK(make_image(img, pathf("%s/src/dir1", work), bsize, "32M", ""));
	CHECK_EQ(mount_image(img, 0), 0);
	ok = do_write_sequence(bsize);
	CHECK_EQ(unmount_image(), 0);
	CHECK(ok);
	CHECK(fsck_clean(img));
	CHECK(verify_with_debugfs(img));
	return verify_after_remount(img);
}

static bool test_write_1024(void) { return test_write(1024); }
static bool test_write_2048(void) { return test_write(2048); }
static bool test_write_4096(void) { return test_write(4096); }

/* Revision 0 file systems are writable too (no file types in entries). */
static bool
test_write_rev0(void)
{
	char img[4096]; snprintf(img, sizeof(img), "%s/rev0w.img", work);
	uint32_t ino;

	CHECK(make_image(img, pathf("%s/src/dir1", work), 1024, "8M", "-r 0"));
	CHECK_EQ(mount_image(img, 0), 0);
	CHECK_EQ(p_mkdir("/newdir"), 0);
	CHECK_EQ(p_create("/newdir/f", 0644, &ino), 0);
	CHECK_EQ(ext2_write(&fs, ino, 0, "rev0", 4), 4);
	CHECK_EQ(p_rename("/newdir/f", "/g"), 0);
	CHECK_EQ(p_unlink("/hardlink"), 0);
	CHECK_EQ(unmount_image(), 0);
	CHECK(fsck_clean(img));
	return debugfs_cat_equals(img, "/g", (const uint8_t *)"rev0", 4);
}

/* getdents resumes where it stopped, even when the directory changes. */
static bool
test_getdents_cookie(void)
{
	static struct names nm;
	char img[4096]; snprintf(img, sizeof(img), "%s/getdents.img", work);
	uint64_t cookie = 0;
	uint32_t dir;
	char name[64];
	int i, calls = 0, error;
	bool removed[150] = { false };

	CHECK(make_image(img, pathf("%s/src", work), 1024, "24M", ""));
	CHECK_EQ(mount_image(img, 0), 0);
	CHECK_EQ(lookup_path("/many", &dir), 0);
	nm.n = 0;
	nm.limit = 7;
	do {
		nm.taken = 0;
		error = ext2_getdents(&fs, dir, &cookie, collect, &nm);
		CHECK_EQ(error, 0);
		/* after each call remove a few entries, seen or not */
		for (i = calls * 3; i < 150 && i < calls * 3 + 2; i++) {
			snprintf(name, sizeof(name),
			    "entry_with_a_longish_name_%03d", (i * 37) % 150);
			if (!removed[(i * 37) % 150]) {
				CHECK_EQ(ext2_unlink(&fs, dir, name,
				    strlen(name)), 0);
				removed[(i * 37) % 150] = true;
			}
		}
		calls++;
	} while (nm.taken > 0 && calls < 1000);
	CHECK(calls > 10);
	for (i = 0; i < 150; i++) {
		snprintf(name, sizeof(name), "entry_with_a_longish_name_%03d", i);
		if (!removed[i])
			CHECK_EQ(names_count(&nm, name), 1);
		else
			CHECK(names_count(&nm, name) <= 1);
	}
	CHECK_EQ(names_count(&nm, "."), 1);
	CHECK_EQ(names_count(&nm, ".."), 1);
	CHECK_EQ(unmount_image(), 0);
	return fsck_clean(img);
}

/* Directories indexed by e2fsck -D (htree) read as linear ones; changing
 * one drops the index flag, since the library does not keep the index. */
static bool
test_htree_directory(void)
{
	char src[4096]; snprintf(src, sizeof(src), "%s/hsrc", work);
	char img[4096]; snprintf(img, sizeof(img), "%s/htree.img", work);
	static struct names nm;
	char name[64];
	uint32_t dir, ino;
	int i;

	CHECK(run("rm -rf %s && mkdir -p %s/big", src, src) == 0);
	for (i = 0; i < 1500; i++)
		CHECK(write_host_file(pathf("%s/big/hashed_entry_%04d", src, i),
		    0, 0, 0644));
	CHECK(make_image(img, src, 1024, "8M", ""));
	CHECK(run("e2fsck -fyD %s >/dev/null 2>&1; true", img) == 0);
	CHECK_EQ(debugfs_field(img, "/big", "Flags: "), 0x1000);
	CHECK_EQ(mount_image(img, 0), 0);
	CHECK_EQ(lookup_path("/big", &dir), 0);
	for (i = 0; i < 1500; i++) {
		snprintf(name, sizeof(name), "hashed_entry_%04d", i);
		CHECK_EQ(ext2_lookup(&fs, dir, name, strlen(name), &ino), 0);
	}
	for (i = 0; i < 1500; i += 15) {
		snprintf(name, sizeof(name), "hashed_entry_%04d", i);
		CHECK_EQ(ext2_unlink(&fs, dir, name, strlen(name)), 0);
		snprintf(name, sizeof(name), "replacement_%04d", i);
		CHECK_EQ(ext2_create(&fs, dir, name, strlen(name), 0644, 0, 0,
		    &ino), 0);
	}
	CHECK_EQ(list_dir(dir, &nm, 1000), 0);
	CHECK_EQ(nm.n, 512);	/* the collector's capacity: more exist */
	CHECK_EQ(unmount_image(), 0);
	CHECK(fsck_clean(img));
	CHECK_EQ(debugfs_field(img, "/big", "Flags: "), 0);
	return debugfs_field(img, "/big/replacement_0015", "Links: ") == 1;
}

/* Filling a tiny file system: ENOSPC, a consistent image, and all space
 * back after removing what was written. */
static bool
test_enospc(void)
{
	char img[4096]; snprintf(img, sizeof(img), "%s/tiny.img", work);
	static uint8_t buf[8192], rd[8192];
	uint32_t fblocks, finodes, ino, dir;
	uint64_t off = 0;
	long n = 0;
	int i, files = 0, error = 0;

	CHECK(run("rm -f %s && mke2fs -q -F -t ext2 -b 1024 -N 32 %s 300 "
	    ">/dev/null 2>&1", img, img) == 0);
	CHECK_EQ(mount_image(img, 0), 0);
	fblocks = fs.sb.s_free_blocks_count;
	finodes = fs.sb.s_free_inodes_count;
	CHECK_EQ(p_mkdir("/d"), 0);
	CHECK_EQ(p_create("/d/fill", 0644, &ino), 0);
	pattern(buf, sizeof(buf), 5, 0);
	while ((n = ext2_write(&fs, ino, off, buf, 3000)) == 3000)
		off += n;
	CHECK(n >= 0 || n == -ENOSPC);
	if (n > 0)
		off += n;
	CHECK(off > 100 * 1024);
	CHECK_EQ(ext2_write(&fs, ino, off, buf, 3000), -ENOSPC);
	CHECK_EQ(ext2_read(&fs, ino, 0, rd, 3000), 3000);
	CHECK(memcmp(rd, buf, 3000) == 0);
	/* now inodes and directory blocks run out as well */
	CHECK_EQ(lookup_path("/d", &dir), 0);
	for (i = 0; i < 200; i++) {
		char nm[4096]; snprintf(nm, sizeof(nm), "a_long_name_to_fill_directory_blocks_%d", i);
		if ((error = ext2_create(&fs, dir, nm, strlen(nm), 0644, 0, 0,
		    &ino)) < 0)
			break;
		files++;
	}
	CHECK_EQ(error, -ENOSPC);
	CHECK_EQ(p_mkdir("/d2"), -ENOSPC);
	CHECK_EQ(ext2_sync(&fs), 0);
	CHECK(fsck_clean(img));
	for (i = 0; i < files; i++) {
		char nm[4096]; snprintf(nm, sizeof(nm), "a_long_name_to_fill_directory_blocks_%d", i);
		CHECK_EQ(ext2_unlink(&fs, dir, nm, strlen(nm)), 0);
	}
	CHECK_EQ(p_unlink("/d/fill"), 0);
	CHECK_EQ(p_rmdir("/d"), 0);
	CHECK_EQ(fs.sb.s_free_blocks_count, fblocks);
	CHECK_EQ(fs.sb.s_free_inodes_count, finodes);
	CHECK_EQ(unmount_image(), 0);
	return fsck_clean(img);
}

/* The block cache holds far fewer blocks than are written: evicting
 * dirty buffers must write them, and sync must leave a clean image. */
static bool
test_sync_without_unmount(void)
{
	char img[4096]; snprintf(img, sizeof(img), "%s/sync.img", work);
	static uint8_t buf[65536];
	uint32_t ino;
	int i;

	CHECK(make_image(img, pathf("%s/src/dir1", work), 4096, "16M", ""));
	CHECK_EQ(mount_image(img, 0), 0);
	CHECK_EQ(p_create("/synced", 0644, &ino), 0);
	for (i = 0; i < 64; i++) {
		pattern(buf, sizeof(buf), 6, (uint64_t)i * sizeof(buf));
		CHECK_EQ(ext2_write(&fs, ino, (uint64_t)i * sizeof(buf), buf,
		    sizeof(buf)), (long)sizeof(buf));
	}
	CHECK_EQ(ext2_sync(&fs), 0);
	/* checked while still mounted, as after a power cut following sync */
	CHECK(fsck_clean(img));
	capture((char *)buf, sizeof(buf), "dumpe2fs -h %s 2>/dev/null", img);
	CHECK(strstr((char *)buf, "state:         not clean") != NULL);
	CHECK_EQ(unmount_image(), 0);
	capture((char *)buf, sizeof(buf), "dumpe2fs -h %s 2>/dev/null", img);
	CHECK(strstr((char *)buf, "state:         clean") != NULL);
	return true;
}

/* ---- feature flags and corrupted images ---- */

static bool
image_rw(const char *img, uint64_t off, void *buf, size_t len, bool write)
{
	int fd = open(img, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return false;
	n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len;
}

static bool
super_patch(const char *img, void (*patch)(struct ext2_super *, void *),
    void *arg)
{
	struct ext2_super sb;

	if (!image_rw(img, 1024, &sb, sizeof(sb), false))
		return false;
	patch(&sb, arg);
	return image_rw(img, 1024, &sb, sizeof(sb), true);
}

static void set_ro_compat(struct ext2_super *sb, void *a)
{ sb->s_feature_ro_compat |= *(uint32_t *)a; }
static void set_incompat(struct ext2_super *sb, void *a)
{ sb->s_feature_incompat |= *(uint32_t *)a; }

static bool
test_feature_flags(void)
{
	char base[4096]; snprintf(base, sizeof(base), "%s/feat.img", work);
	char img[4096]; snprintf(img, sizeof(img), "%s/feat2.img", work);
	uint32_t bit, ino;
	struct ext2_stat st;
	uint8_t buf[16];

	CHECK(make_image(base, pathf("%s/src/dir1", work), 1024, "4M", ""));
	/* mke2fs's defaults (filetype, sparse_super, large_file, ext_attr,
	 * resize_inode, dir_index) are all fine for writing */
	CHECK_EQ(mount_image(base, 0), 0);
	CHECK_EQ(unmount_image(), 0);
	CHECK(run("cp %s %s", base, img) == 0);
	bit = 0x8000;
	CHECK(super_patch(img, set_ro_compat, &bit));
	CHECK_EQ(mount_image(img, 0), -EROFS);
	CHECK_EQ(mount_image(img, EXT2_MOUNT_RDONLY), 0);
	CHECK_EQ(lookup_path("/hardlink", &ino), 0);
	CHECK_EQ(ext2_read(&fs, ino, 0, buf, 16), 16);
	CHECK_EQ(ext2_write(&fs, ino, 0, buf, 16), -EROFS);
	CHECK_EQ(ext2_create(&fs, EXT2_ROOT_INO, "x", 1, 0644, 0, 0, &ino),
	    -EROFS);
	CHECK_EQ(ext2_stat(&fs, ino, &st), 0);
	CHECK_EQ(unmount_image(), 0);
	CHECK(run("cp %s %s", base, img) == 0);
	bit = 0x0004;	/* needs_recovery: a journal to replay */
	CHECK(super_patch(img, set_incompat, &bit));
	CHECK_EQ(mount_image(img, EXT2_MOUNT_RDONLY), -EINVAL);
	CHECK(run("cp %s %s", base, img) == 0);
	bit = 0x0040;	/* extents */
	CHECK(super_patch(img, set_incompat, &bit));
	CHECK_EQ(mount_image(img, 0), -EINVAL);
	return true;
}

/* What a corruption does and the error it must produce. */
struct corruption {
	const char *name;
	bool (*apply)(const char *img);
	int mount_error;	/* expected from mount, 0 if it mounts */
	const char *path;	/* then: this path... */
	int (*op)(const char *path);	/* ...with this op gives error */
	int op_error;
};

static struct {
	uint32_t file, dir, big, sub, link;
	uint32_t bsize;
} cinfo;

static void sb_magic(struct ext2_super *sb, void *a) { (void)a; sb->s_magic = 0x1234; }
static void sb_logbs(struct ext2_super *sb, void *a) { (void)a; sb->s_log_block_size = 20; }
static void sb_blocks(struct ext2_super *sb, void *a) { (void)a; sb->s_blocks_count = 0xfffffff0; }
static void sb_bpg0(struct ext2_super *sb, void *a) { (void)a; sb->s_blocks_per_group = 0; }
static void sb_ipg(struct ext2_super *sb, void *a) { (void)a; sb->s_inodes_per_group = 0xffffff; }
static void sb_isize(struct ext2_super *sb, void *a) { (void)a; sb->s_inode_size = 100; }
static void sb_firstino(struct ext2_super *sb, void *a) { (void)a; sb->s_first_ino = 0xffffff; }

#define SB_CASE(fn) static bool c_##fn(const char *img) { return super_patch(img, fn, NULL); }
SB_CASE(sb_magic)
SB_CASE(sb_logbs)
SB_CASE(sb_blocks)
SB_CASE(sb_bpg0)
SB_CASE(sb_ipg)
SB_CASE(sb_isize)
SB_CASE(sb_firstino)

static uint64_t
gd_offset(uint32_t g)
{
	return (uint64_t)(cinfo.bsize == 1024 ? 2 : 1) * cinfo.bsize + g * 32;
}

static bool
c_gd_itable(const char *img)
{
	uint32_t v = 0x7fffffff;

	return image_rw(img, gd_offset(0) + 8, &v, 4, true);
}

static bool
c_gd_bitmap(const char *img)
{
	uint32_t v = 1;	/* the superblock, outside group 0's bitmaps range */

	return image_rw(img, gd_offset(1) + 0, &v, 4, true);
}

/* Read or write the first 128 bytes of an inode in the image. */
static bool
raw_inode(const char *img, uint32_t ino, struct ext2_inode *d, bool write)
{
	struct ext2_group_desc gd;
	struct ext2_super sb;
	uint32_t g, idx;
	uint64_t off;

	if (!image_rw(img, 1024, &sb, sizeof(sb), false))
		return false;
	g = (ino - 1) / sb.s_inodes_per_group;
	idx = (ino - 1) % sb.s_inodes_per_group;
	if (!image_rw(img, gd_offset(g), &gd, sizeof(gd), false))
		return false;
	off = (uint64_t)gd.bg_inode_table * cinfo.bsize +
	    (uint64_t)idx * sb.s_inode_size;
	return image_rw(img, off, d, 128, write);
}

static bool
c_root_not_dir(const char *img)
{
	struct ext2_inode d;

	if (!raw_inode(img, EXT2_ROOT_INO, &d, false))
		return false;
	d.i_mode = EXT2_S_IFREG | 0644;
	return raw_inode(img, EXT2_ROOT_INO, &d, true);
}

/* Change the first directory entry after "." and ".." in dir cinfo.dir. */
static bool
patch_dirent(const char *img, void (*fn)(struct ext2_dirent *))
{
	struct ext2_inode d;
	uint8_t blk[4096];
	uint64_t off;

	if (!raw_inode(img, cinfo.dir, &d, false))
		return false;
	off = (uint64_t)d.i_block[0] * cinfo.bsize;
	if (!image_rw(img, off, blk, cinfo.bsize, false))
		return false;
	fn((struct ext2_dirent *)(blk + 24));
	return image_rw(img, off, blk, cinfo.bsize, true);
}

static void de_ino(struct ext2_dirent *de) { de->inode = 0x7ffffff0; }
static void de_reclen_big(struct ext2_dirent *de) { de->rec_len = 0xfff0; }
static void de_reclen_zero(struct ext2_dirent *de) { de->rec_len = 0; }
static void de_namelen(struct ext2_dirent *de) { de->name_len = 250; de->rec_len = 12; }
static bool c_de_ino(const char *img) { return patch_dirent(img, de_ino); }
static bool c_de_reclen_big(const char *img) { return patch_dirent(img, de_reclen_big); }
static bool c_de_reclen_zero(const char *img) { return patch_dirent(img, de_reclen_zero); }
static bool c_de_namelen(const char *img) { return patch_dirent(img, de_namelen); }

static bool
patch_inode(const char *img, uint32_t ino, void (*fn)(struct ext2_inode *))
{
	struct ext2_inode d;

	return raw_inode(img, ino, &d, false) && (fn(&d), true) &&
	    raw_inode(img, ino, &d, true);
}

static void i_direct_out(struct ext2_inode *d) { d->i_block[0] = 0x7fffffff; }
static void i_ind_out(struct ext2_inode *d) { d->i_block[EXT2_IND_BLOCK] = 0xfffffff0; }
static void i_dir_size(struct ext2_inode *d) { d->i_size = 0xfffffc00; }
static void i_dir_hole(struct ext2_inode *d) { d->i_block[0] = 0; }
static void i_link_size(struct ext2_inode *d) { d->i_size = 0x10000000; }
static bool c_i_link_size(const char *img) { return patch_inode(img, cinfo.link, i_link_size); }
static bool c_i_direct_out(const char *img) { return patch_inode(img, cinfo.file, i_direct_out); }
static bool c_i_ind_out(const char *img) { return patch_inode(img, cinfo.file, i_ind_out); }
static bool c_i_dir_size(const char *img) { return patch_inode(img, cinfo.dir, i_dir_size); }
static bool c_i_dir_hole(const char *img) { return patch_inode(img, cinfo.dir, i_dir_hole); }

/* Make an indirect block name itself: a loop in the block tree. */
static bool
patch_loop(const char *img, int which, int index)
{
	struct ext2_inode d;
	uint32_t self;

	if (!raw_inode(img, which == EXT2_IND_BLOCK ? cinfo.file : cinfo.big,
	    &d, false))
		return false;
	self = d.i_block[which];
	return image_rw(img, (uint64_t)self * cinfo.bsize + index * 4, &self,
	    4, true);
}

static bool c_ind_loop(const char *img) { return patch_loop(img, EXT2_IND_BLOCK, 3); }
static bool c_dind_loop(const char *img) { return patch_loop(img, EXT2_DIND_BLOCK, 0); }

/* Two files claiming the same block: freeing both must not free twice. */
static bool
c_shared_block(const char *img)
{
	struct ext2_inode a, b;

	if (!raw_inode(img, cinfo.file, &a, false) ||
	    !raw_inode(img, cinfo.big, &b, false))
		return false;
	b.i_block[0] = a.i_block[0];
	return raw_inode(img, cinfo.big, &b, true);
}

/* A subdirectory whose ".." names itself: rename's ancestor walk. */
static bool
c_dotdot_loop(const char *img)
{
	struct ext2_inode d;
	uint8_t blk[4096];
	uint64_t off;

	if (!raw_inode(img, cinfo.sub, &d, false))
		return false;
	off = (uint64_t)d.i_block[0] * cinfo.bsize;
	if (!image_rw(img, off, blk, cinfo.bsize, false))
		return false;
	((struct ext2_dirent *)(blk + 12))->inode = cinfo.sub;
	return image_rw(img, off, blk, cinfo.bsize, true);
}

static int
op_read(const char *path)
{
	static uint8_t buf[400000];
	uint32_t ino;
	int error = lookup_path(path, &ino);

	return error < 0 ? error : (int)read_all(ino, buf, sizeof(buf));
}

static int
op_readlink(const char *path)
{
	static char buf[1 << 20];
	uint32_t ino;
	int error = lookup_path(path, &ino);

	return error < 0 ? error : (int)ext2_readlink(&fs, ino, buf, sizeof(buf));
}

static int
op_lookup(const char *path)
{
	uint32_t ino;

	return lookup_path(path, &ino);
}

static int
op_list(const char *path)
{
	static struct names nm;
	uint32_t ino;
	int error = lookup_path(path, &ino);

	return error < 0 ? error : list_dir(ino, &nm, 1000);
}

static int
op_unlink_both(const char *path)
{
	int error = p_unlink(path);

	return error < 0 ? error : p_unlink("/big");
}

static int
op_rename_into(const char *path)
{
	return p_rename("/d", path);
}

static int
op_truncate(const char *path)
{
	uint32_t ino;
	int error = lookup_path(path, &ino);

	return error < 0 ? error : ext2_truncate(&fs, ino, 0);
}

static const struct corruption corruptions[] = {
	{ "bad_magic", c_sb_magic, -EINVAL, NULL, NULL, 0 },
	{ "absurd_block_size", c_sb_logbs, -EINVAL, NULL, NULL, 0 },
	{ "block_count_beyond_device", c_sb_blocks, -EUCLEAN, NULL, NULL, 0 },
	{ "zero_blocks_per_group", c_sb_bpg0, -EUCLEAN, NULL, NULL, 0 },
	{ "absurd_inodes_per_group", c_sb_ipg, -EUCLEAN, NULL, NULL, 0 },
	{ "bad_inode_size", c_sb_isize, -EUCLEAN, NULL, NULL, 0 },
	{ "first_inode_out_of_range", c_sb_firstino, -EUCLEAN, NULL, NULL, 0 },
	{ "inode_table_out_of_range", c_gd_itable, -EUCLEAN, NULL, NULL, 0 },
	{ "bitmap_outside_group", c_gd_bitmap, -EUCLEAN, NULL, NULL, 0 },
	{ "root_not_a_directory", c_root_not_dir, -EUCLEAN, NULL, NULL, 0 },
	{ "dirent_inode_out_of_range", c_de_ino, 0, "/d/x", op_lookup, -EUCLEAN },
	{ "dirent_reclen_past_block", c_de_reclen_big, 0, "/d", op_list, -EUCLEAN },
	{ "dirent_reclen_zero", c_de_reclen_zero, 0, "/d/x", op_lookup, -EUCLEAN },
	{ "dirent_name_past_record", c_de_namelen, 0, "/d/x", op_lookup, -EUCLEAN },
	{ "direct_pointer_out_of_range", c_i_direct_out, 0, "/f", op_read, -EUCLEAN },
	{ "fast_symlink_size_past_inode", c_i_link_size, 0, "/lnk", op_readlink, -EUCLEAN },
	{ "indirect_pointer_out_of_range", c_i_ind_out, 0, "/f", op_read, -EUCLEAN },
	{ "directory_size_beyond_blocks", c_i_dir_size, 0, "/d/x", op_lookup, -EUCLEAN },
	{ "directory_hole", c_i_dir_hole, 0, "/d/x", op_lookup, -EUCLEAN },
	{ "indirect_block_loop", c_ind_loop, 0, "/f", op_truncate, -EUCLEAN },
	{ "double_indirect_loop", c_dind_loop, 0, "/big", op_truncate, -EUCLEAN },
	{ "block_shared_by_two_files", c_shared_block, 0, "/f", op_unlink_both, -EUCLEAN },
	{ "dotdot_loop", c_dotdot_loop, 0, "/d/sub/deeper", op_rename_into, -EUCLEAN },
};

static bool
make_corruption_base(const char *base)
{
	char src[4096]; snprintf(src, sizeof(src), "%s/csrc", work);

	run("rm -rf %s && mkdir -p %s/d/sub/deeper", src, src);
	CHECK(write_host_file(pathf("%s/f", src), 30000, 11, 0644));
	CHECK(write_host_file(pathf("%s/d/x", src), 10, 12, 0644));
	CHECK(write_host_file(pathf("%s/big", src), 400000, 13, 0644));
	CHECK(symlink("d/x", pathf("%s/lnk", src)) == 0);
	cinfo.bsize = 1024;
	CHECK(make_image(base, src, 1024, "20M", ""));
	CHECK_EQ(mount_image(base, EXT2_MOUNT_RDONLY), 0);
	CHECK_EQ(lookup_path("/f", &cinfo.file), 0);
	CHECK_EQ(lookup_path("/d", &cinfo.dir), 0);
	CHECK_EQ(lookup_path("/big", &cinfo.big), 0);
	CHECK_EQ(lookup_path("/d/sub", &cinfo.sub), 0);
	CHECK_EQ(lookup_path("/lnk", &cinfo.link), 0);
	CHECK_EQ(unmount_image(), 0);
	return true;
}

static bool
run_corruption(const struct corruption *c, const char *base)
{
	char img[4096]; snprintf(img, sizeof(img), "%s/corrupt.img", work);
	int error;

	CHECK(run("cp %s %s", base, img) == 0);
	CHECK(c->apply(img));
	error = mount_image(img, 0);
	CHECK_EQ(error, c->mount_error);
	if (error < 0)
		return true;
	error = c->op(c->path);
	if (error != c->op_error)
		printf("# %s: operation gave %d\n", c->name, error);
	CHECK_EQ(error, c->op_error);
	/* the image is bad, but syncing and unmounting still work */
	CHECK_EQ(unmount_image(), 0);
	return true;
}

#define FUZZ_ROUNDS	1000

/* Random damage to metadata: anything may fail, nothing may crash. */
static bool
test_fuzz(void)
{
	char img[4096]; snprintf(img, sizeof(img), "%s/fuzz.img", work);
	char base[4096]; snprintf(base, sizeof(base), "%s/fuzzbase.img", work);
	static uint8_t orig[96 * 1024], cur[96 * 1024];
	static struct names nm;
	static uint8_t buf[65536];
	struct ext2_stat st;
	uint32_t ino, dir;
	size_t itable;
	uint32_t blk;
	int iter, i, mounted = 0, fd;

	/* few inodes: the directories and indirect blocks come early */
	CHECK(run("rm -f %s && mke2fs -q -F -t ext2 -b 1024 -N 64 -d %s/csrc "
	    "%s 2M >/dev/null 2>&1", base, work, base) == 0);
	fd = open(base, O_RDONLY);
	CHECK(fd >= 0 && read(fd, orig, sizeof(orig)) == sizeof(orig));
	close(fd);
	memcpy(&blk, orig + 2048 + 8, 4);	/* group 0's inode table */
	itable = (size_t)blk * 1024;
	CHECK(itable + 64 * 256 <= sizeof(orig));
	for (iter = 0; iter < FUZZ_ROUNDS; iter++) {
		CHECK(run("cp %s %s", base, img) == 0);
		memcpy(cur, orig, sizeof(cur));
		for (i = 0; i < 1 + (int)(rng() % 20); i++) {
			/* a third of the hits on superblock and descriptors,
			 * a third on the inode table, the rest anywhere */
			uint64_t r = rng() % 3;
			size_t at = r == 0 ? 1024 + rng() % 2048 :
			    r == 1 ? itable + rng() % (64 * 256) :
			    rng() % sizeof(cur);
			if (rng() % 4 == 0)
				cur[at] = 0xff;
			else
				cur[at] ^= 1u << (rng() % 8);
		}
		CHECK(image_rw(img, 0, cur, sizeof(cur), true));
		if (mount_image(img, 0) < 0)
			continue;
		mounted++;
		(void)list_dir(EXT2_ROOT_INO, &nm, 1000);
		for (i = 0; i < nm.n && i < 20; i++) {
			if (ext2_stat(&fs, nm.ino[i], &st) < 0)
				continue;
			(void)ext2_read(&fs, nm.ino[i], 0, buf, sizeof(buf));
			(void)ext2_readlink(&fs, nm.ino[i], (char *)buf, 4096);
		}
		(void)op_list("/d");
		(void)op_read("/big");
		if (ext2_create(&fs, EXT2_ROOT_INO, "new", 3, 0644, 0, 0,
		    &ino) == 0)
			(void)ext2_write(&fs, ino, 5000, buf, 20000);
		if (lookup_path("/d", &dir) == 0)
			(void)ext2_mkdir(&fs, dir, "nd", 2, 0755, 0, 0, &ino);
		(void)p_rename("/f", "/d/sub/f");
		(void)p_rename("/d/sub", "/moved");
		(void)op_truncate("/big");
		(void)p_unlink("/d/x");
		(void)p_unlink("/new");
		(void)p_rmdir("/moved/deeper");
		(void)ext2_sync(&fs);
		(void)unmount_image();
	}
	printf("# fuzz: %d of %d damaged images mounted\n", mounted,
	    FUZZ_ROUNDS);
	return mounted > 0;
}

/* ---- I/O errors from the device ---- */

static int fail_after = -1;

static int
flaky_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	if (fail_after == 0)
		return -EIO;
	if (fail_after > 0)
		fail_after--;
	return fd_write(ctx, sector, count, buf);
}

static bool
test_io_errors_reported(void)
{
	char img[4096]; snprintf(img, sizeof(img), "%s/ioerr.img", work);
	struct ext2_dev dev;
	struct stat hst;
	static uint8_t buf[1 << 20];
	uint32_t ino;
	long n;

	CHECK(make_image(img, pathf("%s/src/dir1", work), 1024, "8M", ""));
	fdev.fd = open(img, O_RDWR);
	CHECK(fdev.fd >= 0 && fstat(fdev.fd, &hst) == 0);
	dev.ctx = &fdev;
	dev.nsectors = hst.st_size / 512;
	dev.read = fd_read;
	dev.write = flaky_write;
	dev.now = NULL;
	fail_after = -1;
	CHECK_EQ(ext2_mount(&fs, &dev, 0), 0);
	CHECK_EQ(ext2_create(&fs, EXT2_ROOT_INO, "f", 1, 0644, 0, 0, &ino), 0);
	fail_after = 0;
	/* more than the cache holds: evicting dirty buffers fails */
	n = ext2_write(&fs, ino, 0, buf, sizeof(buf));
	CHECK(n == -EIO || (n > 0 && n < (long)sizeof(buf)));
	CHECK_EQ(ext2_sync(&fs), -EIO);
	fail_after = -1;
	CHECK_EQ(ext2_sync(&fs), 0);	/* the dirty buffers were kept */
	CHECK_EQ(ext2_unmount(&fs), 0);
	close(fdev.fd);
	fdev.fd = -1;
	return fsck_clean(img);
}

static void
report(const char *name, bool ok)
{
	printf("%s %s\n", ok ? "ok" : "not ok", name);
	fflush(stdout);
	if (!ok)
		failures++;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		bool (*fn)(void);
	} tests[] = {
		{ "ext2_read_tree_1k_blocks", test_read_1024 },
		{ "ext2_read_tree_2k_blocks", test_read_2048 },
		{ "ext2_read_tree_4k_blocks", test_read_4096 },
		{ "ext2_read_tree_revision0", test_read_rev0 },
		{ "ext2_write_sequence_1k_fsck_clean", test_write_1024 },
		{ "ext2_write_sequence_2k_fsck_clean", test_write_2048 },
		{ "ext2_write_sequence_4k_fsck_clean", test_write_4096 },
		{ "ext2_write_revision0_fsck_clean", test_write_rev0 },
		{ "ext2_getdents_cookie_resumes", test_getdents_cookie },
		{ "ext2_htree_directory_read_and_changed", test_htree_directory },
		{ "ext2_enospc_leaves_fs_consistent", test_enospc },
		{ "ext2_sync_writes_back_cache", test_sync_without_unmount },
		{ "ext2_feature_flags_respected", test_feature_flags },
		{ "ext2_io_errors_reported", test_io_errors_reported },
	};
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s workdir\n", argv[0]);
		return 2;
	}
	work = argv[1];
	alarm(600);	/* a hang is a failure too */
	if (run("rm -rf %s && mkdir -p %s", work, work) != 0 ||
	    !make_source_tree(pathf("%s/src", work))) {
		printf("not ok ext2_test_setup\n");
		return 1;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		report(tests[i].name, tests[i].fn());
	static char basebuf[4096];
	snprintf(basebuf, sizeof(basebuf), "%s/cbase.img", work);
	if (!make_corruption_base(basebuf)) {
		report("ext2_corruption_setup", false);
		return 1;
	}
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		char name[128];
		bool ok = run_corruption(&corruptions[i], basebuf);
		snprintf(name, sizeof(name), "ext2_corrupt_%s",
		    corruptions[i].name);
		report(name, ok);
	}
	report("ext2_fuzzed_images_never_crash", test_fuzz());
	return failures == 0 ? 0 : 1;
}
