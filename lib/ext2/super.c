/*
 * Mounting: read and validate the superblock and group descriptors, so that
 * every later use of their fields stays inside the file system. Syncing and
 * unmounting write the caches and the superblock back.
 */
#include "ext2_impl.h"

#define DIV_ROUND_UP(a, b)	(((a) + (b) - 1) / (b))

uint32_t
fs_now(struct ext2_fs *fs)
{
	return fs->dev.now != NULL ? fs->dev.now(fs->dev.ctx) : 0;
}

bool
block_in_fs(const struct ext2_fs *fs, uint32_t blk)
{
	return blk >= fs->sb.s_first_data_block && blk < fs->sb.s_blocks_count;
}

static int
super_io(struct ext2_fs *fs, bool write)
{
	uint64_t sector = EXT2_SUPER_OFFSET / 512;
	uint32_t count = sizeof(fs->sb) / 512;

	if (write)
		return fs->dev.write(fs->dev.ctx, sector, count, &fs->sb);
	return fs->dev.read(fs->dev.ctx, sector, count, &fs->sb);
}

/* Check the geometry the superblock claims and derive the sizes we use. */
static int
super_check(struct ext2_fs *fs)
{
	const struct ext2_super *sb = &fs->sb;
	uint64_t addressable, ninodes, spb;

	if (sb->s_magic != EXT2_SUPER_MAGIC)
		return -EINVAL;
	if (sb->s_rev_level > EXT2_DYNAMIC_REV || sb->s_log_block_size > 2)
		return -EINVAL;
	fs->bsize = 1024u << sb->s_log_block_size;
	fs->nptr = fs->bsize / 4;
	if (sb->s_rev_level == EXT2_GOOD_OLD_REV) {
		fs->isize = EXT2_GOOD_OLD_INODE_SIZE;
		fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		if (sb->s_feature_incompat & ~EXT2_INCOMPAT_SUPPORTED)
			return -EINVAL;
		fs->isize = sb->s_inode_size;
		fs->first_ino = sb->s_first_ino;
	}
	if (fs->isize < EXT2_GOOD_OLD_INODE_SIZE || fs->isize > fs->bsize ||
	    (fs->isize & (fs->isize - 1)) != 0)
		return -EUCLEAN;
	if (sb->s_first_data_block != (fs->bsize == 1024 ? 1u : 0u))
		return -EUCLEAN;
	if (sb->s_blocks_per_group < 8 || sb->s_blocks_per_group % 8 != 0 ||
	    sb->s_blocks_per_group > 8 * fs->bsize)
		return -EUCLEAN;
	if (sb->s_inodes_per_group == 0 ||
	    sb->s_inodes_per_group > 8 * fs->bsize)
		return -EUCLEAN;
	if (sb->s_blocks_count <= sb->s_first_data_block)
		return -EUCLEAN;
	fs->ngroups = DIV_ROUND_UP(sb->s_blocks_count - sb->s_first_data_block,
	    sb->s_blocks_per_group);
	ninodes = (uint64_t)fs->ngroups * sb->s_inodes_per_group;
	if (ninodes != sb->s_inodes_count)
		return -EUCLEAN;
	if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > ninodes)
		return -EUCLEAN;
	fs->gdt_blocks = DIV_ROUND_UP(fs->ngroups, fs->bsize /
	    sizeof(struct ext2_group_desc));
	fs->itable_blocks = DIV_ROUND_UP(sb->s_inodes_per_group * fs->isize,
	    fs->bsize);
	if ((uint64_t)sb->s_first_data_block + 1 + fs->gdt_blocks >=
	    sb->s_blocks_count)
		return -EUCLEAN;
	spb = fs->bsize / 512;
	if (fs->dev.nsectors != 0 &&
	    (uint64_t)sb->s_blocks_count * spb > fs->dev.nsectors)
		return -EUCLEAN;
	if (sb->s_r_blocks_count > sb->s_blocks_count)
		return -EUCLEAN;

	/* Largest file: what the block tree addresses, capped so that
	 * i_blocks (32 bits of 512-byte units, metadata included) and the
	 * 32-bit logical block numbers cannot overflow. */
	addressable = EXT2_NDIR_BLOCKS + (uint64_t)fs->nptr +
	    (uint64_t)fs->nptr * fs->nptr +
	    (uint64_t)fs->nptr * fs->nptr * fs->nptr;
	if (addressable > 0xffffffffu)
		addressable = 0xffffffffu;
	fs->maxsize = addressable * fs->bsize;
	if (fs->maxsize > (1ull << 40))
		fs->maxsize = 1ull << 40;
	if (sb->s_rev_level == EXT2_GOOD_OLD_REV ||
	    !(sb->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE))
		fs->maxsize = 0x7fffffff;
	return 0;
}

int
group_get(struct ext2_fs *fs, uint32_t g, struct ext2_buf **bp,
    struct ext2_group_desc **gdp)
{
	uint32_t per = fs->bsize / sizeof(struct ext2_group_desc);
	int error;

	if (g >= fs->ngroups)
		return -EUCLEAN;
	error = buf_get(fs, fs->sb.s_first_data_block + 1 + g / per, bp);
	if (error < 0)
		return error;
	*gdp = (struct ext2_group_desc *)(*bp)->data + g % per;
	return 0;
}

