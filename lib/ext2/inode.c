/*
 * Inodes: a fixed table of in-memory copies with reference counts, the
 * mapping of a file's logical blocks through direct, indirect, double and
 * triple indirect pointers, and truncation. An inode whose last link and
 * last reference are gone is freed when its reference is put.
 */
#include "ext2_impl.h"

/* Where inode `ino` lives: its block and byte offset in that block. */
static int
inode_locate(struct ext2_fs *fs, uint32_t ino, uint32_t *blk, uint32_t *off)
{
	struct ext2_group_desc *gd;
	struct ext2_buf *b;
	uint32_t idx = (ino - 1) % fs->sb.s_inodes_per_group;
	uint64_t byte = (uint64_t)idx * fs->isize;
	int error;

	error = group_get(fs, (ino - 1) / fs->sb.s_inodes_per_group, &b, &gd);
	if (error < 0)
		return error;
	*blk = gd->bg_inode_table + byte / fs->bsize;
	*off = byte % fs->bsize;
	buf_put(fs, b);
	return 0;
}

static uint32_t
inode_copy_len(const struct ext2_fs *fs)
{
	return fs->isize < EXT2_INODE_CACHED_SIZE ? fs->isize :
	    EXT2_INODE_CACHED_SIZE;
}

/* A free slot, or the least recently used inode nobody holds. */
static struct ext2_ient *
inode_slot(struct ext2_fs *fs)
{
	struct ext2_ient *ip, *victim = NULL;
	int i;

	for (i = 0; i < EXT2_NINODE; i++) {
		ip = &fs->inode[i];
		if (ip->ref != 0)
			continue;
		if (ip->ino == 0)
			return ip;
		if (victim == NULL || ip->used < victim->used)
			victim = ip;
	}
	return victim;
}

static struct ext2_ient *
inode_cached(struct ext2_fs *fs, uint32_t ino)
{
	int i;

	for (i = 0; i < EXT2_NINODE; i++)
		if (fs->inode[i].ino == ino)
			return &fs->inode[i];
	return NULL;
}

int
inode_get(struct ext2_fs *fs, uint32_t ino, struct ext2_ient **ipp)
{
	struct ext2_ient *ip;
	struct ext2_buf *b;
	uint32_t blk, off;
	int error;

	if (ino == 0 || ino > fs->sb.s_inodes_count)
		return -EINVAL;
	if ((ip = inode_cached(fs, ino)) == NULL) {
		if ((ip = inode_slot(fs)) == NULL)
			return -ENFILE;
		ip->ino = 0;
		if ((error = inode_locate(fs, ino, &blk, &off)) < 0)
			return error;
		if ((error = buf_get(fs, blk, &b)) < 0)
			return error;
		memset(&ip->d, 0, sizeof(ip->d));
		memcpy(&ip->d, b->data + off, inode_copy_len(fs));
		buf_put(fs, b);
		if (ip->d.i_links_count == 0 || ip->d.i_mode == 0)
			return -ENOENT;	/* a free inode */
		if (fs->isize == EXT2_GOOD_OLD_INODE_SIZE ||
		    ip->d.i_extra_isize > fs->isize - EXT2_GOOD_OLD_INODE_SIZE)
			ip->d.i_extra_isize = 0;
		ip->ino = ino;
	}
	ip->ref++;
	ip->used = ++fs->tick;
	*ipp = ip;
	return 0;
}

/* Claim a cache slot for a just allocated inode and clear it on disk. */
int
inode_init(struct ext2_fs *fs, uint32_t ino, struct ext2_ient **ipp)
{
	struct ext2_ient *ip;
	struct ext2_buf *b;
	uint32_t blk, off;
	int error;

	if (inode_cached(fs, ino) != NULL)
		return -EUCLEAN;	/* allocated while still in use */
	if ((ip = inode_slot(fs)) == NULL)
		return -ENFILE;
	ip->ino = 0;
	if ((error = inode_locate(fs, ino, &blk, &off)) < 0)
		return error;
	if ((error = buf_get(fs, blk, &b)) < 0)
		return error;
	memset(b->data + off, 0, fs->isize);
	buf_dirty(b);
	buf_put(fs, b);
	memset(&ip->d, 0, sizeof(ip->d));
	if (fs->isize > EXT2_GOOD_OLD_INODE_SIZE)
		ip->d.i_extra_isize = inode_copy_len(fs) -
		    EXT2_GOOD_OLD_INODE_SIZE;
	ip->ino = ino;
	ip->ref = 1;
	ip->used = ++fs->tick;
	*ipp = ip;
	return 0;
}

