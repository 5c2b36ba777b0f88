/*
 * ext2: the file server. It wraps lib/ext2 and serves the VFS <-> file
 * system protocol (contracts/vfs_fs.contract) for one file system.
 *
 * The disk, for now, is a RAM disk: a copy of the boot image's data entry
 * `rootfs` (build/rootfs.img, made by tools/mkrootfs), mapped read-only
 * through `memory bootimage`. Writes live until power-off; the virtio-blk
 * driver (issue 4) will replace ramdisk_read/ramdisk_write with blockdev
 * calls. Data goes between the library and the user's memory through one
 * bounce buffer with KC_VCOPY (lib/ext2 copies out of its block cache).
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <bulkhead/image.h>
#include "../../lib/ext2/ext2.h"
#include <vfs_fs.h>

#define RAMDISK_MAX	(64u << 20)
#define BOOTIMG_VA	0x40000000ul	/* where the boot image is mapped */
#define CHUNK		16384

static uint8_t ramdisk[RAMDISK_MAX] __attribute__((aligned(4096)));
static uint64_t ramdisk_size;
static struct ext2_fs fs;
static uint8_t bounce[CHUNK];
static struct contract_monitor mon;

static int ramdisk_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	(void)ctx;
	if (sector * 512 + (uint64_t)count * 512 > ramdisk_size)
		return -EIO;
	memcpy(buf, ramdisk + sector * 512, (size_t)count * 512);
	return 0;
}

static int ramdisk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	(void)ctx;
	if (sector * 512 + (uint64_t)count * 512 > ramdisk_size)
		return -EIO;
	memcpy(ramdisk + sector * 512, buf, (size_t)count * 512);
	return 0;
}

/* Copy the boot image's `rootfs` entry into the RAM disk. */
static int load_rootfs(void)
{
	struct info_kernel ik;
	const struct image_header *h;
	uint64_t len;
	uint32_t i;
	long r;

	if ((r = sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik))) < 0)
		return (int)r;
	len = (ik.boot_image_size + 4095) & ~4095ul;
	if ((r = sys_mapphys(BOOTIMG_VA, ik.boot_image_phys, len, PROT_R)) < 0)
		return (int)r;
	h = (const struct image_header *)BOOTIMG_VA;
	if (memcmp(h->magic, IMAGE_MAGIC, 8) || h->count > IMAGE_MAX)
		return -EINVAL;
	for (i = 0; i < h->count; i++) {
		const struct image_entry *e = &h->entry[i];
		if (e->kind != IMAGE_FILE || strcmp(e->name, "rootfs"))
			continue;
		if (e->size > RAMDISK_MAX || e->offset > ik.boot_image_size ||
		    e->size > ik.boot_image_size - e->offset)
			return -EFBIG;
		memcpy(ramdisk, (const uint8_t *)BOOTIMG_VA + e->offset, e->size);
		ramdisk_size = e->size & ~511ul;
		return 0;
	}
	return -ENOENT;
}

static int reply_node(endpoint_t to, uint32_t ino)
{
	struct ext2_stat st;
	int r;

	if ((r = ext2_stat(&fs, ino, &st)) < 0)
		return vfs_fs_reply_Fail(&mon, to, r);
	return vfs_fs_reply_Node(&mon, to, st.size, st.ino, st.mode, st.uid,
	    st.gid, st.nlink, st.rdev);
}

/* A name from VFS's memory into buf (NUL-terminated for the library's sake). */
static int get_name(endpoint_t ep, uint64_t addr, uint32_t len, char *buf)
{
	long r;

	if (len == 0 || len > EXT2_NAME_MAX)
		return -ENAMETOOLONG;
	if ((r = sys_vcopy(ep, addr, SELF, (uint64_t)buf, len)) < 0)
		return (int)r;
	buf[len] = 0;
	return 0;
}

static long do_read(struct vfs_fs_Read *a)
{
	uint64_t done = 0;

	while (done < a->len) {
		size_t n = a->len - done > CHUNK ? CHUNK : a->len - done;
		long got = ext2_read(&fs, a->ino, a->offset + done, bounce, n);
		long r;
		if (got < 0)
			return done ? (long)done : got;
		if (got == 0)
			break;
		if ((r = sys_vcopy(SELF, (uint64_t)bounce, a->ep, a->addr + done, (size_t)got)) < 0)
			return done ? (long)done : r;
		done += (uint64_t)got;
		if ((size_t)got < n)
			break;
	}
	return (long)done;
}

