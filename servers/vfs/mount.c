/*
 * The mount table: which file system answers for which directory.
 *
 * Entry 0 is the root file system (ext2 on the disk, mounted at boot).
 * The others cover a directory of the root file system: the walk in
 * vnode.c steps from the covered directory into the mounted file
 * system's root (mount_cross), and `..` of that root leads back to the
 * covered directory's parent (mount_parent). Today the only other kind
 * is /proc (served by IS, procfs.c); a second ext2 file server is not
 * started on demand, so mounting ext2 elsewhere is refused with ENODEV.
 *
 * mount(2) and umount2(2) are root's; /proc/mounts (made here, not by
 * IS, because only VFS knows the table) lists the table for mount(8)
 * and df(1).
 */
#include "vfs.h"

#define NMOUNT		4
/* umount2 flags (Linux's numbers) */
#define MNT_FORCE	1
#define MNT_DETACH	2
#define MNT_EXPIRE	4
#define UMOUNT_NOFOLLOW	8

struct mount {
	int used;
	int kind;		/* MNT_ROOTFS or MNT_PROCFS */
	uint32_t covered;	/* root file system directory it covers */
	char source[32];
	char path[64];
	char type[8];
};

static struct mount mounts[NMOUNT];

/*
 * At boot: the root, and /proc on the root's /proc directory (inode
 * proc_dir, 0 if there is none), as an init script would mount it. If IS
 * is not running, /proc shows the empty directory it covers.
 */
void mount_init(uint32_t proc_dir)
{
	mounts[0] = (struct mount){ 1, MNT_ROOTFS, 0, "/dev/vda", "/", "ext2" };
	if (proc_dir)
		mounts[1] = (struct mount){ 1, MNT_PROCFS, proc_dir, "proc", "/proc", "proc" };
}

static struct mount *procfs_mount(void)
{
	int i;

	for (i = 1; i < NMOUNT; i++)
		if (mounts[i].used && mounts[i].kind == MNT_PROCFS)
			return &mounts[i];
	return NULL;
}

/*
 * v was just looked up in the root file system: if a file system is
 * mounted on it, its root instead. v's reference moves to the result.
 */
struct vnode *mount_cross(struct vnode *v)
{
	struct mount *m = procfs_mount();
	struct vnode *root;

	if (!m || is_procfs(v) || v->ino != m->covered)
		return v;
	if (procfs_root(&root) < 0)
		return v;	/* IS is down: the covered (empty) directory */
	vn_put(v);
	return root;
}

/* The root file system directory /proc covers (for `..` of its root). */
uint32_t mount_procfs_covered(void)
{
	struct mount *m = procfs_mount();

	return m ? m->covered : 0;
}

static long copy_string(struct proc *p, uint64_t uaddr, char *buf, size_t size)
{
	static char tmp[PATH_MAX + 1];
	long n = copy_path(p, uaddr, tmp);

	if (n < 0)
		return n;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, tmp, (size_t)n + 1);
	return n;
}

/* mount(source, target, type, flags, data): only proc can be mounted. */
long do_mount(struct proc *p, uint64_t usrc, uint64_t utarget, uint64_t utype)
{
	char source[32], target[64], type[8];
	struct vnode *v;
	struct mount *m;
	long r;
	int i;

	if (p->euid != 0)
		return -EPERM;
	if ((r = copy_string(p, utype, type, sizeof(type))) < 0)
		return r == -ENAMETOOLONG ? -ENODEV : r;
	if ((r = copy_string(p, usrc, source, sizeof(source))) < 0 ||
	    (r = copy_string(p, utarget, target, sizeof(target))) < 0)
		return r;
	if (strcmp(type, "proc") != 0)
		return strcmp(type, "ext2") == 0 && strcmp(source, mounts[0].source) == 0 ?
		    -EBUSY : -ENODEV;
	if (procfs_mount())
		return -EBUSY;		/* one /proc: its inode numbers are IS's */
	if ((r = namei(p, AT_FDCWD, target, 1, &v)) < 0)
		return r;
	r = !S_ISDIR(v->mode) ? -ENOTDIR : (is_procfs(v) || v == root_vn) ? -EBUSY : 0;
	if (r == 0) {
		for (i = 1; i < NMOUNT && mounts[i].used; i++)
			;
		if (i == NMOUNT) {
			r = -ENOMEM;
		} else {
			m = &mounts[i];
			*m = (struct mount){ 1, MNT_PROCFS, v->ino, "", "", "proc" };
			memcpy(m->source, source, sizeof(source));
			memcpy(m->path, target, sizeof(target));
		}
	}
	vn_put(v);
	return r;
}

/* umount2(target, flags): busy while a process uses a file under it. */
long do_umount(struct proc *p, uint64_t utarget, long flags)
{
	static char target[PATH_MAX + 1];
	struct mount *m = procfs_mount();
	struct vnode *v;
	long r;

	if (p->euid != 0)
		return -EPERM;
	if (flags & ~(long)(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if ((r = copy_path(p, utarget, target)) < 0 ||
	    (r = namei(p, AT_FDCWD, target, 1, &v)) < 0)
		return r;
	if (v == root_vn)
		r = -EBUSY;		/* the root goes only at power off */
	else if (!m || !is_procfs(v) || v->ino != PROCFS_ROOT)
		r = -EINVAL;		/* not a mount point */
	else if (vn_procfs_in_use(v) && !(flags & MNT_DETACH))
		r = -EBUSY;
	else
		m->used = 0;
	vn_put(v);
	return r;
}

/* The text of /proc/mounts, in Linux's format. */
size_t mount_list(char *buf, size_t size)
{
	size_t n = 0;
	int i, w;

	for (i = 0; i < NMOUNT; i++) {
		if (!mounts[i].used || n >= size)
			continue;
		w = snprintf(buf + n, size - n, "%s %s %s rw 0 0\n", mounts[i].source,
		    mounts[i].path, mounts[i].type);
		if (w > 0)
			n += (size_t)w < size - n ? (size_t)w : size - n - 1;
	}
	return n;
}
