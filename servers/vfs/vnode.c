/*
 * Vnodes and path names. A vnode stands for a file some process uses (an
 * open file, a working directory, a step of a lookup); it is found again by
 * inode number while referenced and freed at the last reference. Paths are
 * walked one component at a time, asking the file server (Lookup) for each,
 * so that VFS checks search permission and expands symlinks itself.
 */
#include "vfs.h"

static struct vnode vnodes[NVNODE];

/* A file server's Fail, or a protocol failure, as a negative errno. */
int fs_error(int r, const struct vfs_fs_msg *m)
{
	if (r < 0)
		return r;
	if (m->type == VFS_FS_FAIL)
		return m->u.Fail.error;
	return -EIO;
}

struct vnode *vn_get(const struct vfs_fs_Node *n)
{
	struct vnode *v, *free = NULL;

	for (v = vnodes; v < vnodes + NVNODE; v++) {
		if (v->kind == VN_FS && v->ino == n->ino)
			break;
		if (v->kind == VN_FREE && !free)
			free = v;
	}
	if (v == vnodes + NVNODE) {
		if (!(v = free))
			return NULL;
		memset(v, 0, sizeof(*v));
		v->kind = VN_FS;
		v->ino = n->ino;
	}
	v->ref++;
	v->mode = n->mode;
	v->uid = n->uid;
	v->gid = n->gid;
	v->nlink = n->nlink;
	v->rdev = n->rdev;
	v->size = n->size;
	return v;
}

struct vnode *vn_dup(struct vnode *v)
{
	v->ref++;
	return v;
}

/* Tell the file server we keep the inode (an unlinked open file lives). */
int vn_hold(struct vnode *v)
{
	struct vfs_fs_msg r;
	int e;

	if (v->kind != VN_FS || v->held || is_procfs(v))
		return 0;
	if ((e = vfs_fs_call_Open(&fs_mon, fs_ep, v->ino, &r)) < 0 || r.type != VFS_FS_OK)
		return fs_error(e, &r);
	v->held = 1;
	return 0;
}

void vn_put(struct vnode *v)
{
	struct vfs_fs_msg r;

	if (!v || --v->ref > 0)
		return;
	if (v->kind == VN_FS && v->held)
		vfs_fs_call_Close(&fs_mon, fs_ep, v->ino, &r);
	v->kind = VN_FREE;
}

/*
 * Power off: every process is gone, so what VFS still holds (the root,
 * exec handles) is let go at the file server, which can then unmount.
 */
void vn_release_all(void)
{
	struct vfs_fs_msg r;
	struct vnode *v;

	for (v = vnodes; v < vnodes + NVNODE; v++)
		if (v->kind == VN_FS && v->held) {
			vfs_fs_call_Close(&fs_mon, fs_ep, v->ino, &r);
			v->held = 0;
		}
}

/*
 * want: 4 read, 2 write, 1 execute/search. real: use the real ids
 * (access(2)) instead of the effective ones. Root passes everything
 * except executing a file no one may execute.
 */
int vn_perm(struct proc *p, struct vnode *v, int want, int real)
{
	uint32_t uid = real ? p->uid : p->euid, gid = real ? p->gid : p->egid;
	uint32_t bits;

	if ((want & 2) && is_procfs(v))
		return -EACCES;		/* IS serves no writes: not even root's */
	if (uid == 0) {
		if ((want & 1) && !S_ISDIR(v->mode) && !(v->mode & 0111))
			return -EACCES;
		return 0;
	}
	if (v->uid == uid)
		bits = v->mode >> 6;
	else if (v->gid == gid)
		bits = v->mode >> 3;
	else
		bits = v->mode;
	return ((bits & 7) & want) == (uint32_t)want ? 0 : -EACCES;
}

/* One component in a directory; `..` of the root stays at the root. */
int vn_lookup(struct proc *p, struct vnode *dir, const char *name, size_t len,
    struct vnode **out)
{
	struct vfs_fs_msg r;
	int e;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if ((e = vn_perm(p, dir, 1, 0)) < 0)
		return e;
	if (len > 255)
		return -ENAMETOOLONG;
	if ((len == 1 && name[0] == '.') ||
	    (dir == root_vn && len == 2 && name[0] == '.' && name[1] == '.')) {
		*out = vn_dup(dir);
		return 0;
	}
	if ((e = procfs_lookup(dir, name, len, out)) != PROCFS_NOT_MINE)
		return e;
	if ((e = vfs_fs_call_Lookup(&fs_mon, fs_ep, (uint64_t)name, self_ep,
	    (uint32_t)len, dir->ino, &r)) < 0 || r.type != VFS_FS_NODE)
		return fs_error(e, &r);
	if (!(*out = vn_get(&r.u.Node)))
		return -ENFILE;
	*out = mount_cross(*out);
	return 0;
}

/* Whether a process uses a file of /proc (other than one use of except). */
int vn_procfs_in_use(const struct vnode *except)
{
	const struct vnode *v;

	for (v = vnodes; v < vnodes + NVNODE; v++)
		if (v->kind == VN_FS && is_procfs(v) && v->ref > (v == except ? 1 : 0))
			return 1;
	return 0;
}

