/*
 * /proc: VFS's side of the procfs contract (contracts/procfs.contract).
 * IS, the information server, serves the files; this file routes to it.
 *
 * IS's inode numbers have bit 31 set (PROCFS_INO), so a vnode belongs to
 * IS or to the root file system by its number alone, and the fs_* calls
 * below pick the server. Where /proc is mounted is the mount table's
 * (mount.c): the walk crosses into IS's root there, and `..` of IS's
 * root leads back to the covered directory's parent. One file in /proc
 * is VFS's own: mounts (PROCFS_MOUNTS_INO), the mount table as text.
 *
 * IS is found by name on every call (a restarted IS has a new endpoint;
 * it keeps no state, so its inode numbers stay valid). It holds no
 * KC_VCOPY: names and data pass through `xfer`, which VFS grants to the
 * current IS endpoint for the length of one request (vfs_grants
 * [GRANT_PROCFS]), and VFS copies on to the user.
 */
#include "vfs.h"
#include <procfs.h>

#define XFER_SIZE	16384	/* a Read or Getdents moves at most this */

static uint8_t xfer[XFER_SIZE];
static struct contract_monitor is_mon;

/* IS's endpoint, or an error. */
static endpoint_t is_find(void)
{
	static int ready;
	endpoint_t ep = lookup_endpoint("is");

	if (ep < 0 || !vfs_granting)
		return -ENOENT;
	if (!ready) {
		procfs_monitor_init(&is_mon, CONTRACT_CLIENT);
		ready = 1;
	}
	return ep;
}

/* xfer is IS's to read and write while one request is in flight. */
static void grant_xfer(endpoint_t ep)
{
	vfs_grants[GRANT_PROCFS] = (struct grant){ GRANT_VALID | GRANT_READ | GRANT_WRITE,
		ep, (uint64_t)xfer, sizeof(xfer), 0 };
}

static void revoke_xfer(void)
{
	vfs_grants[GRANT_PROCFS].flags = 0;
}

/* A procfs answer's error, or -EIO when IS died or misbehaved. */
static int is_error(int e, const struct procfs_msg *m)
{
	if (e < 0)
		return e == -EDEADSRCDST ? -EIO : e;
	return m->type == PROCFS_FAIL ? m->u.Fail.error : -EIO;
}

static struct vnode *node_to_vnode(const struct procfs_Node *n)
{
	struct vfs_fs_Node v;

	memset(&v, 0, sizeof(v));
	v.size = n->size;
	v.ino = n->ino;
	v.mode = n->mode;
	v.uid = n->uid;
	v.gid = n->gid;
	v.nlink = n->nlink;
	return vn_get(&v);
}

/* The root of /proc, asked of IS (mount.c crosses into it). */
int procfs_root(struct vnode **out)
{
	struct procfs_msg r;
	endpoint_t ep;
	int e;

	if ((ep = is_find()) < 0)
		return -EIO;
	e = procfs_call_Mount(&is_mon, ep, &r);
	if (e < 0 || r.type != PROCFS_NODE)
		return is_error(e, &r);
	if (!(*out = node_to_vnode(&r.u.Node)))
		return -ENFILE;
	return 0;
}

/* /proc/mounts: made here from the mount table. */
static char mounts_text[512];

static struct vnode *mounts_vnode(void)
{
	struct vfs_fs_Node n;

	memset(&n, 0, sizeof(n));
	n.ino = PROCFS_MOUNTS_INO;
	n.mode = 0100444;
	n.nlink = 1;
	n.size = mount_list(mounts_text, sizeof(mounts_text));
	return vn_get(&n);
}

int procfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	struct procfs_msg r;
	struct vfs_fs_msg pr;
	uint32_t up;
	endpoint_t ep;
	int e;

	if (!is_procfs(dir)) {
		return PROCFS_NOT_MINE;
	} else if (len == 2 && name[0] == '.' && name[1] == '.' && dir->ino == PROCFS_ROOT) {
		/* the parent of the directory /proc covers, in the root fs */
		if ((up = mount_procfs_covered()) == 0) {
			*out = vn_dup(root_vn);
			return 0;
		}
		if ((e = vfs_fs_call_Lookup(&fs_mon, fs_ep, (uint64_t)"..", self_ep, 2, up,
		    &pr)) < 0 || pr.type != VFS_FS_NODE)
			return fs_error(e, &pr);
		return (*out = vn_get(&pr.u.Node)) ? 0 : -ENFILE;
	} else if (dir->ino == PROCFS_ROOT && len == 6 && !memcmp(name, "mounts", 6)) {
		return (*out = mounts_vnode()) ? 0 : -ENFILE;
	} else {
		if ((ep = is_find()) < 0)
			return -EIO;
		memcpy(xfer, name, len);
		grant_xfer(ep);
		e = procfs_call_Lookup(&is_mon, ep, GRANT_PROCFS, dir->ino, (uint32_t)len, &r);
		revoke_xfer();
	}
	if (e < 0 || r.type != PROCFS_NODE)
		return is_error(e, &r);
	if (!(*out = node_to_vnode(&r.u.Node)))
		return -ENFILE;
	return 0;
}

