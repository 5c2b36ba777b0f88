/*
 * ext2: the file server. It wraps lib/ext2 and serves the VFS <-> file
 * system protocol (contracts/vfs_fs.contract) for one file system, the
 * root, on the disk that the block driver `virtio-blk` serves (disk.c).
 *
 * lib/ext2 keeps changed blocks in its cache; they reach the disk when
 * VFS asks for a sync, when a file is closed after a change (issue 3:
 * write-back on sync and close), when the cache needs their buffer, and
 * SYNC_DELAY after a change that no close followed (an unlink, a mkdir),
 * so that a machine switched off without `sync` loses at most that much.
 * Data goes between the library and the user's memory through one
 * bounce buffer with KC_VCOPY (lib/ext2 copies out of its block cache).
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include "fs.h"
#include <vfs_fs.h>

#define CHUNK		16384
#define SYNC_DELAY	200	/* ticks (2 s at 100 Hz) */

static struct ext2_fs fs;
static uint8_t bounce[CHUNK];
static struct contract_monitor mon;
static int alarm_set;

/* Does the cache hold anything the disk has not seen? */
static int fs_dirty(void)
{
	return fs.sb_dirty || fs.ndirty > 0;
}

/*
 * The file system's clock. There is no wall clock yet (no RTC driver:
 * servers/pm/time.c), but a zero time is wrong on disk: an inode with
 * i_dtime 0 is "not deleted" to e2fsck. So time starts where the file
 * system's own clock stopped (its last mount or write, read from the
 * superblock before mounting) and runs with the kernel's ticks: never
 * zero, never backwards from one boot to the next.
 */
static uint32_t clock_base;

static uint32_t fs_clock(void *ctx)
{
	struct info_kernel ik;

	(void)ctx;
	if (sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik)) < 0 || ik.hz == 0)
		return clock_base;
	return clock_base + (uint32_t)(ik.ticks / ik.hz);
}

static int read_clock_base(void)
{
	static struct ext2_super sb __attribute__((aligned(512)));
	int r;

	/* The superblock is the two sectors at byte 1024. */
	if ((r = disk_read(0, 2, sizeof(sb) / 512, &sb)) < 0)
		return r;
	clock_base = (sb.s_wtime > sb.s_mtime ? sb.s_wtime : sb.s_mtime) + 1;
	return 0;
}

/* Write back; a failure is kept in the cache for the next try and said. */
static int write_back(void)
{
	int r = ext2_sync(&fs);

	if (r < 0)
		printf("ext2: write-back failed (%d); kept for the next sync\n", r);
	return r;
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
	int full;		/* an entry did not fit: the walk stopped before it */
};

static int fill(void *arg, uint32_t ino, uint8_t type, const char *name,
    size_t len, uint64_t next)
{
	struct dents_ctx *c = arg;
	size_t reclen = (19 + len + 1 + 7) & ~(size_t)7;
	uint8_t *p = bounce + c->used;
	uint64_t ino64 = ino;
	uint16_t rl = (uint16_t)reclen;

	if (c->used + reclen > c->cap) {
		c->full = 1;
		return 1;
	}
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
	struct dents_ctx c = { 0, a->len > CHUNK ? CHUNK : a->len, a->cookie, 0 };
	uint64_t cookie = a->cookie;
	long r;

	r = ext2_getdents(&fs, a->ino, &cookie, fill, &c);
	if (r < 0) {
		vfs_fs_reply_Fail(&mon, to, (int)r);
		return;
	}
	if (c.used == 0 && c.full) {	/* the next entry does not fit at all: as Linux */
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

	if (!fs.mounted) {	/* after Unmount nothing may reach the disk */
		vfs_fs_reply_Fail(&mon, to, -EIO);
		return;
	}
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
		/* A close after a change writes back: the file and what
		 * its creation changed are on the disk once it is closed. */
		if ((r = ext2_close(&fs, m->u.Close.ino)) == 0 && fs_dirty())
			(void)write_back();
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
		r = write_back();
		break;
	case VFS_FS_UNMOUNT:
		/* Power off: VFS closed every inode first. ext2_unmount writes
		 * back and stores the state found at mount (clean) on the disk. */
		if ((r = ext2_unmount(&fs)) < 0)
			printf("ext2: unmount failed (%ld): the disk stays marked in use\n", r);
		else
			printf("ext2: unmounted, file system marked clean\n");
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
	uint64_t sectors;
	int r;

	contract_log_hook = log_line;
	vfs_fs_monitor_init(&mon, CONTRACT_SERVER);
	if ((r = disk_open("virtio-blk", &sectors)) < 0) {
		printf("ext2: no disk: virtio-blk did not open (%d); is one attached?\n", r);
		return 1;
	}
	if ((r = read_clock_base()) < 0) {
		printf("ext2: cannot read the superblock (%d)\n", r);
		return 1;
	}
	dev.nsectors = sectors;
	dev.read = disk_read;
	dev.write = disk_write;
	dev.now = fs_clock;
	if ((r = ext2_mount(&fs, &dev, 0)) < 0) {
		printf("ext2: mount failed (%d)\n", r);
		return 1;
	}
	printf("ext2: root file system mounted from virtio-blk, %lu KiB\n",
	    (unsigned long)(sectors >> 1));
	for (;;) {
		if (ipc_receive(ANY, &raw) < 0)
			continue;
		if (raw.type == MSG_NOTIFY) {
			if (raw.source == CLOCK) {	/* SYNC_DELAY after a change */
				alarm_set = 0;
				if (fs_dirty())
					(void)write_back();
			}
			continue;
		}
		if (vfs_fs_accept(&mon, &raw, &m) < 0)
			continue;	/* refused and logged; the sender was told */
		serve(&m);
		if (!alarm_set && fs_dirty() && sys_alarm(SYNC_DELAY) >= 0)
			alarm_set = 1;
	}
}
