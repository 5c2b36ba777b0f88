/*
 * Block and inode allocation. A bit in a group's bitmap, the group's free
 * count and the superblock's free count always change together, so the
 * three stay consistent for e2fsck.
 */
#include "ext2_impl.h"

#define NO_BIT	0xffffffffu

/* Number of blocks in group g: the last group may be short. */
static uint32_t
group_nblocks(const struct ext2_fs *fs, uint32_t g)
{
	uint32_t first = fs->sb.s_first_data_block +
	    g * fs->sb.s_blocks_per_group;
	uint32_t left = fs->sb.s_blocks_count - first;

	return left < fs->sb.s_blocks_per_group ? left :
	    fs->sb.s_blocks_per_group;
}

static bool
bit_test(const uint8_t *map, uint32_t i)
{
	return (map[i / 8] >> (i % 8)) & 1;
}

/* First clear bit in [from, hi), then in [lo, from); NO_BIT if none. */
static uint32_t
bitmap_find(const uint8_t *map, uint32_t lo, uint32_t hi, uint32_t from)
{
	uint32_t i, pass, a, b;

	if (from < lo || from >= hi)
		from = lo;
	for (pass = 0; pass < 2; pass++) {
		a = pass == 0 ? from : lo;
		b = pass == 0 ? hi : from;
		for (i = a; i < b; i++) {
			if (i % 8 == 0 && i + 8 <= b && map[i / 8] == 0xff) {
				i += 7;
				continue;
			}
			if (!bit_test(map, i))
				return i;
		}
	}
	return NO_BIT;
}

/* Is blk one of its group's bitmaps or inode table blocks? */
static bool
block_is_meta(const struct ext2_group_desc *gd, const struct ext2_fs *fs,
    uint32_t blk)
{
	return blk == gd->bg_block_bitmap || blk == gd->bg_inode_bitmap ||
	    (blk >= gd->bg_inode_table &&
	    blk - gd->bg_inode_table < fs->itable_blocks);
}

/* Take a free block (isinode false) or inode in group g, near `from`. */
static int
group_claim(struct ext2_fs *fs, uint32_t g, bool isinode, bool isdir,
    uint32_t from, uint32_t *bit)
{
	struct ext2_group_desc *gd;
	struct ext2_buf *gb, *mb;
	uint32_t lo = 0, hi, i;
	int error;

	if ((error = group_get(fs, g, &gb, &gd)) < 0)
		return error;
	error = -ENOSPC;
	if ((isinode ? gd->bg_free_inodes_count : gd->bg_free_blocks_count) == 0)
		goto out;
	hi = isinode ? fs->sb.s_inodes_per_group : group_nblocks(fs, g);
	/* Reserved inodes (below s_first_ino) are never given out. */
	if (isinode && fs->first_ino - 1 > (uint64_t)g * hi)
		lo = fs->first_ino - 1 - g * hi;
	if (lo >= hi)
		goto out;
	error = buf_get(fs, isinode ? gd->bg_inode_bitmap : gd->bg_block_bitmap,
	    &mb);
	if (error < 0)
		goto out;
	i = bitmap_find(mb->data, lo, hi, from);
	if (i == NO_BIT) {
		error = -ENOSPC;	/* the free count lied */
	} else if (!isinode && block_is_meta(gd, fs,
	    fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group + i)) {
		error = -EUCLEAN;
	} else {
		mb->data[i / 8] |= 1 << (i % 8);
		buf_dirty(mb);
		if (isinode) {
			gd->bg_free_inodes_count--;
			fs->sb.s_free_inodes_count--;
			if (isdir)
				gd->bg_used_dirs_count++;
		} else {
			gd->bg_free_blocks_count--;
			fs->sb.s_free_blocks_count--;
		}
		buf_dirty(gb);
		fs->sb_dirty = true;
		*bit = i;
		error = 0;
	}
	buf_put(fs, mb);
out:
	buf_put(fs, gb);
	return error;
}

/* Give back bit `i` of group g. A bit already clear means the image
 * claims one block (or inode) twice: report it instead of freeing it. */