/* Each group's bitmaps and inode table must lie inside the group (ext2
 * without flex_bg), and its counts must fit it; sum the free counts. */
static int
groups_check(struct ext2_fs *fs, uint64_t *fblocks, uint64_t *finodes)
{
	const struct ext2_super *sb = &fs->sb;
	struct ext2_group_desc *gd;
	struct ext2_buf *b;
	uint64_t start, end;
	uint32_t g;
	int error;

	*fblocks = *finodes = 0;
	for (g = 0; g < fs->ngroups; g++) {
		if ((error = group_get(fs, g, &b, &gd)) < 0)
			return error;
		start = sb->s_first_data_block +
		    (uint64_t)g * sb->s_blocks_per_group;
		end = start + sb->s_blocks_per_group;
		if (end > sb->s_blocks_count)
			end = sb->s_blocks_count;
		error = -EUCLEAN;
		if (gd->bg_block_bitmap < start || gd->bg_block_bitmap >= end ||
		    gd->bg_inode_bitmap < start || gd->bg_inode_bitmap >= end ||
		    gd->bg_inode_table < start ||
		    (uint64_t)gd->bg_inode_table + fs->itable_blocks > end ||
		    gd->bg_free_blocks_count > end - start ||
		    gd->bg_free_inodes_count > sb->s_inodes_per_group ||
		    gd->bg_used_dirs_count > sb->s_inodes_per_group) {
			buf_put(fs, b);
			return error;
		}
		*fblocks += gd->bg_free_blocks_count;
		*finodes += gd->bg_free_inodes_count;
		buf_put(fs, b);
	}
	return 0;
}

static int
super_write(struct ext2_fs *fs)
{
	int error;

	fs->sb.s_wtime = fs_now(fs);
	if ((error = super_io(fs, true)) < 0)
		return error;
	fs->sb_dirty = false;
	return 0;
}

int
ext2_mount(struct ext2_fs *fs, const struct ext2_dev *dev, int flags)
{
	struct ext2_ient *root;
	uint64_t fblocks, finodes;
	uint16_t state;
	int error;

	memset(fs, 0, offsetof(struct ext2_fs, bufdata));
	fs->dev = *dev;
	if (dev->read == NULL || (dev->write == NULL &&
	    !(flags & EXT2_MOUNT_RDONLY)))
		return -EINVAL;
	fs->rdonly = (flags & EXT2_MOUNT_RDONLY) != 0;
	buf_invalidate_all(fs);
	if ((error = super_io(fs, false)) < 0)
		return error;
	if ((error = super_check(fs)) < 0)
		return error;
	if (!fs->rdonly && fs->sb.s_rev_level == EXT2_DYNAMIC_REV &&
	    (fs->sb.s_feature_ro_compat & ~EXT2_RO_COMPAT_SUPPORTED))
		return -EROFS;
	if ((error = groups_check(fs, &fblocks, &finodes)) < 0)
		return error;
	if (fblocks > fs->sb.s_blocks_count || finodes > fs->sb.s_inodes_count)
		return -EUCLEAN;
	/* Like Linux, trust the group counts over the superblock's. */
	fs->sb.s_free_blocks_count = fblocks;
	fs->sb.s_free_inodes_count = finodes;
	fs->mounted = true;

	if ((error = inode_get(fs, EXT2_ROOT_INO, &root)) < 0)
		goto fail;
	error = EXT2_S_ISDIR(root->d.i_mode) ? 0 : -EUCLEAN;
	if (inode_put(fs, root) < 0 && error == 0)
		error = -EIO;
	if (error < 0)
		goto fail;

	if (!fs->rdonly) {
		/* Mark the file system in use: a crash leaves it not clean,
		 * so fsck checks it. Unmounting restores the flag. */
		fs->sb.s_mnt_count++;
		fs->sb.s_mtime = fs_now(fs);
		state = fs->sb.s_state;
		fs->sb.s_state &= ~EXT2_VALID_FS;
		error = super_write(fs);
		fs->sb.s_state = state;
		if (error < 0)
			goto fail;
	}
	return 0;
fail:
	fs->mounted = false;
	return error;
}

int
ext2_sync(struct ext2_fs *fs)
{
	uint16_t state;
	int error;

	if (!fs->mounted)
		return -EINVAL;
	if (fs->rdonly)
		return 0;
	if ((error = buf_flush(fs)) < 0)
		return error;
	if (!fs->sb_dirty)
		return 0;
	/* The copy in memory keeps the state found at mount, for unmount. */
	state = fs->sb.s_state;
	fs->sb.s_state &= ~EXT2_VALID_FS;
	error = super_write(fs);
	fs->sb.s_state = state;
	return error;
}

int
ext2_unmount(struct ext2_fs *fs)
{
	int error, i;

	if (!fs->mounted)
		return -EINVAL;
	for (i = 0; i < EXT2_NINODE; i++)
		if (fs->inode[i].ino != 0 && fs->inode[i].ref != 0)
			return -EBUSY;
	if (!fs->rdonly) {
		if ((error = buf_flush(fs)) < 0)
			return error;
		if ((error = super_write(fs)) < 0)
			return error;
	}
	fs->mounted = false;
	return 0;
}
