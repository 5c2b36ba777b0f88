/*
 * Operations on names in directories: creating files, directories,
 * devices and symlinks, linking, unlinking, removing directories and
 * renaming. Each adds the new name before removing an old one, so a
 * failure part way (ENOSPC) leaves the tree as it was or with an extra
 * link, never with a lost file.
 */
#include "ext2_impl.h"

#define MAX_DEPTH	4096	/* longest ".." chain walked by rename */

static int
name_check(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return -ENOENT;
	if (len > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return -EINVAL;
	return 0;
}

static bool
name_is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.');
}

/* Get directory `dir` to change an entry in; a removed one takes none. */
static int
parent_get(struct ext2_fs *fs, uint32_t dir, struct ext2_ient **dpp)
{
	int error;

	if ((error = inode_get(fs, dir, dpp)) < 0)
		return error;
	if (!EXT2_S_ISDIR((*dpp)->d.i_mode))
		error = -ENOTDIR;
	else if ((*dpp)->d.i_links_count == 0)
		error = -ENOENT;
	if (error < 0)
		(void)inode_put(fs, *dpp);
	return error;
}

static int
name_absent(struct ext2_fs *fs, struct ext2_ient *dp, const char *name,
    size_t len)
{
	uint32_t ino;
	int error;

	error = dir_find(fs, dp, name, len, &ino);
	if (error == 0)
		return -EEXIST;
	return error == -ENOENT ? 0 : error;
}

/* Allocate an inode of `mode` near directory dp, with one link. */
static int
inode_new(struct ext2_fs *fs, struct ext2_ient *dp, uint32_t mode,
    uint32_t uid, uint32_t gid, struct ext2_ient **ipp)
{
	struct ext2_ient *ip;
	uint32_t ino;
	int error;

	if ((error = inode_alloc(fs, dp->ino, EXT2_S_ISDIR(mode), &ino)) < 0)
		return error;
	if ((error = inode_init(fs, ino, &ip)) < 0) {
		(void)inode_free(fs, ino, EXT2_S_ISDIR(mode));
		return error;
	}
	ip->d.i_mode = mode;
	ip->d.i_uid = uid & 0xffff;
	ip->d.i_uid_high = uid >> 16;
	ip->d.i_gid = gid & 0xffff;
	ip->d.i_gid_high = gid >> 16;
	ip->d.i_links_count = 1;
	inode_touch(fs, ip, true, true, true);
	*ipp = ip;
	return inode_write(fs, ip);
}

/* Undo inode_new(): with no link left, the put frees it. */
static int
inode_abandon(struct ext2_fs *fs, struct ext2_ient *ip, int error)
{
	ip->d.i_links_count = 0;
	return inode_put_keep(fs, ip, error);
}

/* Common front of the creating calls: check, get the parent, make sure
 * the name is free, and allocate the inode. */
static int
create_begin(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    uint32_t mode, uint32_t uid, uint32_t gid, struct ext2_ient **dpp,
    struct ext2_ient **ipp)
{
	int error;

	if ((error = fs_enter(fs, true)) < 0)
		return error;
	if ((error = name_check(name, len)) < 0)
		return error;
	if (name_is_dot(name, len))
		return -EEXIST;
	if ((error = parent_get(fs, dir, dpp)) < 0)
		return error;
	if ((error = name_absent(fs, *dpp, name, len)) == 0 &&
	    (error = inode_new(fs, *dpp, mode, uid, gid, ipp)) == 0)
		return 0;
	return inode_put_keep(fs, *dpp, error);
}

/* Common end: link the new inode into its parent and report it. */
static int
create_end(struct ext2_fs *fs, struct ext2_ient *dp, const char *name,
    size_t len, struct ext2_ient *ip, int error, uint32_t *ino)
{
	if (error == 0)
		error = dir_add(fs, dp, name, len, ip->ino, ip->d.i_mode);
	if (error < 0) {
		error = inode_abandon(fs, ip, error);
	} else {
		if (ino != NULL)
			*ino = ip->ino;
		error = inode_put_keep(fs, ip, 0);
	}
	return inode_put_keep(fs, dp, error);
}