static long do_write(struct vfs_fs_Write *a)
{
	uint64_t done = 0;

	while (done < a->len) {
		size_t n = a->len - done > CHUNK ? CHUNK : a->len - done;
		long r;
		if ((r = sys_vcopy(a->ep, a->addr + done, SELF, (uint64_t)bounce, n)) < 0)
			return done ? (long)done : r;
		r = ext2_write(&fs, a->ino, a->offset + done, bounce, n);
		if (r < 0)
			return done ? (long)done : r;
		done += (uint64_t)r;
		if ((size_t)r < n)
			break;
	}
	return (long)done;
}

/* getdents: Linux struct linux_dirent64 records, built in the bounce buffer. */
struct dents_ctx {
	size_t used, cap;
	uint64_t cookie;
};

static int fill(void *arg, uint32_t ino, uint8_t type, const char *name,
    size_t len, uint64_t next)
{
	struct dents_ctx *c = arg;
	size_t reclen = (19 + len + 1 + 7) & ~(size_t)7;
	uint8_t *p = bounce + c->used;
	uint64_t ino64 = ino;
	uint16_t rl = (uint16_t)reclen;

	if (c->used + reclen > c->cap)
		return 1;
	memset(p, 0, reclen);
	memcpy(p, &ino64, 8);
	memcpy(p + 8, &next, 8);
	memcpy(p + 16, &rl, 2);
	p[18] = type;
	memcpy(p + 19, name, len);
	c->used += reclen;
	c->cookie = next;
	return 0;
}

static void do_getdents(endpoint_t to, struct vfs_fs_Getdents *a)
{
	struct dents_ctx c = { 0, a->len > CHUNK ? CHUNK : a->len, a->cookie };
	uint64_t cookie = a->cookie;
	long r;

	r = ext2_getdents(&fs, a->ino, &cookie, fill, &c);
	if (r < 0 && r != 1) {
		vfs_fs_reply_Fail(&mon, to, (int)r);
		return;
	}
	if (c.used == 0 && r > 0) {	/* the next entry does not fit at all */
		vfs_fs_reply_Fail(&mon, to, -EINVAL);
		return;
	}
	if (c.used && (r = sys_vcopy(SELF, (uint64_t)bounce, a->ep, a->addr, c.used)) < 0) {
		vfs_fs_reply_Fail(&mon, to, (int)r);
		return;
	}
	vfs_fs_reply_Dents(&mon, to, c.used ? c.cookie : cookie, (int64_t)c.used);
}

