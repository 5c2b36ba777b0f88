/*
 * Directories: blocks of variable-length records (inode, rec_len,
 * name_len, file_type, name). Every record is checked before use, so a
 * hostile rec_len can neither leave the block nor stall the walk.
 */
#include "ext2_impl.h"

#define DIRENT_MIN	12	/* header plus a name padded to 4 bytes */

struct dir_slot {
	struct ext2_buf *b;	/* held block holding the record */
	uint32_t off;		/* record offset in the block */
	uint32_t prev;		/* previous record in the block, or NO_PREV */
};
#define NO_PREV		0xffffffffu

static const uint8_t ft_to_dtype[8] = {
	EXT2_DT_UNKNOWN, EXT2_DT_REG, EXT2_DT_DIR, EXT2_DT_CHR,
	EXT2_DT_BLK, EXT2_DT_FIFO, EXT2_DT_SOCK, EXT2_DT_LNK
};

static bool
has_filetype(const struct ext2_fs *fs)
{
	return fs->sb.s_rev_level == EXT2_DYNAMIC_REV &&
	    (fs->sb.s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
}

static uint8_t
mode_to_ft(const struct ext2_fs *fs, uint32_t mode)
{
	if (!has_filetype(fs))
		return EXT2_FT_UNKNOWN;
	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG:	return EXT2_FT_REG_FILE;
	case EXT2_S_IFDIR:	return EXT2_FT_DIR;
	case EXT2_S_IFCHR:	return EXT2_FT_CHRDEV;
	case EXT2_S_IFBLK:	return EXT2_FT_BLKDEV;
	case EXT2_S_IFIFO:	return EXT2_FT_FIFO;
	case EXT2_S_IFSOCK:	return EXT2_FT_SOCK;
	case EXT2_S_IFLNK:	return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

static struct ext2_dirent *
dirent_at(struct ext2_buf *b, uint32_t off)
{
	return (struct ext2_dirent *)(b->data + off);
}

/* Validate the record at `off`; return its rec_len or -EUCLEAN. */
static int
dirent_check(const struct ext2_fs *fs, struct ext2_buf *b, uint32_t off)
{
	const struct ext2_dirent *de;

	if (fs->bsize - off < DIRENT_MIN)
		return -EUCLEAN;
	de = dirent_at(b, off);
	if (de->rec_len < DIRENT_MIN || de->rec_len % 4 != 0 ||
	    de->rec_len > fs->bsize - off ||
	    EXT2_DIRENT_LEN(de->name_len) > de->rec_len)
		return -EUCLEAN;
	if (de->inode > fs->sb.s_inodes_count ||
	    (de->inode != 0 && de->name_len == 0))
		return -EUCLEAN;
	return de->rec_len;
}

/* Number of blocks of a directory, after checking its size is sane. */
static int
dir_nblocks(const struct ext2_fs *fs, const struct ext2_ient *dp,
    uint32_t *n)
{
	uint32_t size = dp->d.i_size;

	if (!EXT2_S_ISDIR(dp->d.i_mode))
		return -ENOTDIR;
	/* A size the allocated blocks cannot back would only make us walk
	 * the same blocks (or holes) for a very long time. */
	if (size % fs->bsize != 0 ||
	    size / fs->bsize > dp->d.i_blocks / (fs->bsize / 512))
		return -EUCLEAN;
	*n = size / fs->bsize;
	return 0;
}

/* Read logical block lblk of a directory; holes are corruption. */
static int
dir_block(struct ext2_fs *fs, struct ext2_ient *dp, uint32_t lblk,
    struct ext2_buf **bp)
{
	uint32_t blk;
	int error;

	if ((error = inode_bmap(fs, dp, lblk, false, &blk)) < 0)
		return error;
	if (blk == 0)
		return -EUCLEAN;
	return buf_get(fs, blk, bp);
}

/* Find `name`; on success s->b is held and must be put by the caller. */
static int
dir_search(struct ext2_fs *fs, struct ext2_ient *dp, const char *name,
    size_t len, struct dir_slot *s)
{
	struct ext2_dirent *de;
	uint32_t n, lblk, off, prev;
	int error, rl;

	if ((error = dir_nblocks(fs, dp, &n)) < 0)
		return error;
	for (lblk = 0; lblk < n; lblk++) {
		if ((error = dir_block(fs, dp, lblk, &s->b)) < 0)
			return error;
		prev = NO_PREV;
		for (off = 0; off < fs->bsize; off += rl) {
			if ((rl = dirent_check(fs, s->b, off)) < 0) {
				buf_put(fs, s->b);
				return rl;
			}
			de = dirent_at(s->b, off);
			if (de->inode != 0 && de->name_len == len &&
			    memcmp(de->name, name, len) == 0) {
				s->off = off;
				s->prev = prev;
				return 0;
			}
			prev = off;
		}
		buf_put(fs, s->b);
	}
	return -ENOENT;
}

/* A directory changed: update its times, and drop the htree index flag,
 * since this library does not maintain the hashed index. */
static int
dir_changed(struct ext2_fs *fs, struct ext2_ient *dp)
{
	dp->d.i_flags &= ~EXT2_INDEX_FL;
	inode_touch(fs, dp, false, true, true);
	return inode_write(fs, dp);
}

int
dir_find(struct ext2_fs *fs, struct ext2_ient *dp, const char *name,
    size_t len, uint32_t *ino)
{
	struct dir_slot s;
	int error;

	if ((error = dir_search(fs, dp, name, len, &s)) < 0)
		return error;
	*ino = dirent_at(s.b, s.off)->inode;
	buf_put(fs, s.b);
	return 0;
}

static void
dirent_fill(const struct ext2_fs *fs, struct ext2_dirent *de,
    const char *name, size_t len, uint32_t ino, uint32_t mode)
{
	de->inode = ino;
	de->name_len = (uint8_t)len;
	de->file_type = mode_to_ft(fs, mode);
	memcpy(de->name, name, len);
}

/* Add a record, in the first gap large enough or in a new block. */
int
dir_add(struct ext2_fs *fs, struct ext2_ient *dp, const char *name,
    size_t len, uint32_t ino, uint32_t mode)
{
	uint32_t need = EXT2_DIRENT_LEN(len), n, lblk, off, used, blk;
	struct ext2_dirent *de, *nde;
	struct ext2_buf *b;
	int error, rl;

	if ((error = dir_nblocks(fs, dp, &n)) < 0)
		return error;
	for (lblk = 0; lblk < n; lblk++) {
		if ((error = dir_block(fs, dp, lblk, &b)) < 0)
			return error;
		for (off = 0; off < fs->bsize; off += rl) {
			if ((rl = dirent_check(fs, b, off)) < 0) {
				buf_put(fs, b);
				return rl;
			}
			de = dirent_at(b, off);
			used = de->inode ? EXT2_DIRENT_LEN(de->name_len) : 0;
			if ((uint32_t)rl - used < need)
				continue;
			if (used != 0) {
				nde = dirent_at(b, off + used);
				nde->rec_len = rl - used;
				de->rec_len = used;
				de = nde;
			}
			dirent_fill(fs, de, name, len, ino, mode);
			buf_dirty(b);
			buf_put(fs, b);
			return dir_changed(fs, dp);
		}
		buf_put(fs, b);
	}

	/* No room: grow the directory by one block. */
	if ((uint64_t)(n + 1) * fs->bsize > 0xffffffffu)
		return -EFBIG;
	if ((error = inode_bmap(fs, dp, n, true, &blk)) < 0)
		return error;
	if ((error = buf_get(fs, blk, &b)) < 0)
		return error;
	de = dirent_at(b, 0);
	de->rec_len = fs->bsize;
	dirent_fill(fs, de, name, len, ino, mode);
	buf_dirty(b);
	buf_put(fs, b);
	dp->d.i_size += fs->bsize;
	return dir_changed(fs, dp);
}

/* Remove a record: the previous one absorbs its space, or, first in its
 * block, it stays as an empty record. */
int
dir_remove(struct ext2_fs *fs, struct ext2_ient *dp, const char *name,
    size_t len)
{
	struct ext2_dirent *de;
	struct dir_slot s;
	int error;

	if ((error = dir_search(fs, dp, name, len, &s)) < 0)
		return error;
	de = dirent_at(s.b, s.off);
	if (s.prev != NO_PREV)
		dirent_at(s.b, s.prev)->rec_len += de->rec_len;
	else
		de->inode = 0;
	buf_dirty(s.b);
	buf_put(fs, s.b);
	return dir_changed(fs, dp);
}

/* Point an existing record at another inode (rename over, fixing ".."). */
int
dir_retarget(struct ext2_fs *fs, struct ext2_ient *dp, const char *name,
    size_t len, uint32_t ino, uint32_t mode)
{
	struct ext2_dirent *de;
	struct dir_slot s;
	int error;

	if ((error = dir_search(fs, dp, name, len, &s)) < 0)
		return error;
	de = dirent_at(s.b, s.off);
	de->inode = ino;
	de->file_type = mode_to_ft(fs, mode);
	buf_dirty(s.b);
	buf_put(fs, s.b);
	return dir_changed(fs, dp);
}

/* 1 if the directory holds nothing but "." and "..", 0 if it does. */
int
dir_is_empty(struct ext2_fs *fs, struct ext2_ient *dp)
{
	struct ext2_dirent *de;
	struct ext2_buf *b;
	uint32_t n, lblk, off;
	int error, rl;

	if ((error = dir_nblocks(fs, dp, &n)) < 0)
		return error;
	for (lblk = 0; lblk < n; lblk++) {
		if ((error = dir_block(fs, dp, lblk, &b)) < 0)
			return error;
		for (off = 0; off < fs->bsize; off += rl) {
			if ((rl = dirent_check(fs, b, off)) < 0) {
				buf_put(fs, b);
				return rl;
			}
			de = dirent_at(b, off);
			if (de->inode == 0 || (de->name[0] == '.' &&
			    (de->name_len == 1 ||
			    (de->name_len == 2 && de->name[1] == '.'))))
				continue;
			buf_put(fs, b);
			return 0;
		}
		buf_put(fs, b);
	}
	return 1;
}

/* The first block of a new directory: "." and "..". */
int
dir_init(struct ext2_fs *fs, struct ext2_ient *dp, uint32_t parent)
{
	struct ext2_dirent *de;
	struct ext2_buf *b;
	uint32_t blk;
	int error;

	if ((error = inode_bmap(fs, dp, 0, true, &blk)) < 0)
		return error;
	if ((error = buf_get(fs, blk, &b)) < 0)
		return error;
	de = dirent_at(b, 0);
	de->rec_len = EXT2_DIRENT_LEN(1);
	dirent_fill(fs, de, ".", 1, dp->ino, EXT2_S_IFDIR);
	de = dirent_at(b, EXT2_DIRENT_LEN(1));
	de->rec_len = fs->bsize - EXT2_DIRENT_LEN(1);
	dirent_fill(fs, de, "..", 2, parent, EXT2_S_IFDIR);
	buf_dirty(b);
	buf_put(fs, b);
	dp->d.i_size = fs->bsize;
	return inode_write(fs, dp);
}

/*
 * Report entries from byte offset *cookie on. A cookie that no longer
 * falls on a record (the directory changed) resumes at the next record.
 */
int
dir_iterate(struct ext2_fs *fs, struct ext2_ient *dp, uint64_t *cookie,
    ext2_filldir_t fill, void *arg)
{
	struct ext2_dirent *de;
	struct ext2_buf *b;
	uint32_t n, lblk, off, start;
	uint64_t base;
	uint8_t type;
	int error, rl;

	if ((error = dir_nblocks(fs, dp, &n)) < 0)
		return error;
	for (lblk = *cookie / fs->bsize; lblk < n; lblk++) {
		base = (uint64_t)lblk * fs->bsize;
		start = *cookie > base ? (uint32_t)(*cookie - base) : 0;
		if ((error = dir_block(fs, dp, lblk, &b)) < 0)
			return error;
		for (off = 0; off < fs->bsize; off += rl) {
			if ((rl = dirent_check(fs, b, off)) < 0) {
				buf_put(fs, b);
				return rl;
			}
			de = dirent_at(b, off);
			if (off < start || de->inode == 0)
				continue;
			type = has_filetype(fs) && de->file_type < 8 ?
			    ft_to_dtype[de->file_type] : EXT2_DT_UNKNOWN;
			if (fill(arg, de->inode, type, de->name, de->name_len,
			    base + off + rl) != 0) {
				*cookie = base + off;
				buf_put(fs, b);
				return 0;
			}
		}
		buf_put(fs, b);
		*cookie = base + fs->bsize;
	}
	if (*cookie < (uint64_t)n * fs->bsize)
		*cookie = (uint64_t)n * fs->bsize;
	return 0;
}