/* Copy the inode into its block buffer; the cache writes it later. */
int
inode_write(struct ext2_fs *fs, struct ext2_ient *ip)
{
	struct ext2_buf *b;
	uint32_t blk, off;
	int error;

	if ((error = inode_locate(fs, ip->ino, &blk, &off)) < 0)
		return error;
	if ((error = buf_get(fs, blk, &b)) < 0)
		return error;
	memcpy(b->data + off, &ip->d, inode_copy_len(fs));
	buf_dirty(b);
	buf_put(fs, b);
	return 0;
}

/* Time fields: writing the 32-bit seconds also clears the extra word
 * (nanoseconds and epoch bits) when the inode has one. */
static void
inode_set_time(struct ext2_ient *ip, uint32_t *sec, uint32_t *extra,
    uint32_t t)
{
	uint32_t end = (uint32_t)((uint8_t *)(extra + 1) - (uint8_t *)&ip->d);

	*sec = t;
	if ((uint32_t)ip->d.i_extra_isize + EXT2_GOOD_OLD_INODE_SIZE >= end)
		*extra = 0;
}

void
inode_touch(struct ext2_fs *fs, struct ext2_ient *ip, bool a, bool m, bool c)
{
	uint32_t now = fs_now(fs);

	if (a)
		inode_set_time(ip, &ip->d.i_atime, &ip->d.i_atime_extra, now);
	if (m)
		inode_set_time(ip, &ip->d.i_mtime, &ip->d.i_mtime_extra, now);
	if (c)
		inode_set_time(ip, &ip->d.i_ctime, &ip->d.i_ctime_extra, now);
}

void
inode_set_times(struct ext2_ient *ip, uint32_t atime, uint32_t mtime)
{
	inode_set_time(ip, &ip->d.i_atime, &ip->d.i_atime_extra, atime);
	inode_set_time(ip, &ip->d.i_mtime, &ip->d.i_mtime_extra, mtime);
}

uint64_t
inode_size(const struct ext2_fs *fs, const struct ext2_ient *ip)
{
	uint64_t size = ip->d.i_size;

	if (EXT2_S_ISREG(ip->d.i_mode) &&
	    fs->sb.s_rev_level == EXT2_DYNAMIC_REV)
		size |= (uint64_t)ip->d.i_size_high << 32;
	return size;
}

void
inode_set_size(struct ext2_fs *fs, struct ext2_ient *ip, uint64_t size)
{
	ip->d.i_size = (uint32_t)size;
	if (EXT2_S_ISREG(ip->d.i_mode) &&
	    fs->sb.s_rev_level == EXT2_DYNAMIC_REV)
		ip->d.i_size_high = (uint32_t)(size >> 32);
}

int
inode_add_blocks(struct ext2_fs *fs, struct ext2_ient *ip, int n)
{
	uint32_t per = fs->bsize / 512;

	if (n < 0 && ip->d.i_blocks < per * (uint32_t)-n)
		return -EUCLEAN;
	ip->d.i_blocks += n * (int32_t)per;
	return 0;
}

/* Fast symlinks keep the target in i_block; device files keep a device
 * number there. Only the other types have a tree of block pointers. A
 * symlink is fast when it owns no block but its attribute block (the rule
 * Linux uses; old tools made slow symlinks of short targets too). */
bool
inode_has_blocks(const struct ext2_fs *fs, const struct ext2_ient *ip)
{
	uint32_t fmt = ip->d.i_mode & EXT2_S_IFMT;
	uint32_t ea = ip->d.i_file_acl != 0 ? fs->bsize / 512 : 0;

	if (fmt == EXT2_S_IFLNK)
		return ip->d.i_blocks > ea;
	return fmt == EXT2_S_IFREG || fmt == EXT2_S_IFDIR;
}

/* Allocate a block for ip near `goal`, clear it, and store it in *slot. */
static int
bmap_alloc(struct ext2_fs *fs, struct ext2_ient *ip, uint32_t goal,
    uint32_t *slot)
{
	struct ext2_buf *b;
	uint32_t blk;
	int error;

	if (fs->rdonly)
		return -EROFS;
	if ((error = block_alloc(fs, goal, &blk)) < 0)
		return error;
	if ((error = buf_get_zero(fs, blk, &b)) < 0) {
		(void)block_free(fs, blk);
		return error;
	}
	buf_put(fs, b);
	*slot = blk;
	return inode_add_blocks(fs, ip, 1);
}