int
ext2_mknod(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    uint32_t mode, uint32_t rdev, uint32_t uid, uint32_t gid, uint32_t *ino)
{
	struct ext2_ient *dp, *ip;
	uint32_t fmt = mode & EXT2_S_IFMT;
	int error;

	if (fmt == 0)
		fmt = EXT2_S_IFREG;
	if (fmt != EXT2_S_IFREG && fmt != EXT2_S_IFCHR && fmt != EXT2_S_IFBLK &&
	    fmt != EXT2_S_IFIFO && fmt != EXT2_S_IFSOCK)
		return -EINVAL;
	mode = fmt | (mode & 07777);
	error = create_begin(fs, dir, name, len, mode, uid, gid, &dp, &ip);
	if (error < 0)
		return error;
	if (fmt == EXT2_S_IFCHR || fmt == EXT2_S_IFBLK) {
		rdev_encode(ip, rdev);
		error = inode_write(fs, ip);
	}
	return create_end(fs, dp, name, len, ip, error, ino);
}

int
ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    uint32_t mode, uint32_t uid, uint32_t gid, uint32_t *ino)
{
	return ext2_mknod(fs, dir, name, len, EXT2_S_IFREG | (mode & 07777),
	    0, uid, gid, ino);
}

int
ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    uint32_t mode, uint32_t uid, uint32_t gid, uint32_t *ino)
{
	struct ext2_ient *dp, *ip;
	int error;

	error = create_begin(fs, dir, name, len, EXT2_S_IFDIR | (mode & 07777),
	    uid, gid, &dp, &ip);
	if (error < 0)
		return error;
	if (dp->d.i_links_count >= EXT2_LINK_MAX)
		error = -EMLINK;
	if (error == 0) {
		ip->d.i_links_count = 2;	/* its name and its "." */
		error = dir_init(fs, ip, dp->ino);
	}
	if (error == 0 && (error = dir_add(fs, dp, name, len, ip->ino,
	    ip->d.i_mode)) == 0) {
		dp->d.i_links_count++;		/* the child's ".." */
		error = inode_write(fs, dp);
	}
	/* dir_add is done (or failed): create_end must not add again. */
	if (error < 0) {
		error = inode_abandon(fs, ip, error);
		return inode_put_keep(fs, dp, error);
	}
	if (ino != NULL)
		*ino = ip->ino;
	error = inode_put_keep(fs, ip, 0);
	return inode_put_keep(fs, dp, error);
}

int
ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    const char *target, size_t tlen, uint32_t uid, uint32_t gid,
    uint32_t *ino)
{
	struct ext2_ient *dp, *ip;
	struct ext2_buf *b;
	uint32_t blk;
	int error;

	if (tlen == 0)
		return -ENOENT;
	if (fs->mounted && tlen >= fs->bsize)
		return -ENAMETOOLONG;
	error = create_begin(fs, dir, name, len, EXT2_S_IFLNK | 0777, uid, gid,
	    &dp, &ip);
	if (error < 0)
		return error;
	ip->d.i_size = tlen;
	if (tlen <= EXT2_FAST_SYMLINK_MAX) {
		memcpy(ip->d.i_block, target, tlen);
	} else if ((error = inode_bmap(fs, ip, 0, true, &blk)) == 0 &&
	    (error = buf_get(fs, blk, &b)) == 0) {
		memcpy(b->data, target, tlen);
		buf_dirty(b);
		buf_put(fs, b);
	}
	if (error == 0)
		error = inode_write(fs, ip);
	return create_end(fs, dp, name, len, ip, error, ino);
}

