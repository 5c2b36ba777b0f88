/*
 * Operations on one inode: reading and writing data, truncating, reading
 * attributes and symlinks, changing mode, owner and times, listing a
 * directory, and the open/close references that keep an unlinked file
 * alive until its last user is gone.
 */
#include "ext2_impl.h"

#define RW_MAX	0x7ffff000u	/* largest transfer, as Linux caps it */

int
fs_enter(struct ext2_fs *fs, bool modify)
{
	if (!fs->mounted)
		return -EINVAL;
	if (modify && fs->rdonly)
		return -EROFS;
	return 0;
}

/* Get inode `ino`, of file type `fmt` (0: any); wrong types get -err. */
static int
inode_get_type(struct ext2_fs *fs, uint32_t ino, uint32_t fmt, int err,
    struct ext2_ient **ipp)
{
	int error;

	if ((error = inode_get(fs, ino, ipp)) < 0)
		return error;
	if (fmt != 0 && ((*ipp)->d.i_mode & EXT2_S_IFMT) != fmt) {
		(void)inode_put(fs, *ipp);
		return err;
	}
	return 0;
}

/* Put an inode, keeping the first error of the operation. */
int
inode_put_keep(struct ext2_fs *fs, struct ext2_ient *ip, int error)
{
	int perror = inode_put(fs, ip);

	return error < 0 ? error : perror < 0 ? perror : error;
}

int
ext2_open(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_ient *ip;
	int error;

	if ((error = fs_enter(fs, false)) < 0)
		return error;
	return inode_get(fs, ino, &ip);	/* the reference stays */
}

int
ext2_close(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_ient *ip;
	int error;

	if ((error = fs_enter(fs, false)) < 0)
		return error;
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return error;
	if (ip->ref < 2) {	/* nobody had opened it */
		(void)inode_put(fs, ip);
		return -EINVAL;
	}
	ip->ref--;
	return inode_put(fs, ip);
}

/* Data calls take regular files only: say why another type is refused. */
static bool
mode_is_file(uint32_t mode, int *err)
{
	if (EXT2_S_ISREG(mode))
		return true;
	*err = EXT2_S_ISDIR(mode) ? -EISDIR : -EINVAL;
	return false;
}

long
ext2_read(struct ext2_fs *fs, uint32_t ino, uint64_t off, void *buf,
    size_t len)
{
	struct ext2_ient *ip;
	struct ext2_buf *b;
	uint64_t size;
	uint32_t blk, boff, chunk;
	size_t done = 0;
	int error;

	if ((error = fs_enter(fs, false)) < 0)
		return error;
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return error;
	if (!mode_is_file(ip->d.i_mode, &error))
		return inode_put_keep(fs, ip, error);
	size = inode_size(fs, ip);
	if (off >= size)
		return inode_put_keep(fs, ip, 0);
	if (len > size - off)
		len = size - off;
	if (len > RW_MAX)
		len = RW_MAX;
	while (done < len) {
		boff = (off + done) % fs->bsize;
		chunk = fs->bsize - boff;
		if (chunk > len - done)
			chunk = len - done;
		error = inode_bmap(fs, ip, (off + done) / fs->bsize, false,
		    &blk);
		if (error < 0)
			break;
		if (blk == 0) {
			memset((uint8_t *)buf + done, 0, chunk);	/* hole */
		} else {
			if ((error = buf_get(fs, blk, &b)) < 0)
				break;
			memcpy((uint8_t *)buf + done, b->data + boff, chunk);
			buf_put(fs, b);
		}
		done += chunk;
	}
	error = inode_put_keep(fs, ip, error);
	return done > 0 ? (long)done : error;
}

