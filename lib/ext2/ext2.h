/*
 * ext2: a freestanding, heap-free ext2 (revision 0 and 1) file-system core.
 *
 * The caller owns one `struct ext2_fs` (static storage: it holds the block
 * and inode caches) and a block device given as function pointers; in the
 * OS that device is IPC to the disk driver, in host tests a file.
 *
 * Files are named by inode number, as the VFS protocol does: the caller
 * looks a path up one component at a time with ext2_lookup(). Every call
 * returns 0 (or a byte count) on success and a negative Linux errno on
 * failure; a corrupted image yields -EUCLEAN, never an out-of-bounds access.
 *
 * Not thread-safe: the file server calls it from one loop.
 */
#ifndef BULKHEAD_EXT2_H
#define BULKHEAD_EXT2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ext2_disk.h"

/* Linux errno values (identical redefinitions are harmless in C). */
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define ENOMEM		12
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EFBIG		27
#define ENOSPC		28
#define EROFS		30
#define EMLINK		31
#define ENAMETOOLONG	36
#define ENOTEMPTY	39
#define ELOOP		40
#define EUCLEAN		117	/* structure needs cleaning: corrupted image */

/* File types and permission bits of i_mode (the POSIX values). */
#define EXT2_S_IFMT	0170000
#define EXT2_S_IFSOCK	0140000
#define EXT2_S_IFLNK	0120000
#define EXT2_S_IFREG	0100000
#define EXT2_S_IFBLK	0060000
#define EXT2_S_IFDIR	0040000
#define EXT2_S_IFCHR	0020000
#define EXT2_S_IFIFO	0010000
#define EXT2_S_ISDIR(m)	(((m) & EXT2_S_IFMT) == EXT2_S_IFDIR)
#define EXT2_S_ISREG(m)	(((m) & EXT2_S_IFMT) == EXT2_S_IFREG)
#define EXT2_S_ISLNK(m)	(((m) & EXT2_S_IFMT) == EXT2_S_IFLNK)

#define EXT2_ROOT_INO	2
#define EXT2_NAME_MAX	255
#define EXT2_LINK_MAX	32000
#define EXT2_MAX_BSIZE	4096

#ifndef EXT2_NBUF
#define EXT2_NBUF	32	/* block cache buffers */
#endif
#define EXT2_NHASH	256	/* block cache hash chains (a power of two) */
#ifndef EXT2_NINODE
#define EXT2_NINODE	64	/* in-memory inodes */
#endif

/* The block device: 512-byte sectors; calls return 0 or a negative errno. */
struct ext2_dev {
	void *ctx;
	uint64_t nsectors;	/* size of the device, 0 if unknown */
	int (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);
	int (*write)(void *ctx, uint64_t sector, uint32_t count,
	    const void *buf);
	uint32_t (*now)(void *ctx);	/* seconds since 1970; NULL gives 0 */
};

struct ext2_fs;

struct ext2_buf {
	uint32_t blk;
	uint16_t ref;
	bool valid;
	bool dirty;		/* change only through cache.c: fs->ndirty counts */
	bool hashed;		/* on the chain of blk */
	int32_t hnext;		/* next buffer on that chain, -1: none */
	uint32_t used;		/* LRU stamp */
	uint8_t *data;
	struct ext2_fs *fs;	/* the owner, for the dirty count */
};

struct ext2_ient {
	uint32_t ino;		/* 0: slot free */
	uint32_t ref;		/* holds by the library and by ext2_open() */
	uint32_t used;
	struct ext2_inode d;	/* copy of the on-disk inode */
};

