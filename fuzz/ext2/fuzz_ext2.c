/*
 * libFuzzer target: lib/ext2 on a fuzzed image held in memory. Mounts it
 * read-only, walks the tree from the root (getdents, lookup of every name,
 * stat, read of every regular file, readlink of every symlink), unmounts;
 * then mounts a private copy read-write and creates, writes, renames and
 * removes a file and a directory, and syncs. The library promises that a
 * corrupted image yields -EUCLEAN, never an out-of-bounds access: ASan and
 * UBSan check the promise, the device callbacks check every sector.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ext2.h"

struct img { uint8_t *data; size_t size; };

static int dev_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	struct img *m = ctx;
	uint64_t off = sector * 512, n = (uint64_t)count * 512;

	if (sector > (1ull << 40) || count > 64)
		abort();	/* the library asked for something absurd */
	memset(buf, 0, n);
	if (off < m->size)
		memcpy(buf, m->data + off, m->size - off < n ? m->size - off : n);
	return 0;
}

static int dev_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	struct img *m = ctx;
	uint64_t off = sector * 512, n = (uint64_t)count * 512;

	if (sector > (1ull << 40) || count > 64)
		abort();
	if (off >= m->size)
		return -EIO;
	memcpy(m->data + off, buf, m->size - off < n ? m->size - off : n);
	return 0;
}

static struct ext2_fs fs;
static int budget;

struct walk { uint32_t ino[64]; char name[64][EXT2_NAME_MAX + 1]; int n; };

static int fill(void *arg, uint32_t ino, uint8_t type, const char *name, size_t len, uint64_t next)
{
	struct walk *w = arg;

	(void)type, (void)next;
	if (w->n == 64 || len > EXT2_NAME_MAX)
		return 1;
	memcpy(w->name[w->n], name, len);	/* ASan checks the name is inside */
	w->name[w->n][len] = 0;
	w->ino[w->n++] = ino;
	return 0;
}

static void walk(uint32_t dir, int depth)
{
	static struct walk ws[6];
	static char buf[8192];
	struct walk *w;
	uint64_t cookie = 0;
	int i;

	if (depth >= 6 || --budget < 0)
		return;
	w = &ws[depth];
	w->n = 0;
	if (ext2_open(&fs, dir))
		return;
	ext2_getdents(&fs, dir, &cookie, fill, w);
	for (i = 0; i < w->n; i++) {
		struct ext2_stat st;
		uint32_t ino;
		size_t len = strlen(w->name[i]);
		if (!strcmp(w->name[i], ".") || !strcmp(w->name[i], ".."))
			continue;
		if (ext2_lookup(&fs, dir, w->name[i], len, &ino) || ext2_open(&fs, ino))
			continue;
		if (!ext2_stat(&fs, ino, &st)) {
			if (EXT2_S_ISDIR(st.mode))
				walk(ino, depth + 1);
			else if (EXT2_S_ISREG(st.mode)) {
				uint64_t off;
				for (off = 0; off < 65536; off += sizeof(buf))
					if (ext2_read(&fs, ino, off, buf, sizeof(buf)) <= 0)
						break;
			} else if (EXT2_S_ISLNK(st.mode))
				ext2_readlink(&fs, ino, buf, sizeof(buf));
		}
		ext2_close(&fs, ino);
	}
	ext2_close(&fs, dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img m = { malloc(size ? size : 1), size };
	struct ext2_dev dev = { &m, (size + 511) / 512, dev_read, dev_write, NULL };
	uint32_t ino, dino;
	static char buf[5000];

	memcpy(m.data, data, size);
	memset(&fs, 0, sizeof(fs));
	budget = 200;
	if (ext2_mount(&fs, &dev, EXT2_MOUNT_RDONLY) == 0) {
		walk(EXT2_ROOT_INO, 0);
		ext2_unmount(&fs);
	}
	memset(&fs, 0, sizeof(fs));
	if (ext2_mount(&fs, &dev, 0) == 0) {
		memset(buf, 'x', sizeof(buf));
		if (ext2_create(&fs, EXT2_ROOT_INO, "fz", 2, 0100644, 0, 0, &ino) == 0) {
			ext2_write(&fs, ino, 0, buf, sizeof(buf));
			ext2_write(&fs, ino, 70000, buf, 10);
			ext2_truncate(&fs, ino, 100);
			ext2_close(&fs, ino);
			ext2_rename(&fs, EXT2_ROOT_INO, "fz", 2, EXT2_ROOT_INO, "fy", 2);
			ext2_unlink(&fs, EXT2_ROOT_INO, "fy", 2);
		}
		if (ext2_mkdir(&fs, EXT2_ROOT_INO, "dz", 2, 040755, 0, 0, &dino) == 0) {
			ext2_close(&fs, dino);
			ext2_rmdir(&fs, EXT2_ROOT_INO, "dz", 2);
		}
		ext2_sync(&fs);
		ext2_unmount(&fs);
	}
	free(m.data);
	return 0;
}