/*
 * A NUL-terminated path from user memory, read a page piece at a time so
 * that a short string at the end of a mapping is not an EFAULT.
 */
long copy_path(struct proc *p, uint64_t uaddr, char *buf)
{
	size_t got = 0;

	while (got < PATH_MAX) {
		size_t n = 4096 - ((uaddr + got) & 4095);
		size_t i;
		if (n > PATH_MAX - got)
			n = PATH_MAX - got;
		if (sys_vcopy(p->ep, uaddr + got, SELF, (uint64_t)buf + got, n) < 0)
			return -EFAULT;
		for (i = 0; i < n; i++)
			if (buf[got + i] == 0)
				return (long)(got + i);
		got += n;
	}
	return -ENAMETOOLONG;
}

static struct vnode *start_dir(struct proc *p, int dirfd, const char *path, int *err)
{
	struct filp *f;

	if (path[0] == '/')
		return vn_dup(root_vn);
	if (dirfd == AT_FDCWD)
		return vn_dup(p->cwd);
	if (dirfd < 0 || dirfd >= NFD || !(f = p->fd[dirfd])) {
		*err = -EBADF;
		return NULL;
	}
	if (!S_ISDIR(f->vn->mode)) {
		*err = -ENOTDIR;
		return NULL;
	}
	return vn_dup(f->vn);
}

/*
 * The walk. With want_parent, stop before the last component and return
 * the directory and the component (for create, unlink, rename); otherwise
 * return the file, following a final symlink if follow is set. Symlinks
 * met on the way are spliced into the remaining path (at most SYMLOOP_MAX).
 */
static int walk(struct proc *p, int dirfd, const char *upath, int follow,
    int want_parent, struct vnode **out, char *last, size_t *lastlen)
{
	static char path[PATH_MAX + 1], link[PATH_MAX + 1];
	struct vnode *dir, *next;
	size_t pos = 0, plen = strlen(upath);
	int loops = 0, e = 0, trailing;

	if (plen == 0)
		return -ENOENT;
	memcpy(path, upath, plen + 1);
	if (!(dir = start_dir(p, dirfd, path, &e)))
		return e;
	for (;;) {
		size_t s, n;
		while (path[pos] == '/')
			pos++;
		s = pos;
		while (path[pos] && path[pos] != '/')
			pos++;
		n = pos - s;
		if (n == 0) {		/* "/" or a path ending in slashes */
			if (want_parent && !S_ISDIR(dir->mode)) {
				vn_put(dir);
				return -ENOTDIR;
			}
			if (want_parent) {
				/* the root itself, or "a/" already consumed: name "." */
				last[0] = '.';
				*lastlen = 1;
			}
			*out = dir;
			return 0;
		}
		trailing = path[pos] == '/';
		{	/* is this the last component? */
			size_t q = pos;
			while (path[q] == '/')
				q++;
			if (!path[q] && want_parent) {
				/* "file/x": a component that is no directory is
				 * ENOTDIR before the caller checks permissions */
				if (!S_ISDIR(dir->mode)) {
					vn_put(dir);
					return -ENOTDIR;
				}
				if (n > 255) {
					vn_put(dir);
					return -ENAMETOOLONG;
				}
				memcpy(last, path + s, n);
				last[n] = 0;
				*lastlen = n;
				*out = dir;
				return trailing ? 1 : 0;	/* 1: "name/" */
			}
			if ((e = vn_lookup(p, dir, path + s, n, &next)) < 0) {
				vn_put(dir);
				return e;
			}
			if (S_ISLNK(next->mode) && (path[q] || follow || trailing)) {
				struct vfs_fs_msg r;
				size_t rest = plen - pos, tl;
				if (++loops > SYMLOOP_MAX) {
					vn_put(next);
					vn_put(dir);
					return -ELOOP;
				}
				e = vfs_fs_call_Readlink(&fs_mon, fs_ep, (uint64_t)link, self_ep,
				    next->ino, PATH_MAX, &r);
				vn_put(next);
				if (e < 0 || r.type != VFS_FS_OK) {
					vn_put(dir);
					return fs_error(e, &r);
				}
				tl = (size_t)r.u.Ok.value;
				if (tl == 0 || tl + rest > PATH_MAX) {
					vn_put(dir);
					return tl ? -ENAMETOOLONG : -ENOENT;
				}
				memmove(path + tl, path + pos, rest + 1);
				memcpy(path, link, tl);
				plen = tl + rest;
				pos = 0;
				if (path[0] == '/') {
					vn_put(dir);
					dir = vn_dup(root_vn);
				}
				continue;
			}
			vn_put(dir);
			dir = next;
			if (!path[q]) {
				if (trailing && !S_ISDIR(dir->mode)) {
					vn_put(dir);
					return -ENOTDIR;
				}
				*out = dir;
				return 0;
			}
		}
	}
}

int namei(struct proc *p, int dirfd, const char *path, int follow, struct vnode **out)
{
	return walk(p, dirfd, path, follow, 0, out, NULL, NULL);
}

/* Returns 0, or 1 when the name had a trailing slash (must be a directory). */
int namei_parent(struct proc *p, int dirfd, const char *path, struct vnode **dir,
    char *last, size_t *lastlen)
{
	return walk(p, dirfd, path, 0, 1, dir, last, lastlen);
}