struct ext2_fs {
	struct ext2_dev dev;
	bool mounted;
	bool rdonly;
	struct ext2_super sb;	/* in-memory superblock, written on sync */
	bool sb_dirty;
	uint32_t bsize;		/* block size in bytes */
	uint32_t ngroups;
	uint32_t nptr;		/* block pointers per indirect block */
	uint32_t isize;		/* on-disk inode size */
	uint32_t first_ino;	/* first inode a file may get */
	uint32_t gdt_blocks;	/* blocks of group descriptors */
	uint32_t itable_blocks;	/* blocks of inode table per group */
	uint64_t maxsize;	/* largest file size */
	uint32_t tick;
	uint32_t ndirty;	/* dirty buffers: nothing to write back when 0 */
	int32_t hash[EXT2_NHASH];	/* first buffer of each chain, -1: none */
	struct ext2_buf buf[EXT2_NBUF];
	struct ext2_ient inode[EXT2_NINODE];
	uint8_t bufdata[EXT2_NBUF][EXT2_MAX_BSIZE] __attribute__((aligned(64)));
};

struct ext2_stat {
	uint32_t ino;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint32_t rdev;		/* device number for character/block files */
	uint64_t size;
	uint64_t blocks;	/* 512-byte units allocated */
	uint32_t blksize;
	uint32_t atime;
	uint32_t mtime;
	uint32_t ctime;
};

/* Linux d_type values reported by ext2_getdents(). */
#define EXT2_DT_UNKNOWN	0
#define EXT2_DT_FIFO	1
#define EXT2_DT_CHR	2
#define EXT2_DT_DIR	4
#define EXT2_DT_BLK	6
#define EXT2_DT_REG	8
#define EXT2_DT_LNK	10
#define EXT2_DT_SOCK	12

/*
 * Called for each directory entry; `next` is the cookie that resumes after
 * this entry. Return 0 to continue, anything else to stop before the entry
 * (it will be returned again by the next call with the same cookie).
 */
typedef int (*ext2_filldir_t)(void *arg, uint32_t ino, uint8_t type,
    const char *name, size_t len, uint64_t next);

#define EXT2_MOUNT_RDONLY	0x1

int	ext2_mount(struct ext2_fs *, const struct ext2_dev *, int flags);
int	ext2_unmount(struct ext2_fs *);
int	ext2_sync(struct ext2_fs *);

int	ext2_lookup(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len, uint32_t *ino);
int	ext2_open(struct ext2_fs *, uint32_t ino);
int	ext2_close(struct ext2_fs *, uint32_t ino);
int	ext2_stat(struct ext2_fs *, uint32_t ino, struct ext2_stat *);
long	ext2_read(struct ext2_fs *, uint32_t ino, uint64_t off, void *buf,
	    size_t len);
long	ext2_write(struct ext2_fs *, uint32_t ino, uint64_t off,
	    const void *buf, size_t len);
int	ext2_truncate(struct ext2_fs *, uint32_t ino, uint64_t size);
long	ext2_readlink(struct ext2_fs *, uint32_t ino, char *buf, size_t len);
int	ext2_getdents(struct ext2_fs *, uint32_t dir, uint64_t *cookie,
	    ext2_filldir_t fill, void *arg);

int	ext2_chmod(struct ext2_fs *, uint32_t ino, uint32_t mode);
int	ext2_chown(struct ext2_fs *, uint32_t ino, uint32_t uid, uint32_t gid);
int	ext2_utimes(struct ext2_fs *, uint32_t ino, uint32_t atime,
	    uint32_t mtime);

int	ext2_mknod(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len, uint32_t mode, uint32_t rdev, uint32_t uid,
	    uint32_t gid, uint32_t *ino);
int	ext2_create(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len, uint32_t mode, uint32_t uid, uint32_t gid,
	    uint32_t *ino);
int	ext2_mkdir(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len, uint32_t mode, uint32_t uid, uint32_t gid,
	    uint32_t *ino);
int	ext2_symlink(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len, const char *target, size_t tlen, uint32_t uid,
	    uint32_t gid, uint32_t *ino);
int	ext2_link(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len, uint32_t ino);
int	ext2_unlink(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len);
int	ext2_rmdir(struct ext2_fs *, uint32_t dir, const char *name,
	    size_t len);
int	ext2_rename(struct ext2_fs *, uint32_t odir, const char *oname,
	    size_t olen, uint32_t ndir, const char *nname, size_t nlen);

#endif