int
ext2_link(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    uint32_t ino)
{
	struct ext2_ient *dp, *ip;
	int error;

	if ((error = fs_enter(fs, true)) < 0)
		return error;
	if ((error = name_check(name, len)) < 0)
		return error;
	if (name_is_dot(name, len))
		return -EEXIST;
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return error;
	if (EXT2_S_ISDIR(ip->d.i_mode))
		error = -EPERM;
	else if (ip->d.i_links_count == 0)
		error = -ENOENT;
	else if (ip->d.i_links_count >= EXT2_LINK_MAX)
		error = -EMLINK;
	if (error < 0)
		return inode_put_keep(fs, ip, error);
	if ((error = parent_get(fs, dir, &dp)) < 0)
		return inode_put_keep(fs, ip, error);
	if ((error = name_absent(fs, dp, name, len)) == 0 &&
	    (error = dir_add(fs, dp, name, len, ino, ip->d.i_mode)) == 0) {
		ip->d.i_links_count++;
		inode_touch(fs, ip, false, false, true);
		error = inode_write(fs, ip);
	}
	error = inode_put_keep(fs, dp, error);
	return inode_put_keep(fs, ip, error);
}

/* Remove a name; `isdir` selects rmdir's rules over unlink's. */
static int
remove_name(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
    bool isdir)
{
	struct ext2_ient *dp, *ip;
	uint32_t ino;
	int error;

	if ((error = fs_enter(fs, true)) < 0)
		return error;
	if ((error = name_check(name, len)) < 0)
		return error;
	if (name_is_dot(name, len))
		return !isdir ? -EISDIR : len == 1 ? -EINVAL : -ENOTEMPTY;
	if ((error = parent_get(fs, dir, &dp)) < 0)
		return error;
	if ((error = dir_find(fs, dp, name, len, &ino)) < 0)
		return inode_put_keep(fs, dp, error);
	if ((error = inode_get(fs, ino, &ip)) < 0)
		return inode_put_keep(fs, dp, error == -ENOENT ? -EUCLEAN :
		    error);
	if (isdir && !EXT2_S_ISDIR(ip->d.i_mode))
		error = -ENOTDIR;
	else if (!isdir && EXT2_S_ISDIR(ip->d.i_mode))
		error = -EISDIR;
	else if (isdir && (error = dir_is_empty(fs, ip)) >= 0)
		error = error == 1 ? 0 : -ENOTEMPTY;
	if (error == 0)
		error = dir_remove(fs, dp, name, len);
	if (error == 0) {
		if (isdir) {
			ip->d.i_links_count = 0;
			if (dp->d.i_links_count > 1)
				dp->d.i_links_count--;	/* its ".." */
			error = inode_write(fs, dp);
		} else if (ip->d.i_links_count > 0) {
			ip->d.i_links_count--;
		}
		inode_touch(fs, ip, false, false, true);
		if (error == 0)
			error = inode_write(fs, ip);
	}
	error = inode_put_keep(fs, ip, error);	/* may free the inode */
	return inode_put_keep(fs, dp, error);
}

int
ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	return remove_name(fs, dir, name, len, false);
}

int
ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	return remove_name(fs, dir, name, len, true);
}

/* -EINVAL if directory `ino` is `dir` or one of its ancestors: moving it
 * there would cut the subtree off from the root. */
static int
check_not_ancestor(struct ext2_fs *fs, uint32_t ino, uint32_t dir)
{
	struct ext2_ient *ip;
	uint32_t cur = dir, up;
	int error, depth;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		if (cur == ino)
			return -EINVAL;
		if (cur == EXT2_ROOT_INO)
			return 0;
		if ((error = inode_get(fs, cur, &ip)) < 0)
			return error;
		error = EXT2_S_ISDIR(ip->d.i_mode) ?
		    dir_find(fs, ip, "..", 2, &up) : -EUCLEAN;
		if ((error = inode_put_keep(fs, ip, error)) < 0)
			return error == -ENOENT ? -EUCLEAN : error;
		if (up == cur)
			return -EUCLEAN;	/* only the root is its own parent */
		cur = up;
	}
	return -ELOOP;
}

struct rename_ctx {
	struct ext2_ient *odp, *ndp, *sip, *tip;
};