/*
 * Map logical block lblk of ip to a disk block in *pblk: 0 for a hole,
 * unless `alloc` asks to fill the hole (and the indirect blocks above it).
 */
int
inode_bmap(struct ext2_fs *fs, struct ext2_ient *ip, uint32_t lblk,
    bool alloc, uint32_t *pblk)
{
	uint64_t n = fs->nptr, rel = lblk;
	uint32_t idx[3], *slot, blk, goal;
	struct ext2_buf *b;
	int depth, level, error = 0;
	bool grew = false;

	if (rel < EXT2_NDIR_BLOCKS) {
		depth = 0;
		slot = &ip->d.i_block[rel];
	} else if ((rel -= EXT2_NDIR_BLOCKS) < n) {
		depth = 1;
		slot = &ip->d.i_block[EXT2_IND_BLOCK];
	} else if ((rel -= n) < n * n) {
		depth = 2;
		slot = &ip->d.i_block[EXT2_DIND_BLOCK];
	} else if ((rel -= n * n) < n * n * n) {
		depth = 3;
		slot = &ip->d.i_block[EXT2_TIND_BLOCK];
	} else {
		return -EFBIG;
	}
	for (level = depth - 1; level >= 0; level--) {
		idx[level] = rel % n;
		rel /= n;
	}

	goal = fs->sb.s_first_data_block + ((ip->ino - 1) /
	    fs->sb.s_inodes_per_group) * fs->sb.s_blocks_per_group;
	if (lblk > 0 && lblk < EXT2_NDIR_BLOCKS && ip->d.i_block[lblk - 1])
		goal = ip->d.i_block[lblk - 1] + 1;
	blk = *slot;
	if (blk == 0) {
		if (!alloc) {
			*pblk = 0;
			return 0;
		}
		if ((error = bmap_alloc(fs, ip, goal, slot)) < 0)
			return error;
		blk = *slot;
		grew = true;
	}
	for (level = 0; level < depth && blk != 0; level++) {
		if (!block_in_fs(fs, blk)) {
			error = -EUCLEAN;
			goto out;
		}
		if ((error = buf_get(fs, blk, &b)) < 0)
			goto out;
		slot = (uint32_t *)b->data + idx[level];
		if (*slot == 0 && alloc) {
			error = bmap_alloc(fs, ip, blk + 1, slot);
			if (error == 0)
				buf_dirty(b);
			grew = true;
		}
		blk = *slot;
		buf_put(fs, b);
		if (error < 0)
			goto out;
	}
	if (blk != 0 && !block_in_fs(fs, blk))
		error = -EUCLEAN;
	*pblk = blk;
out:
	if (grew) {
		int werror = inode_write(fs, ip);
		if (error == 0)
			error = werror;
	}
	return error;
}

/*
 * Free the blocks at or past logical block `from` in the tree under *slot,
 * which has `depth` levels of indirection and starts at logical block
 * `base`; the pointer block itself goes when nothing under it is left.
 * The depth bounds the recursion whatever the pointers say, and a block
 * named twice is caught by block_free() finding its bit already clear.
 */
static int
trunc_tree(struct ext2_fs *fs, struct ext2_ient *ip, uint32_t *slot,
    int depth, uint64_t base, uint64_t from)
{
	uint64_t span = 1, child;
	struct ext2_buf *b;
	uint32_t i;
	int d, error;

	for (d = 0; d < depth; d++)
		span *= fs->nptr;
	if (*slot == 0 || base + span <= from)
		return 0;
	if (depth > 0) {
		if (!block_in_fs(fs, *slot))
			return -EUCLEAN;
		if ((error = buf_get(fs, *slot, &b)) < 0)
			return error;
		child = span / fs->nptr;
		i = from > base ? (from - base) / child : 0;
		for (; i < fs->nptr; i++) {
			uint32_t *e = (uint32_t *)b->data + i;
			if (*e == 0)
				continue;
			error = trunc_tree(fs, ip, e, depth - 1,
			    base + i * child, from);
			buf_dirty(b);
			if (error < 0) {
				buf_put(fs, b);
				return error;
			}
		}
		buf_put(fs, b);
	}
	if (from > base)
		return 0;
	if ((error = block_free(fs, *slot)) < 0)
		return error;
	*slot = 0;
	return inode_add_blocks(fs, ip, -1);
}