static void serve(struct vfs_fs_msg *m)
{
	static char name[EXT2_NAME_MAX + 1], name2[EXT2_NAME_MAX + 1];
	static char target[4096];
	endpoint_t to = m->peer;
	uint32_t ino = 0;
	long r = 0;

	switch (m->type) {
	case VFS_FS_MOUNT:
		reply_node(to, EXT2_ROOT_INO);
		return;
	case VFS_FS_LOOKUP: {
		struct vfs_fs_Lookup *a = &m->u.Lookup;
		if ((r = get_name(a->ep, a->name, a->len, name)) == 0 &&
		    (r = ext2_lookup(&fs, a->dir, name, a->len, &ino)) == 0) {
			reply_node(to, ino);
			return;
		}
		break;
	}
	case VFS_FS_STAT: {
		struct ext2_stat st;
		if ((r = ext2_stat(&fs, m->u.Stat.ino, &st)) == 0) {
			vfs_fs_reply_Attr(&mon, to, st.size, st.blocks, st.ino, st.mode,
			    st.nlink, st.uid, st.gid, st.rdev, st.atime, st.mtime,
			    st.ctime, st.blksize);
			return;
		}
		break;
	}
	case VFS_FS_OPEN:
		r = ext2_open(&fs, m->u.Open.ino);
		break;
	case VFS_FS_CLOSE:
		r = ext2_close(&fs, m->u.Close.ino);
		break;
	case VFS_FS_READ:
		r = do_read(&m->u.Read);
		break;
	case VFS_FS_WRITE:
		r = do_write(&m->u.Write);
		break;
	case VFS_FS_TRUNCATE:
		r = ext2_truncate(&fs, m->u.Truncate.ino, m->u.Truncate.size);
		break;
	case VFS_FS_CREATE: {
		struct vfs_fs_Create *a = &m->u.Create;
		if ((r = get_name(a->ep, a->name, a->len, name)) < 0)
			break;
		if (EXT2_S_ISDIR(a->mode))
			r = ext2_mkdir(&fs, a->dir, name, a->len, a->mode, a->uid, a->gid, &ino);
		else if (EXT2_S_ISREG(a->mode))
			r = ext2_create(&fs, a->dir, name, a->len, a->mode, a->uid, a->gid, &ino);
		else
			r = ext2_mknod(&fs, a->dir, name, a->len, a->mode, a->rdev, a->uid, a->gid, &ino);
		if (r == 0) {
			reply_node(to, ino);
			return;
		}
		break;
	}
	case VFS_FS_SYMLINK: {
		struct vfs_fs_Symlink *a = &m->u.Symlink;
		if ((r = get_name(a->ep, a->name, a->len, name)) < 0 ||
		    (r = sys_vcopy(a->ep, a->target, SELF, (uint64_t)target, a->tlen)) < 0)
			break;
		if ((r = ext2_symlink(&fs, a->dir, name, a->len, target, a->tlen,
		    a->uid, a->gid, &ino)) == 0) {
			reply_node(to, ino);
			return;
		}
		break;
	}
	case VFS_FS_LINK: {
		struct vfs_fs_Link *a = &m->u.Link;
		if ((r = get_name(a->ep, a->name, a->len, name)) == 0)
			r = ext2_link(&fs, a->dir, name, a->len, a->ino);
		break;
	}
	case VFS_FS_UNLINK: {
		struct vfs_fs_Unlink *a = &m->u.Unlink;
		if ((r = get_name(a->ep, a->name, a->len, name)) < 0)
			break;
		r = a->isdir ? ext2_rmdir(&fs, a->dir, name, a->len) :
		    ext2_unlink(&fs, a->dir, name, a->len);
		break;
	}
	case VFS_FS_RENAME: {
		struct vfs_fs_Rename *a = &m->u.Rename;
		if ((r = get_name(a->ep, a->oname, a->olen, name)) == 0 &&
		    (r = get_name(a->ep, a->nname, a->nlen, name2)) == 0)
			r = ext2_rename(&fs, a->odir, name, a->olen, a->ndir, name2, a->nlen);
		break;
	}
	case VFS_FS_READLINK: {
		struct vfs_fs_Readlink *a = &m->u.Readlink;
		size_t n = a->len > sizeof(target) ? sizeof(target) : a->len;
		if ((r = ext2_readlink(&fs, a->ino, target, n)) > 0 &&
		    sys_vcopy(SELF, (uint64_t)target, a->ep, a->addr, (size_t)r) < 0)
			r = -EFAULT;
		break;
	}
	case VFS_FS_SETATTR: {
		struct vfs_fs_SetAttr *a = &m->u.SetAttr;
		if (a->what & 1)
			r = ext2_chmod(&fs, a->ino, a->mode);
		if (r == 0 && (a->what & 2))
			r = ext2_chown(&fs, a->ino, a->uid, a->gid);
		if (r == 0 && (a->what & 4))
			r = ext2_utimes(&fs, a->ino, a->atime, a->mtime);
		break;
	}
	case VFS_FS_GETDENTS:
		do_getdents(to, &m->u.Getdents);
		return;
	case VFS_FS_SYNC:
		r = ext2_sync(&fs);
		break;
	case VFS_FS_STATFS:
		vfs_fs_reply_Info(&mon, to, fs.sb.s_blocks_count, fs.sb.s_free_blocks_count,
		    fs.sb.s_inodes_count, fs.sb.s_free_inodes_count, fs.bsize);
		return;
	default:
		r = -ENOSYS;
	}
	if (r < 0)
		vfs_fs_reply_Fail(&mon, to, (int)(r < -4095 ? -EIO : r));
	else
		vfs_fs_reply_Ok(&mon, to, r);
}

static void log_line(const char *s)
{
	printf("ext2: %s\n", s);
}

int main(void)
{
	struct ext2_dev dev = { 0 };
	struct vfs_fs_msg m;
	message_t raw;
	int r;

	contract_log_hook = log_line;
	vfs_fs_monitor_init(&mon, CONTRACT_SERVER);
	if ((r = load_rootfs()) < 0) {
		printf("ext2: no root file system in the boot image (%d)\n", r);
		return 1;
	}
	dev.nsectors = ramdisk_size / 512;
	dev.read = ramdisk_read;
	dev.write = ramdisk_write;
	if ((r = ext2_mount(&fs, &dev, 0)) < 0) {
		printf("ext2: mount failed (%d)\n", r);
		return 1;
	}
	printf("ext2: root file system mounted, %lu KiB\n", (unsigned long)(ramdisk_size >> 10));
	for (;;) {
		if (ipc_receive(ANY, &raw) < 0)
			continue;
		if (raw.type == MSG_NOTIFY)
			continue;
		if (vfs_fs_accept(&mon, &raw, &m) < 0)
			continue;	/* refused and logged; the sender was told */
		serve(&m);
	}
}