/* Check that the source may replace the target, then do it. */
static int
rename_do(struct ext2_fs *fs, struct rename_ctx *r, const char *oname,
    size_t olen, const char *nname, size_t nlen)
{
	bool sdir = EXT2_S_ISDIR(r->sip->d.i_mode);
	bool moved = sdir && r->odp != r->ndp;
	int error;

	if (moved && (error = check_not_ancestor(fs, r->sip->ino,
	    r->ndp->ino)) < 0)
		return error;
	if (r->tip != NULL) {
		if (sdir && !EXT2_S_ISDIR(r->tip->d.i_mode))
			return -ENOTDIR;
		if (!sdir && EXT2_S_ISDIR(r->tip->d.i_mode))
			return -EISDIR;
		if (sdir && (error = dir_is_empty(fs, r->tip)) <= 0)
			return error < 0 ? error : -ENOTEMPTY;
		error = dir_retarget(fs, r->ndp, nname, nlen, r->sip->ino,
		    r->sip->d.i_mode);
		if (error < 0)
			return error;
		if (sdir) {
			r->tip->d.i_links_count = 0;
			r->ndp->d.i_links_count--;	/* target's ".." */
		} else {
			r->tip->d.i_links_count--;
		}
		inode_touch(fs, r->tip, false, false, true);
		if ((error = inode_write(fs, r->tip)) < 0)
			return error;
	} else {
		if (moved && r->ndp->d.i_links_count >= EXT2_LINK_MAX)
			return -EMLINK;
		error = dir_add(fs, r->ndp, nname, nlen, r->sip->ino,
		    r->sip->d.i_mode);
		if (error < 0)
			return error;
	}
	if ((error = dir_remove(fs, r->odp, oname, olen)) < 0)
		return error;
	if (moved) {
		error = dir_retarget(fs, r->sip, "..", 2, r->ndp->ino,
		    EXT2_S_IFDIR);
		if (error < 0)
			return error;
		r->odp->d.i_links_count--;
		r->ndp->d.i_links_count++;
	}
	inode_touch(fs, r->sip, false, false, true);
	if ((error = inode_write(fs, r->sip)) < 0 ||
	    (error = inode_write(fs, r->odp)) < 0)
		return error;
	return inode_write(fs, r->ndp);
}

int
ext2_rename(struct ext2_fs *fs, uint32_t odir, const char *oname,
    size_t olen, uint32_t ndir, const char *nname, size_t nlen)
{
	struct rename_ctx r = { NULL, NULL, NULL, NULL };
	uint32_t sino, tino;
	int error;

	if ((error = fs_enter(fs, true)) < 0)
		return error;
	if ((error = name_check(oname, olen)) < 0 ||
	    (error = name_check(nname, nlen)) < 0)
		return error;
	if (name_is_dot(oname, olen) || name_is_dot(nname, nlen))
		return -EINVAL;
	if ((error = parent_get(fs, odir, &r.odp)) < 0)
		return error;
	if ((error = parent_get(fs, ndir, &r.ndp)) < 0)
		goto out;
	if ((error = dir_find(fs, r.odp, oname, olen, &sino)) < 0)
		goto out;
	if ((error = inode_get(fs, sino, &r.sip)) < 0) {
		error = error == -ENOENT ? -EUCLEAN : error;
		goto out;
	}
	error = dir_find(fs, r.ndp, nname, nlen, &tino);
	if (error == 0) {
		if (tino == sino)	/* two names of one file: no-op */
			goto out;
		if ((error = inode_get(fs, tino, &r.tip)) < 0) {
			error = error == -ENOENT ? -EUCLEAN : error;
			goto out;
		}
	} else if (error != -ENOENT) {
		goto out;
	}
	error = rename_do(fs, &r, oname, olen, nname, nlen);
out:
	/* The target goes first: when it dies its blocks are freed while
	 * the directories are still held. */
	if (r.tip != NULL)
		error = inode_put_keep(fs, r.tip, error);
	if (r.sip != NULL)
		error = inode_put_keep(fs, r.sip, error);
	if (r.ndp != NULL)
		error = inode_put_keep(fs, r.ndp, error);
	return inode_put_keep(fs, r.odp, error);
}