long
ext2_write(struct ext2_fs *fs, uint32_t ino, uint64_t off, const void *buf,
    size_t len)
{
	struct ext2_ient *ip;
	struct ext2_buf *b;
	uint32_t blk, boff, chunk;
	size_t done = 0;
	int error;

	if ((error = fs_enter(fs, true)) < 0)
		return error;
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return error;
	if (!mode_is_file(ip->d.i_mode, &error))
		return inode_put_keep(fs, ip, error);
	if (len > RW_MAX)
		len = RW_MAX;
	if (len > 0 && off >= fs->maxsize)
		return inode_put_keep(fs, ip, -EFBIG);
	if (len > fs->maxsize - off)
		len = fs->maxsize - off;
	while (done < len) {
		boff = (off + done) % fs->bsize;
		chunk = fs->bsize - boff;
		if (chunk > len - done)
			chunk = len - done;
		error = inode_bmap(fs, ip, (off + done) / fs->bsize, true,
		    &blk);
		if (error < 0)
			break;
		/* A whole block is replaced: no need to read it first. */
		if (chunk == fs->bsize)
			error = buf_get_zero(fs, blk, &b);
		else
			error = buf_get(fs, blk, &b);
		if (error < 0)
			break;
		memcpy(b->data + boff, (const uint8_t *)buf + done, chunk);
		buf_dirty(b);
		buf_put(fs, b);
		done += chunk;
	}
	if (done > 0) {
		if (off + done > inode_size(fs, ip))
			inode_set_size(fs, ip, off + done);
		inode_touch(fs, ip, false, true, true);
		error = inode_write(fs, ip);
	}
	error = inode_put_keep(fs, ip, error);
	/* A short write reports what was written; the error comes back on
	 * the caller's next try, as POSIX has it. */
	return done > 0 ? (long)done : error;
}

int
ext2_truncate(struct ext2_fs *fs, uint32_t ino, uint64_t size)
{
	struct ext2_ient *ip;
	int error;

	if ((error = fs_enter(fs, true)) < 0)
		return error;
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return error;
	if (mode_is_file(ip->d.i_mode, &error)) {
		error = inode_truncate(fs, ip, size);
		if (error == 0) {
			inode_touch(fs, ip, false, true, true);
			error = inode_write(fs, ip);
		}
	}
	return inode_put_keep(fs, ip, error);
}

/* Device numbers: the old 8:8 form in i_block[0] when it fits, else the
 * Linux 32-bit form (minor low 8 bits, major 12, minor high 12) in [1]. */
static uint32_t
rdev_decode(const struct ext2_ient *ip)
{
	/* Both forms agree on a major and minor below 256. */
	if (ip->d.i_block[0] != 0)
		return ip->d.i_block[0] & 0xffff;
	return ip->d.i_block[1];
}

void
rdev_encode(struct ext2_ient *ip, uint32_t rdev)
{
	uint32_t major = (rdev >> 8) & 0xfff;
	uint32_t minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);

	if (major < 256 && minor < 256) {
		ip->d.i_block[0] = major << 8 | minor;
		ip->d.i_block[1] = 0;
	} else {
		ip->d.i_block[0] = 0;
		ip->d.i_block[1] = rdev;
	}
}

int
ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st)
{
	struct ext2_ient *ip;
	uint32_t fmt;
	int error;

	if ((error = fs_enter(fs, false)) < 0)
		return error;
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return error;
	memset(st, 0, sizeof(*st));
	st->ino = ino;
	st->mode = ip->d.i_mode;
	st->nlink = ip->d.i_links_count;
	st->uid = ip->d.i_uid | (uint32_t)ip->d.i_uid_high << 16;
	st->gid = ip->d.i_gid | (uint32_t)ip->d.i_gid_high << 16;
	fmt = ip->d.i_mode & EXT2_S_IFMT;
	if (fmt == EXT2_S_IFCHR || fmt == EXT2_S_IFBLK)
		st->rdev = rdev_decode(ip);
	st->size = inode_size(fs, ip);
	st->blocks = ip->d.i_blocks;
	st->blksize = fs->bsize;
	st->atime = ip->d.i_atime;
	st->mtime = ip->d.i_mtime;
	st->ctime = ip->d.i_ctime;
	return inode_put_keep(fs, ip, 0);
}

