/*
 * Block cache: EXT2_NBUF buffers of one file-system block, reused in least
 * recently used order. Writes stay in the cache (write-back) until
 * buf_flush() or until the buffer is chosen for another block.
 *
 * A hit is found on the hash chain of its block number, not by a scan
 * (the file server has 1,024 buffers and looks one up for every request:
 * docs/performance.md); only a miss scans, for the least recently used
 * free buffer. ndirty counts the dirty buffers, so "anything to write
 * back?" needs no scan either.
 */
#include "ext2_impl.h"

#define HASH(blk)	((blk) & (EXT2_NHASH - 1))

static void
mark_dirty(struct ext2_buf *b)
{
	if (!b->dirty) {
		b->dirty = true;
		b->fs->ndirty++;
	}
}

static void
mark_clean(struct ext2_buf *b)
{
	if (b->dirty) {
		b->dirty = false;
		b->fs->ndirty--;
	}
}

static void
hash_remove(struct ext2_fs *fs, struct ext2_buf *b)
{
	int32_t *link = &fs->hash[HASH(b->blk)];

	while (*link >= 0 && &fs->buf[*link] != b)
		link = &fs->buf[*link].hnext;
	if (*link >= 0)
		*link = b->hnext;
	b->hashed = false;
}

static void
hash_insert(struct ext2_fs *fs, struct ext2_buf *b)
{
	b->hnext = fs->hash[HASH(b->blk)];
	fs->hash[HASH(b->blk)] = (int32_t)(b - fs->buf);
	b->hashed = true;
}

static int
buf_io(struct ext2_fs *fs, struct ext2_buf *b, bool write)
{
	uint32_t spb = fs->bsize / 512;
	uint64_t sector = (uint64_t)b->blk * spb;

	if (write)
		return fs->dev.write(fs->dev.ctx, sector, spb, b->data);
	return fs->dev.read(fs->dev.ctx, sector, spb, b->data);
}

/* Write a dirty buffer back; on failure it stays dirty for a later try. */
static int
buf_clean(struct ext2_fs *fs, struct ext2_buf *b)
{
	int error;

	if (!b->valid || !b->dirty)
		return 0;
	if ((error = buf_io(fs, b, true)) < 0)
		return error;
	mark_clean(b);
	return 0;
}

/* Find blk in the cache, or claim the least recently used free buffer. */
static int
buf_lookup(struct ext2_fs *fs, uint32_t blk, struct ext2_buf **bp, bool *hit)
{
	struct ext2_buf *b, *victim = NULL;
	int32_t i;
	int error;

	/* Block 0 holds the boot block and, on 4K file systems, the
	 * superblock: no pointer may name it, and nothing beyond the end. */
	if (blk <= fs->sb.s_first_data_block || blk >= fs->sb.s_blocks_count)
		return -EUCLEAN;
	for (i = fs->hash[HASH(blk)]; i >= 0; i = fs->buf[i].hnext) {
		b = &fs->buf[i];
		if (b->valid && b->blk == blk) {
			b->ref++;
			b->used = ++fs->tick;
			*bp = b;
			*hit = true;
			return 0;
		}
	}
	for (i = 0; i < EXT2_NBUF; i++) {
		b = &fs->buf[i];
		if (b->ref == 0 && (victim == NULL || !b->valid ||
		    (victim->valid && b->used < victim->used)))
			victim = b;
	}
	if (victim == NULL)
		return -ENOMEM;	/* every buffer is held: a library bug */
	if ((error = buf_clean(fs, victim)) < 0)
		return error;
	if (victim->hashed)
		hash_remove(fs, victim);
	victim->valid = false;
	victim->blk = blk;
	hash_insert(fs, victim);
	victim->ref = 1;
	victim->used = ++fs->tick;
	*bp = victim;
	*hit = false;
	return 0;
}

int
buf_get(struct ext2_fs *fs, uint32_t blk, struct ext2_buf **bp)
{
	struct ext2_buf *b;
	bool hit;
	int error;

	if ((error = buf_lookup(fs, blk, &b, &hit)) < 0)
		return error;
	if (!hit) {
		if ((error = buf_io(fs, b, false)) < 0) {
			b->ref = 0;
			return error;
		}
		b->valid = true;
		mark_clean(b);
	}
	*bp = b;
	return 0;
}

/* A buffer for a freshly allocated block: zeroed, no read needed. */
int
buf_get_zero(struct ext2_fs *fs, uint32_t blk, struct ext2_buf **bp)
{
	struct ext2_buf *b;
	bool hit;
	int error;

	if ((error = buf_lookup(fs, blk, &b, &hit)) < 0)
		return error;
	memset(b->data, 0, fs->bsize);
	b->valid = true;
	mark_dirty(b);
	*bp = b;
	return 0;
}

void
buf_put(struct ext2_fs *fs, struct ext2_buf *b)
{
	(void)fs;
	if (b != NULL && b->ref > 0)
		b->ref--;
}

void
buf_dirty(struct ext2_buf *b)
{
	mark_dirty(b);
}

/* Write every dirty buffer; report the first error but try them all. */
int
buf_flush(struct ext2_fs *fs)
{
	int error, first = 0, i;

	for (i = 0; i < EXT2_NBUF; i++)
		if ((error = buf_clean(fs, &fs->buf[i])) < 0 && first == 0)
			first = error;
	return first;
}

void
buf_invalidate_all(struct ext2_fs *fs)
{
	int i;

	for (i = 0; i < EXT2_NBUF; i++) {
		fs->buf[i].valid = false;
		fs->buf[i].dirty = false;
		fs->buf[i].hashed = false;
		fs->buf[i].hnext = -1;
		fs->buf[i].ref = 0;
		fs->buf[i].data = fs->bufdata[i];
		fs->buf[i].fs = fs;
	}
	for (i = 0; i < EXT2_NHASH; i++)
		fs->hash[i] = -1;
	fs->ndirty = 0;
}