int fs_stat(uint32_t ino, struct vfs_fs_msg *out)
{
	struct procfs_msg r;
	endpoint_t ep;
	int e;

	if (!(ino & PROCFS_INO))
		return vfs_fs_call_Stat(&fs_mon, fs_ep, ino, out);
	memset(out, 0, sizeof(*out));
	if (ino == PROCFS_MOUNTS_INO) {
		out->type = VFS_FS_ATTR;
		out->u.Attr.ino = ino;
		out->u.Attr.mode = 0100444;
		out->u.Attr.nlink = 1;
		out->u.Attr.size = mount_list(mounts_text, sizeof(mounts_text));
		out->u.Attr.blksize = 1024;
		return 0;
	}
	out->type = VFS_FS_FAIL;
	if ((ep = is_find()) < 0) {
		out->u.Fail.error = -EIO;
		return 0;
	}
	if ((e = procfs_call_Stat(&is_mon, ep, ino, &r)) < 0 || r.type != PROCFS_NODE) {
		out->u.Fail.error = is_error(e, &r);
		return 0;
	}
	out->type = VFS_FS_ATTR;
	out->u.Attr.size = r.u.Node.size;
	out->u.Attr.ino = r.u.Node.ino;
	out->u.Attr.mode = r.u.Node.mode;
	out->u.Attr.nlink = r.u.Node.nlink;
	out->u.Attr.uid = r.u.Node.uid;
	out->u.Attr.gid = r.u.Node.gid;
	out->u.Attr.atime = out->u.Attr.mtime = out->u.Attr.ctime = r.u.Node.mtime;
	out->u.Attr.blksize = 1024;
	return 0;
}

/* Read and Getdents: IS fills xfer, VFS copies it on to addr in ep. */
static int is_transfer(int dents, uint64_t pos, uint64_t addr, endpoint_t ep,
    uint32_t ino, uint32_t len, struct vfs_fs_msg *out)
{
	struct procfs_msg r;
	endpoint_t is;
	int64_t n;
	int e;

	memset(out, 0, sizeof(*out));
	out->type = VFS_FS_FAIL;
	out->u.Fail.error = -EIO;
	if ((is = is_find()) < 0)
		return 0;
	if (len > sizeof(xfer))
		len = sizeof(xfer);
	grant_xfer(is);
	if (dents)
		e = procfs_call_Getdents(&is_mon, is, pos, GRANT_PROCFS, ino, len, &r);
	else
		e = procfs_call_Read(&is_mon, is, pos, GRANT_PROCFS, ino, len, &r);
	revoke_xfer();
	if (e < 0 || r.type != (dents ? PROCFS_DENTS : PROCFS_OK)) {
		out->u.Fail.error = is_error(e, &r);
		return 0;
	}
	n = dents ? r.u.Dents.bytes : r.u.Ok.value;
	if (n < 0 || n > (int64_t)len)
		return 0;
	if (n && sys_vcopy(SELF, (uint64_t)xfer, ep == self_ep ? SELF : ep, addr, (uint64_t)n) < 0) {
		out->u.Fail.error = -EFAULT;
		return 0;
	}
	if (dents) {
		out->type = VFS_FS_DENTS;
		out->u.Dents.cookie = r.u.Dents.cookie;
		out->u.Dents.bytes = n;
	} else {
		out->type = VFS_FS_OK;
		out->u.Ok.value = n;
	}
	return 0;
}

int fs_read(uint64_t off, uint64_t addr, endpoint_t ep, uint32_t ino, uint32_t len,
    struct vfs_fs_msg *out)
{
	if (!(ino & PROCFS_INO))
		return vfs_fs_call_Read(&fs_mon, fs_ep, off, addr, ep, ino, len, out);
	if (ino == PROCFS_MOUNTS_INO) {
		size_t n = mount_list(mounts_text, sizeof(mounts_text));
		memset(out, 0, sizeof(*out));
		out->type = VFS_FS_OK;
		if (off >= n)
			return 0;
		if (len > n - off)
			len = (uint32_t)(n - off);
		if (sys_vcopy(SELF, (uint64_t)mounts_text + off, ep == self_ep ? SELF : ep,
		    addr, len) < 0) {
			out->type = VFS_FS_FAIL;
			out->u.Fail.error = -EFAULT;
			return 0;
		}
		out->u.Ok.value = len;
		return 0;
	}
	return is_transfer(0, off, addr, ep, ino, len, out);
}

int fs_getdents(uint64_t cookie, uint64_t addr, endpoint_t ep, uint32_t ino, uint32_t len,
    struct vfs_fs_msg *out)
{
	if (!(ino & PROCFS_INO))
		return vfs_fs_call_Getdents(&fs_mon, fs_ep, cookie, addr, ep, ino, len, out);
	return is_transfer(1, cookie, addr, ep, ino, len, out);
}