long
ext2_readlink(struct ext2_fs *fs, uint32_t ino, char *buf, size_t len)
{
	struct ext2_ient *ip;
	struct ext2_buf *b;
	uint32_t size, blk;
	int error;

	if ((error = fs_enter(fs, false)) < 0)
		return error;
	if ((error = inode_get_type(fs, ino, EXT2_S_IFLNK, -EINVAL, &ip)) < 0)
		return error;
	size = ip->d.i_size;
	if (len > size)
		len = size;
	if (!inode_has_blocks(fs, ip)) {
		if (size > sizeof(ip->d.i_block))
			error = -EUCLEAN;
		else
			memcpy(buf, ip->d.i_block, len);
	} else if (size >= fs->bsize) {
		error = -EUCLEAN;
	} else if ((error = inode_bmap(fs, ip, 0, false, &blk)) == 0) {
		if (blk == 0)
			error = -EUCLEAN;
		else if ((error = buf_get(fs, blk, &b)) == 0) {
			memcpy(buf, b->data, len);
			buf_put(fs, b);
		}
	}
	error = inode_put_keep(fs, ip, error);
	return error < 0 ? error : (long)len;
}

int
ext2_getdents(struct ext2_fs *fs, uint32_t dir, uint64_t *cookie,
    ext2_filldir_t fill, void *arg)
{
	struct ext2_ient *dp;
	int error;

	if ((error = fs_enter(fs, false)) < 0)
		return error;
	if ((error = inode_get_type(fs, dir, EXT2_S_IFDIR, -ENOTDIR, &dp)) < 0)
		return error;
	error = dir_iterate(fs, dp, cookie, fill, arg);
	return inode_put_keep(fs, dp, error);
}

int
ext2_lookup(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    uint32_t *ino)
{
	struct ext2_ient *dp;
	int error;

	if ((error = fs_enter(fs, false)) < 0)
		return error;
	if (len == 0)
		return -ENOENT;
	if (len > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	if ((error = inode_get_type(fs, dir, EXT2_S_IFDIR, -ENOTDIR, &dp)) < 0)
		return error;
	error = dir_find(fs, dp, name, len, ino);
	return inode_put_keep(fs, dp, error);
}

/* The attribute setters share this: get, change, stamp ctime, write. */
enum attr_op { SET_MODE, SET_OWNER, SET_TIMES };

static int
inode_set_attr(struct ext2_fs *fs, uint32_t ino, enum attr_op op,
    uint32_t a, uint32_t b)
{
	struct ext2_ient *ip;
	int error;

	if ((error = fs_enter(fs, true)) < 0)
		return error;
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return error;
	switch (op) {
	case SET_MODE:
		ip->d.i_mode = (ip->d.i_mode & EXT2_S_IFMT) | (a & 07777);
		break;
	case SET_OWNER:		/* (uint32_t)-1 leaves an id unchanged */
		if (a != 0xffffffffu) {
			ip->d.i_uid = a & 0xffff;
			ip->d.i_uid_high = a >> 16;
		}
		if (b != 0xffffffffu) {
			ip->d.i_gid = b & 0xffff;
			ip->d.i_gid_high = b >> 16;
		}
		break;
	case SET_TIMES:
		inode_set_times(ip, a, b);
		break;
	}
	inode_touch(fs, ip, false, false, true);
	error = inode_write(fs, ip);
	return inode_put_keep(fs, ip, error);
}

int
ext2_chmod(struct ext2_fs *fs, uint32_t ino, uint32_t mode)
{
	return inode_set_attr(fs, ino, SET_MODE, mode, 0);
}

int
ext2_chown(struct ext2_fs *fs, uint32_t ino, uint32_t uid, uint32_t gid)
{
	return inode_set_attr(fs, ino, SET_OWNER, uid, gid);
}

int
ext2_utimes(struct ext2_fs *fs, uint32_t ino, uint32_t atime, uint32_t mtime)
{
	return inode_set_attr(fs, ino, SET_TIMES, atime, mtime);
}