/* Zero the bytes of the block holding `size` that lie past it, so that a
 * later extension reads zeros there. */
static int
zero_tail(struct ext2_fs *fs, struct ext2_ient *ip, uint64_t size)
{
	uint32_t off = size % fs->bsize, blk;
	struct ext2_buf *b;
	int error;

	if (off == 0)
		return 0;
	error = inode_bmap(fs, ip, (uint32_t)(size / fs->bsize), false, &blk);
	if (error < 0 || blk == 0)
		return error;
	if ((error = buf_get(fs, blk, &b)) < 0)
		return error;
	memset(b->data + off, 0, fs->bsize - off);
	buf_dirty(b);
	buf_put(fs, b);
	return 0;
}

int
inode_truncate(struct ext2_fs *fs, struct ext2_ient *ip, uint64_t size)
{
	uint64_t n = fs->nptr, from, base;
	int error = 0, i;

	if (size > fs->maxsize)
		return -EFBIG;
	if (!inode_has_blocks(fs, ip))
		return -EINVAL;
	if (size < inode_size(fs, ip)) {
		if ((error = zero_tail(fs, ip, size)) < 0)
			return error;
		from = (size + fs->bsize - 1) / fs->bsize;
		for (i = 0; i < EXT2_NDIR_BLOCKS && error == 0; i++)
			error = trunc_tree(fs, ip, &ip->d.i_block[i], 0, i,
			    from);
		base = EXT2_NDIR_BLOCKS;
		if (error == 0)
			error = trunc_tree(fs, ip,
			    &ip->d.i_block[EXT2_IND_BLOCK], 1, base, from);
		base += n;
		if (error == 0)
			error = trunc_tree(fs, ip,
			    &ip->d.i_block[EXT2_DIND_BLOCK], 2, base, from);
		base += n * n;
		if (error == 0)
			error = trunc_tree(fs, ip,
			    &ip->d.i_block[EXT2_TIND_BLOCK], 3, base, from);
		if (error < 0) {
			(void)inode_write(fs, ip);
			return error;
		}
	}
	inode_set_size(fs, ip, size);
	return inode_write(fs, ip);
}

/* Drop the inode's reference to its extended attribute block. */
static int
xattr_drop(struct ext2_fs *fs, struct ext2_ient *ip)
{
	struct ext2_xattr_header *h;
	struct ext2_buf *b;
	uint32_t blk = ip->d.i_file_acl;
	bool last;
	int error;

	if (blk == 0)
		return 0;
	if (!block_in_fs(fs, blk))
		return -EUCLEAN;
	if ((error = buf_get(fs, blk, &b)) < 0)
		return error;
	h = (struct ext2_xattr_header *)b->data;
	if (h->h_magic != EXT2_XATTR_MAGIC || h->h_refcount == 0) {
		buf_put(fs, b);
		return -EUCLEAN;
	}
	last = --h->h_refcount == 0;
	buf_dirty(b);
	buf_put(fs, b);
	if (last && (error = block_free(fs, blk)) < 0)
		return error;
	ip->d.i_file_acl = 0;
	return inode_add_blocks(fs, ip, -1);
}

/* The last link and reference are gone: give back blocks and inode. */
static int
inode_release(struct ext2_fs *fs, struct ext2_ient *ip)
{
	bool isdir = EXT2_S_ISDIR(ip->d.i_mode);
	int error = 0;

	if (inode_has_blocks(fs, ip))
		error = inode_truncate(fs, ip, 0);
	if (error == 0)
		error = xattr_drop(fs, ip);
	if (error == 0) {
		ip->d.i_dtime = fs_now(fs);
		error = inode_write(fs, ip);
	}
	if (error == 0)
		error = inode_free(fs, ip->ino, isdir);
	return error;
}

int
inode_put(struct ext2_fs *fs, struct ext2_ient *ip)
{
	int error = 0;

	if (ip == NULL || ip->ref == 0)
		return 0;
	if (--ip->ref == 0 && ip->d.i_links_count == 0) {
		if (!fs->rdonly)
			error = inode_release(fs, ip);
		ip->ino = 0;
	}
	return error;
}