static int
group_release(struct ext2_fs *fs, uint32_t g, bool isinode, bool isdir,
    uint32_t i)
{
	struct ext2_group_desc *gd;
	struct ext2_buf *gb, *mb;
	uint32_t blk;
	int error;

	if ((error = group_get(fs, g, &gb, &gd)) < 0)
		return error;
	blk = fs->sb.s_first_data_block + g * fs->sb.s_blocks_per_group + i;
	if (!isinode && block_is_meta(gd, fs, blk)) {
		buf_put(fs, gb);
		return -EUCLEAN;
	}
	error = buf_get(fs, isinode ? gd->bg_inode_bitmap : gd->bg_block_bitmap,
	    &mb);
	if (error < 0) {
		buf_put(fs, gb);
		return error;
	}
	if (!bit_test(mb->data, i)) {
		error = -EUCLEAN;
	} else {
		mb->data[i / 8] &= ~(1 << (i % 8));
		buf_dirty(mb);
		if (isinode) {
			gd->bg_free_inodes_count++;
			fs->sb.s_free_inodes_count++;
			if (isdir && gd->bg_used_dirs_count > 0)
				gd->bg_used_dirs_count--;
		} else {
			gd->bg_free_blocks_count++;
			fs->sb.s_free_blocks_count++;
		}
		buf_dirty(gb);
		fs->sb_dirty = true;
	}
	buf_put(fs, mb);
	buf_put(fs, gb);
	return error;
}

/* Allocate a block, preferring `goal` and what follows it. */
int
block_alloc(struct ext2_fs *fs, uint32_t goal, uint32_t *blk)
{
	uint32_t bpg = fs->sb.s_blocks_per_group, g0, g, n, bit;
	int error;

	if (fs->sb.s_free_blocks_count == 0)
		return -ENOSPC;
	if (!block_in_fs(fs, goal))
		goal = fs->sb.s_first_data_block;
	g0 = (goal - fs->sb.s_first_data_block) / bpg;
	for (n = 0; n < fs->ngroups; n++) {
		g = (g0 + n) % fs->ngroups;
		error = group_claim(fs, g, false, false,
		    n == 0 ? (goal - fs->sb.s_first_data_block) % bpg : 0, &bit);
		if (error == 0) {
			*blk = fs->sb.s_first_data_block + g * bpg + bit;
			return 0;
		}
		if (error != -ENOSPC)
			return error;
	}
	return -ENOSPC;
}

int
block_free(struct ext2_fs *fs, uint32_t blk)
{
	uint32_t rel;

	if (!block_in_fs(fs, blk))
		return -EUCLEAN;
	rel = blk - fs->sb.s_first_data_block;
	return group_release(fs, rel / fs->sb.s_blocks_per_group, false, false,
	    rel % fs->sb.s_blocks_per_group);
}

/* Directories go to the group with the most free blocks, to spread them;
 * files stay in their parent's group when they can. */
static uint32_t
inode_pick_group(struct ext2_fs *fs, uint32_t parent, bool isdir)
{
	struct ext2_group_desc *gd;
	struct ext2_buf *b;
	uint32_t g, best = (parent - 1) / fs->sb.s_inodes_per_group;
	uint32_t most = 0;

	if (!isdir)
		return best;
	for (g = 0; g < fs->ngroups; g++) {
		if (group_get(fs, g, &b, &gd) < 0)
			continue;
		if (gd->bg_free_inodes_count > 0 &&
		    gd->bg_free_blocks_count >= most) {
			most = gd->bg_free_blocks_count;
			best = g;
		}
		buf_put(fs, b);
	}
	return best;
}

int
inode_alloc(struct ext2_fs *fs, uint32_t parent, bool isdir, uint32_t *ino)
{
	uint32_t g0, g, n, bit;
	int error;

	if (fs->sb.s_free_inodes_count == 0)
		return -ENOSPC;
	g0 = inode_pick_group(fs, parent, isdir);
	for (n = 0; n < fs->ngroups; n++) {
		g = (g0 + n) % fs->ngroups;
		error = group_claim(fs, g, true, isdir, 0, &bit);
		if (error == 0) {
			*ino = g * fs->sb.s_inodes_per_group + bit + 1;
			return 0;
		}
		if (error != -ENOSPC)
			return error;
	}
	return -ENOSPC;
}

int
inode_free(struct ext2_fs *fs, uint32_t ino, bool isdir)
{
	if (ino < fs->first_ino || ino > fs->sb.s_inodes_count)
		return -EUCLEAN;
	ino--;
	return group_release(fs, ino / fs->sb.s_inodes_per_group, true, isdir,
	    ino % fs->sb.s_inodes_per_group);
}
