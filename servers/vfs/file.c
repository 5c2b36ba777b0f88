/*
 * The file system calls. Each takes the calling process and the forwarded
 * MSG_SYSCALL (q[0] = number, q[1..6] = arguments) and returns the value
 * to reply, a negative errno, or SUSPEND when the call must wait (a pipe
 * or terminal read, a full pipe, poll/select): the request is then kept in
 * the process's slot and run again after every event.
 */
#include "vfs.h"

#define LINUX_NR(n, name) NR_##name = n,
#include <bulkhead/linux_syscalls.h>
enum { LINUX_SYSCALL_LIST(LINUX_NR) NR_mknod = 133 };	/* mknod: not in the list yet */

struct proc procs[NPROC];
static struct filp filps[NFILP];
static struct pipe pipes[NPIPE];
static uint8_t iobuf[4096];	/* sendfile's bounce buffer */

#define A(i)	(m->u.q[(i) + 1])	/* the i-th syscall argument */

/* ---- processes and descriptors ---- */

struct proc *proc_get(endpoint_t ep, int create)
{
	struct proc *p = &procs[ENDPOINT_SLOT(ep)];

	if (p->ep == ep)
		return p;
	if (!create)
		return NULL;
	if (p->ep)		/* a dead incarnation PM never told us about */
		proc_clear(p);
	memset(p, 0, sizeof(*p));
	p->ep = ep;
	p->umask = 022;
	p->cwd = vn_dup(root_vn);
	return p;
}

struct filp *filp_dup(struct filp *f)
{
	f->ref++;
	return f;
}

static int pipe_end_closed(struct vnode *v, int flags);

void filp_put(struct filp *f)
{
	if (!f || --f->ref > 0)
		return;
	if (f->vn->kind == VN_PIPE)
		pipe_end_closed(f->vn, f->flags);
	if (f->vn->kind == VN_SOCK)
		sock_release(f->vn);
	vn_put(f->vn);
	f->vn = NULL;
}

void proc_clear(struct proc *p)
{
	int i;

	for (i = 0; i < NFD; i++)
		if (p->fd[i]) {
			filp_put(p->fd[i]);
			p->fd[i] = NULL;
		}
	vn_put(p->cwd);
	p->cwd = NULL;
	p->ep = 0;
	p->susp = 0;
}

void proc_copy(struct proc *c, struct proc *par)
{
	int i;

	for (i = 0; i < NFD; i++)
		c->fd[i] = par->fd[i] ? filp_dup(par->fd[i]) : NULL;
	c->cloexec = par->cloexec;
	c->ctty = par->ctty;
	vn_put(c->cwd);
	c->cwd = vn_dup(par->cwd);
	c->umask = par->umask;
	c->uid = par->uid;
	c->gid = par->gid;
	c->euid = par->euid;
	c->egid = par->egid;
}

void close_cloexec(struct proc *p)
{
	int i;

	for (i = 0; i < NFD; i++)
		if (p->fd[i] && (p->cloexec & (1ull << i))) {
			filp_put(p->fd[i]);
			p->fd[i] = NULL;
		}
	p->cloexec = 0;
}

static struct filp *getf(struct proc *p, long fd)
{
	if (fd < 0 || fd >= NFD)
		return NULL;
	return p->fd[fd];
}

struct filp *filp_new(struct vnode *v, int flags)
{
	struct filp *f;

	for (f = filps; f < filps + NFILP; f++)
		if (!f->ref) {
			f->ref = 1;
			f->flags = flags;
			f->off = 0;
			f->vn = v;
			return f;
		}
	return NULL;
}

int fd_install(struct proc *p, struct filp *f, int min, int cloexec)
{
	int i;

	for (i = min; i < NFD; i++)
		if (!p->fd[i]) {
			p->fd[i] = f;
			if (cloexec)
				p->cloexec |= 1ull << i;
			else
				p->cloexec &= ~(1ull << i);
			return i;
		}
	return -EMFILE;
}

/*
 * ---- devices: 4 and 5 (terminals) to tty, 1 (null, zero, full, random,
 * urandom) to the memory driver, 6 (lp0) to lpt, 14 (OSS sound: mixer 0,
 * dsp 3) to ac97. Without a memory driver in the image, null and zero are
 * served here. ----
 */

#define MAJOR(d)	(((d) >> 8) & 0xfff)
#define MINOR(d)	(((d) & 0xff) | (((d) >> 12) & 0xfff00))

#define RDEV_TTY	(5 << 8)	/* /dev/tty: the caller's controlling terminal */

/* The minor a driver is asked for. The terminals are major 4's minors (0,
 * 1: the display console; 64: the serial line); /dev/console is the
 * serial line, and so is /dev/tty for a process without a controlling
 * terminal (TIOCSCTTY sets one, children inherit it). */
static uint32_t dev_minor(const struct proc *p, const struct vnode *v)
{
	uint32_t rdev = v->rdev == RDEV_TTY && p && p->ctty ? p->ctty : v->rdev;

	return MAJOR(rdev) == 5 ? 64 : MINOR(rdev);
}

enum { DEV_NONE, DEV_NULL, DEV_ZERO, DEV_TTY, DEV_CHAR, DEV_DISK };

/* The character drivers behind DEV_CHAR, by major. */
static struct char_drv {
	unsigned major;
	const char *name;
	endpoint_t *ep;
	struct contract_monitor *mon;
} char_drvs[] = {
	{ 1, "memory", &mem_ep, &mem_mon },
	{ 6, "lpt", &lpt_ep, &lpt_mon },
	{ 14, "ac97", &ac97_ep, &ac97_mon },
};

static struct char_drv *char_drv_of(struct vnode *v)
{
	unsigned i;

	for (i = 0; i < sizeof(char_drvs) / sizeof(char_drvs[0]); i++)
		if (char_drvs[i].major == MAJOR(v->rdev))
			return &char_drvs[i];
	return NULL;
}

static int dev_kind(struct vnode *v)
{
	struct char_drv *d;

	if (v->kind == VN_FS && S_ISBLK(v->mode))
		return disk_present(v->rdev) ? DEV_DISK : -ENXIO;
	if (v->kind != VN_FS || !S_ISCHR(v->mode))
		return DEV_NONE;
	if ((d = char_drv_of(v)) && *d->ep >= 0)
		return DEV_CHAR;
	if (MAJOR(v->rdev) == 1 && MINOR(v->rdev) == 3)
		return DEV_NULL;
	if (MAJOR(v->rdev) == 1 && MINOR(v->rdev) == 5)
		return DEV_ZERO;
	if (MAJOR(v->rdev) == 4 || MAJOR(v->rdev) == 5)
		return DEV_TTY;
	return -ENXIO;
}

/*
 * The driver of a device (DEV_CHAR, else the terminal), and the monitor
 * VFS speaks to it with. A driver RS restarted is a new process: a call
 * to the old endpoint fails with EDEADSRCDST, and char_redo() looks the
 * driver up again by name (RS names the new process after its service).
 */
static endpoint_t char_driver(struct vnode *v, struct contract_monitor **mon)
{
	struct char_drv *d = dev_kind(v) == DEV_CHAR ? char_drv_of(v) : NULL;

	*mon = d ? d->mon : &tty_mon;
	return d ? *d->ep : tty_ep;
}

static int char_redo(struct vnode *v, int e)
{
	struct char_drv *d = dev_kind(v) == DEV_CHAR ? char_drv_of(v) : NULL;
	endpoint_t ep;

	if (e != -EDEADSRCDST && e != -ESRCH)
		return 0;
	if (!d)
		return dev_kind(v) == DEV_TTY && tty_reconnect();
	if ((ep = lookup_endpoint(d->name)) < 0 || ep == *d->ep)
		return 0;
	*d->ep = ep;
	chardev_monitor_init(d->mon, CONTRACT_CLIENT);
	return 1;
}

static long zero_fill(endpoint_t ep, uint64_t addr, size_t len)
{
	static const uint8_t zeros[4096];
	size_t done = 0;

	while (done < len) {
		size_t n = len - done > sizeof(zeros) ? sizeof(zeros) : len - done;
		if (sys_vcopy(SELF, (uint64_t)zeros, ep, addr + done, n) < 0)
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

static long tty_io(struct proc *p, int write, struct vnode *v, endpoint_t ep, uint64_t addr,
    size_t len)
{
	struct contract_monitor *mon;
	endpoint_t drv;
	struct chardev_msg r;
	int e;

	if (len > 0x7fffffff)
		len = 0x7fffffff;
	do {
		if ((drv = char_driver(v, &mon)) < 0)
			return -ENXIO;
		if (write)
			e = chardev_call_Write(mon, drv, addr, ep, (uint32_t)len, dev_minor(p, v), &r);
		else
			e = chardev_call_Read(mon, drv, addr, ep, (uint32_t)len, dev_minor(p, v), &r);
	} while (e < 0 && char_redo(v, e));
	if ((e == -EDEADSRCDST || e == -ESRCH) && dev_kind(v) == DEV_TTY)
		return -EAGAIN;	/* RS is restarting the tty: wait for its wake-up */
	if (e == -EDEADSRCDST || e == -ESRCH)
		return -EIO;	/* a driver down and not back: IPC's errors are not the program's */
	if (e < 0)
		return e;
	if (r.type == CHARDEV_OK)
		return r.u.Ok.value;
	return r.type == CHARDEV_FAIL ? r.u.Fail.error : -EIO;
}

/* ---- pipes ---- */

static int pipe_end_closed(struct vnode *v, int flags)
{
	struct pipe *pp = &pipes[v->pipe];

	if ((flags & O_ACCMODE) == O_RDONLY)
		pp->readers--;
	else
		pp->writers--;
	if (!pp->readers && !pp->writers)
		pp->used = 0;
	return 0;
}

static long pipe_read(struct filp *f, endpoint_t ep, uint64_t addr, size_t len, int nonblock)
{
	struct pipe *pp = &pipes[f->vn->pipe];
	size_t done = 0;

	if (len == 0)
		return 0;
	if (pp->len == 0) {
		if (!pp->writers)
			return 0;
		return nonblock ? -EAGAIN : SUSPEND;
	}
	while (done < len && pp->len) {
		size_t n = PIPE_SIZE - pp->head;
		if (n > pp->len)
			n = pp->len;
		if (n > len - done)
			n = len - done;
		if (sys_vcopy(SELF, (uint64_t)pp->buf + pp->head, ep, addr + done, n) < 0)
			return done ? (long)done : -EFAULT;
		pp->head = (pp->head + (uint32_t)n) % PIPE_SIZE;
		pp->len -= (uint32_t)n;
		done += n;
	}
	return (long)done;
}

/* done: bytes of this request already written by earlier attempts. */
static long pipe_write(struct proc *p, struct filp *f, endpoint_t ep, uint64_t addr,
    size_t len, int nonblock, uint64_t *done)
{
	struct pipe *pp = &pipes[f->vn->pipe];
	size_t space = PIPE_SIZE - pp->len;

	if (!pp->readers) {
		if (p)
			queue_signal(p->ep, 0, 13);	/* SIGPIPE */
		return -EPIPE;
	}
	if (len - *done == 0)
		return (long)*done;
	if ((len <= PIPE_BUF && space < len) || space == 0)
		return nonblock ? (*done ? (long)*done : -EAGAIN) : SUSPEND;
	while (*done < len && pp->len < PIPE_SIZE) {
		uint32_t tail = (pp->head + pp->len) % PIPE_SIZE;
		size_t n = tail >= pp->head ? PIPE_SIZE - tail : pp->head - tail;

		if (n > len - *done)
			n = len - *done;
		if (sys_vcopy(ep, addr + *done, SELF, (uint64_t)pp->buf + tail, n) < 0)
			return *done ? (long)*done : -EFAULT;
		pp->len += (uint32_t)n;
		*done += n;
	}
	if (*done < len && !nonblock)
		return SUSPEND;
	return (long)*done;
}

static struct vnode *pipe_vnode(void)
{
	static struct vfs_fs_Node none;
	struct vnode *v;
	int i;

	for (i = 0; i < NPIPE && pipes[i].used; i++)
		;
	if (i == NPIPE)
		return NULL;
	/* a private vnode: kind VN_PIPE never matches an inode lookup */
	none.ino = 0xffffffffu - (uint32_t)i;
	if (!(v = vn_get(&none)))
		return NULL;
	v->kind = VN_PIPE;
	v->mode = S_IFIFO | 0600;
	v->pipe = i;
	memset(&pipes[i], 0, sizeof(pipes[i]) - PIPE_SIZE);
	pipes[i].used = 1;
	return v;
}

static long do_pipe(struct proc *p, uint64_t uaddr, int flags)
{
	struct vnode *v;
	struct filp *r, *w;
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!(v = pipe_vnode()))
		return -ENFILE;
	if (!(r = filp_new(v, O_RDONLY | (flags & O_NONBLOCK)))) {
		pipes[v->pipe].used = 0;
		vn_put(v);
		return -ENFILE;
	}
	if (!(w = filp_new(vn_dup(v), O_WRONLY | (flags & O_NONBLOCK)))) {
		pipes[v->pipe].readers = 1;
		filp_put(r);
		vn_put(v);
		return -ENFILE;
	}
	pipes[v->pipe].readers = 1;
	pipes[v->pipe].writers = 1;
	if ((fds[0] = fd_install(p, r, 0, flags & O_CLOEXEC)) < 0) {
		filp_put(r);
		filp_put(w);
		return -EMFILE;
	}
	if ((fds[1] = fd_install(p, w, 0, flags & O_CLOEXEC)) < 0) {
		p->fd[fds[0]] = NULL;
		filp_put(r);
		filp_put(w);
		return -EMFILE;
	}
	if (sys_vcopy(SELF, (uint64_t)fds, p->ep, uaddr, sizeof(fds)) < 0) {
		p->fd[fds[0]] = p->fd[fds[1]] = NULL;
		filp_put(r);
		filp_put(w);
		return -EFAULT;
	}
	return 0;
}

/* ---- read and write on any descriptor ---- */

/*
 * Read into ep's memory at addr. off: the offset to use (NULL: the
 * description's, advanced). nonblock forces a non-waiting read (readv
 * after its first piece).
 */
static long file_read(struct proc *p, struct filp *f, endpoint_t ep, uint64_t addr,
    size_t len, uint64_t *off, int nonblock)
{
	struct vnode *v = f->vn;
	struct vfs_fs_msg r;
	uint64_t *o = off ? off : &f->off;
	long n;
	int e;

	(void)p;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	nonblock |= f->flags & O_NONBLOCK;
	if (v->kind == VN_PIPE)
		return off ? -ESPIPE : pipe_read(f, ep, addr, len, nonblock);
	if (v->kind == VN_SOCK)
		return off ? -ESPIPE : sock_rw(p, f, ep, addr, len, 0, nonblock);
	switch (dev_kind(v)) {
	case DEV_NULL:
		return 0;
	case DEV_ZERO:
		return zero_fill(ep, addr, len);
	case DEV_TTY:
	case DEV_CHAR:
		n = tty_io(p, 0, v, ep, addr, len);
		return n == -EAGAIN && !nonblock ? SUSPEND : n;
	case DEV_DISK:
		return disk_io(v->rdev, 0, ep, addr, len, o);
	case DEV_NONE:
		break;
	default:
		return -ENXIO;
	}
	if (S_ISDIR(v->mode))
		return -EISDIR;
	if (len > 0x7ffff000)
		len = 0x7ffff000;
	if (len == 0)
		return 0;
	if ((e = fs_read(*o, addr, ep, v->ino, (uint32_t)len, &r)) < 0 ||
	    r.type != VFS_FS_OK)
		return fs_error(e, &r);
	*o += (uint64_t)r.u.Ok.value;
	return r.u.Ok.value;
}

static long file_write(struct proc *p, struct filp *f, endpoint_t ep, uint64_t addr,
    size_t len, uint64_t *off, int nonblock, uint64_t *done)
{
	struct vnode *v = f->vn;
	struct vfs_fs_msg r;
	uint64_t *o = off ? off : &f->off;
	uint64_t at;
	long n;
	int e;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	nonblock |= f->flags & O_NONBLOCK;
	if (v->kind == VN_PIPE)
		return off ? -ESPIPE : pipe_write(p, f, ep, addr, len, nonblock, done);
	if (v->kind == VN_SOCK)
		return off ? -ESPIPE : sock_rw(p, f, ep, addr, len, 1, nonblock);
	switch (dev_kind(v)) {
	case DEV_NULL:
	case DEV_ZERO:
		return (long)len;
	case DEV_CHAR:
		if (MAJOR(v->rdev) == 6)	/* resumed across a driver restart */
			return lpt_write(p, ep, addr, len, done);
		/* fall through */
	case DEV_TTY:	/* a full device buffer (the sound card's) waits; so does a
			 * write to a tty that RS is restarting */
		n = tty_io(p, 1, v, ep, addr, len);
		return n == -EAGAIN && !nonblock ? SUSPEND : n;
	case DEV_DISK:
		return disk_io(v->rdev, 1, ep, addr, len, o);
	case DEV_NONE:
		break;
	default:
		return -ENXIO;
	}
	if (len > 0x7ffff000)
		len = 0x7ffff000;
	if (len == 0)
		return 0;
	at = *o;
	if (f->flags & O_APPEND) {	/* Linux: pwrite on O_APPEND appends too */
		if ((e = fs_stat(v->ino, &r)) < 0 || r.type != VFS_FS_ATTR)
			return fs_error(e, &r);
		at = r.u.Attr.size;
	}
	if ((e = vfs_fs_call_Write(&fs_mon, fs_ep, at, addr, ep, v->ino, (uint32_t)len, &r)) < 0 ||
	    r.type != VFS_FS_OK)
		return fs_error(e, &r);
	if (!off || !(f->flags & O_APPEND))
		*o = at + (uint64_t)r.u.Ok.value;
	if (at + (uint64_t)r.u.Ok.value > v->size)
		v->size = at + (uint64_t)r.u.Ok.value;
	return r.u.Ok.value;
}

struct iovec64 {
	uint64_t base, len;
};

static long do_rwv(struct proc *p, long fd, uint64_t uiov, long cnt, int write,
    uint64_t *off)
{
	struct iovec64 iov[16];
	struct filp *f = getf(p, fd);
	uint64_t total = p->done;	/* bytes moved by earlier attempts */
	uint64_t skip = p->done;
	long i, r = 0;

	if (!f)
		return -EBADF;
	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	for (i = 0; i < cnt; i++) {
		uint64_t d = 0;
		if (i % 16 == 0 && sys_vcopy(p->ep, uiov + (uint64_t)i * sizeof(iov[0]), SELF,
		    (uint64_t)iov, (size_t)((cnt - i < 16 ? cnt - i : 16) * sizeof(iov[0]))) < 0)
			return total ? (long)total : -EFAULT;
		{
			struct iovec64 *v = &iov[i % 16];
			uint64_t base = v->base, len = v->len;
			if (len > 0x7ffff000)
				return -EINVAL;
			if (skip >= len) {
				skip -= len;
				continue;
			}
			base += skip;
			len -= skip;
			skip = 0;
			if (write)
				r = file_write(p, f, p->ep, base, len, off, total > 0, &d);
			else
				r = file_read(p, f, p->ep, base, len, off, total > 0);
			if (r == SUSPEND) {
				if (write)
					total += d;
				p->done = total;
				return SUSPEND;
			}
			if (r < 0)
				return total ? (long)total : r;
			total += (uint64_t)r;
			if ((uint64_t)r < len)
				break;
		}
	}
	return (long)total;
}

static long do_rw(struct proc *p, long fd, uint64_t addr, uint64_t len, int write,
    uint64_t *off)
{
	struct filp *f = getf(p, fd);
	long r;

	if (!f)
		return -EBADF;
	if (off && (int64_t)*off < 0)
		return -EINVAL;
	if (!write)
		return file_read(p, f, p->ep, addr, len, off, 0);
	r = file_write(p, f, p->ep, addr, len, off, 0, &p->done);
	return r;
}

/* ---- stat ---- */

struct linux_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat is 144 bytes");

static long stat_vnode(struct proc *p, struct vnode *v, uint64_t uaddr)
{
	struct linux_stat st;
	struct vfs_fs_msg r;
	int e;

	memset(&st, 0, sizeof(st));
	if (v->kind != VN_FS) {		/* a pipe or a socket: VFS's own */
		st.ino = v->ino;
		st.mode = v->mode;
		st.nlink = 1;
		st.blksize = 4096;
		st.dev = 0x0c;
	} else {
		if ((e = fs_stat(v->ino, &r)) < 0 || r.type != VFS_FS_ATTR)
			return fs_error(e, &r);
		st.dev = 0x0801;	/* the root disk, as Linux would number sda1 */
		st.ino = r.u.Attr.ino;
		st.nlink = r.u.Attr.nlink;
		st.mode = r.u.Attr.mode;
		st.uid = r.u.Attr.uid;
		st.gid = r.u.Attr.gid;
		st.rdev = r.u.Attr.rdev;
		st.size = (int64_t)r.u.Attr.size;
		st.blksize = r.u.Attr.blksize;
		st.blocks = (int64_t)r.u.Attr.blocks;
		st.atime = r.u.Attr.atime;
		st.mtime = r.u.Attr.mtime;
		st.ctime = r.u.Attr.ctime;
		v->mode = r.u.Attr.mode;
		v->size = r.u.Attr.size;
		v->nlink = r.u.Attr.nlink;
	}
	if (sys_vcopy(SELF, (uint64_t)&st, p->ep, uaddr, sizeof(st)) < 0)
		return -EFAULT;
	return 0;
}

static long do_fstatat(struct proc *p, long dirfd, uint64_t upath, uint64_t ust, long flags)
{
	static char path[PATH_MAX];
	struct vnode *v;
	long r;

	if ((r = copy_path(p, upath, path)) < 0)
		return r;
	if (r == 0 && (flags & AT_EMPTY_PATH)) {
		struct filp *f = dirfd == AT_FDCWD ? NULL : getf(p, dirfd);
		if (dirfd == AT_FDCWD)
			return stat_vnode(p, p->cwd, ust);
		return f ? stat_vnode(p, f->vn, ust) : -EBADF;
	}
	if ((r = namei(p, (int)dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &v)) < 0)
		return r;
	r = stat_vnode(p, v, ust);
	vn_put(v);
	return r;
}

/* ---- open, create and the namespace calls ---- */

static long fs_create(struct proc *p, struct vnode *dir, const char *name, size_t len,
    uint32_t mode, uint32_t rdev, struct vnode **out)
{
	struct vfs_fs_msg r;
	uint32_t gid = p->egid;
	int e;

	if ((e = vn_perm(p, dir, 3, 0)) < 0)
		return e;
	if (dir->mode & S_ISGID) {
		gid = dir->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	}
	if ((e = vfs_fs_call_Create(&fs_mon, fs_ep, (uint64_t)name, self_ep, (uint32_t)len,
	    dir->ino, mode, p->euid, gid, rdev, &r)) < 0 || r.type != VFS_FS_NODE)
		return fs_error(e, &r);
	if (S_ISDIR(mode))
		dir->nlink++;
	if (out && !(*out = vn_get(&r.u.Node)))
		return -ENFILE;
	return 0;
}

static long do_truncate_vn(struct proc *p, struct vnode *v, int64_t size)
{
	struct vfs_fs_msg r;
	int e;

	(void)p;
	if (size < 0)
		return -EINVAL;
	if (S_ISDIR(v->mode))
		return -EISDIR;
	if (!S_ISREG(v->mode))
		return -EINVAL;
	if ((e = vfs_fs_call_Truncate(&fs_mon, fs_ep, (uint64_t)size, v->ino, &r)) < 0 ||
	    r.type != VFS_FS_OK)
		return fs_error(e, &r);
	v->size = (uint64_t)size;
	return 0;
}

static long do_openat(struct proc *p, long dirfd, uint64_t upath, long flags, long mode)
{
	static char path[PATH_MAX], last[256];
	struct vnode *v = NULL, *dir;
	struct filp *f;
	size_t lastlen;
	int acc = (int)(flags & O_ACCMODE), want = 0;
	long r, fd;

	if ((r = copy_path(p, upath, path)) < 0)
		return r;
	if (acc == 3)
		return -EINVAL;
	if (flags & O_CREAT) {
		if ((r = namei_parent(p, (int)dirfd, path, &dir, last, &lastlen)) < 0)
			return r;
		if (r == 1) {	/* "name/" with O_CREAT */
			vn_put(dir);
			return -EISDIR;
		}
		r = vn_lookup(p, dir, last, lastlen, &v);
		if (r == 0 && S_ISLNK(v->mode) && !(flags & (O_EXCL | O_NOFOLLOW))) {
			vn_put(v);
			v = NULL;
			r = namei(p, (int)dirfd, path, 1, &v);
		}
		if (r == -ENOENT && !v) {
			r = fs_create(p, dir, last, lastlen,
			    S_IFREG | ((uint32_t)mode & 07777 & ~p->umask), 0, &v);
			vn_put(dir);
			if (r < 0)
				return r;
			flags &= ~O_TRUNC;
			goto have;	/* a new file: no permission check on its mode */
		}
		vn_put(dir);
		if (r < 0)
			return r;
		if (flags & O_EXCL) {
			vn_put(v);
			return -EEXIST;
		}
	} else if ((r = namei(p, (int)dirfd, path, !(flags & O_NOFOLLOW), &v)) < 0) {
		return r;
	}
	if (S_ISLNK(v->mode) && !(flags & O_PATH)) {
		vn_put(v);
		return -ELOOP;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(v->mode)) {
		vn_put(v);
		return -ENOTDIR;
	}
	if (S_ISDIR(v->mode) && (acc != O_RDONLY || (flags & O_TRUNC))) {
		vn_put(v);
		return -EISDIR;
	}
	if (acc == O_RDONLY || acc == O_RDWR)
		want |= 4;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		want |= 2;
	if (!(flags & O_PATH) && (r = vn_perm(p, v, want, 0)) < 0) {
		vn_put(v);
		return r;
	}
	if ((flags & O_TRUNC) && S_ISREG(v->mode) && (r = do_truncate_vn(p, v, 0)) < 0) {
		vn_put(v);
		return r;
	}
have:
	if (dev_kind(v) < 0) {
		vn_put(v);
		return -ENXIO;
	}
	if (dev_kind(v) == DEV_DISK && !(flags & O_PATH) && (r = disk_open_check(v->rdev, acc)) < 0) {
		vn_put(v);
		return r;
	}
	if ((r = vn_hold(v)) < 0) {
		vn_put(v);
		return r;
	}
	if (!(f = filp_new(v, (int)(flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_PATH))))) {
		vn_put(v);
		return -ENFILE;
	}
	if ((fd = fd_install(p, f, 0, flags & O_CLOEXEC)) < 0)
		filp_put(f);
	return fd;
}

static long do_mknodat(struct proc *p, long dirfd, uint64_t upath, uint32_t mode, uint32_t rdev)
{
	static char path[PATH_MAX], last[256];
	struct vnode *dir, *v;
	size_t lastlen;
	long r;

	if ((r = copy_path(p, upath, path)) < 0)
		return r;
	if ((r = namei_parent(p, (int)dirfd, path, &dir, last, &lastlen)) < 0)
		return r;
	if (r == 1 && !S_ISDIR(mode)) {
		vn_put(dir);
		return -ENOENT;
	}
	if (vn_lookup(p, dir, last, lastlen, &v) == 0) {
		vn_put(v);
		vn_put(dir);
		return -EEXIST;
	}
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && p->euid != 0) {
		vn_put(dir);
		return -EPERM;
	}
	r = fs_create(p, dir, last, lastlen, (mode & S_IFMT) | (mode & 07777 & ~p->umask), rdev, NULL);
	vn_put(dir);
	return r;
}

/* Sticky directories: only the owner of the file or the directory may remove. */
static int sticky_ok(struct proc *p, struct vnode *dir, const char *name, size_t len)
{
	struct vnode *v;
	int ok;

	if (!(dir->mode & S_ISVTX) || p->euid == 0 || dir->uid == p->euid)
		return 0;
	if (vn_lookup(p, dir, name, len, &v) < 0)
		return 0;
	ok = v->uid == p->euid;
	vn_put(v);
	return ok ? 0 : -EPERM;
}

static long do_unlinkat(struct proc *p, long dirfd, uint64_t upath, long flags)
{
	static char path[PATH_MAX], last[256];
	struct vfs_fs_msg r;
	struct vnode *dir, *v;
	size_t lastlen;
	int isdir = (flags & AT_REMOVEDIR) != 0;
	long e;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if ((e = copy_path(p, upath, path)) < 0)
		return e;
	if ((e = namei_parent(p, (int)dirfd, path, &dir, last, &lastlen)) < 0)
		return e;
	if (e == 1 && !isdir) {
		/* "file/": ENOTDIR, "dir/": EISDIR, nothing: ENOENT */
		e = vn_lookup(p, dir, last, lastlen, &v);
		if (e == 0) {
			e = S_ISDIR(v->mode) ? -EISDIR : -ENOTDIR;
			vn_put(v);
		}
		vn_put(dir);
		return e;
	}
	if (isdir && lastlen == 1 && last[0] == '.') {
		vn_put(dir);
		return -EINVAL;
	}
	if (isdir && lastlen == 2 && last[0] == '.' && last[1] == '.') {
		vn_put(dir);
		return -ENOTEMPTY;
	}
	if ((e = vn_perm(p, dir, 3, 0)) < 0 || (e = sticky_ok(p, dir, last, lastlen)) < 0) {
		vn_put(dir);
		return e;
	}
	if (!isdir && vn_lookup(p, dir, last, lastlen, &v) == 0) {
		e = S_ISDIR(v->mode) ? -EISDIR : 0;
		vn_put(v);
		if (e < 0) {
			vn_put(dir);
			return e;
		}
	}
	if ((e = vfs_fs_call_Unlink(&fs_mon, fs_ep, (uint64_t)last, self_ep, (uint32_t)lastlen,
	    dir->ino, (uint32_t)isdir, &r)) < 0 || r.type != VFS_FS_OK)
		e = fs_error((int)e, &r);
	else if (isdir)
		dir->nlink--;
	vn_put(dir);
	return e;
}

static long do_renameat(struct proc *p, long odfd, uint64_t uold, long ndfd, uint64_t unew,
    long flags)
{
	static char opath[PATH_MAX], npath[PATH_MAX], olast[256], nlast[256];
	struct vfs_fs_msg r;
	struct vnode *od, *nd;
	size_t ol, nl;
	long e;

	if (flags)
		return -EINVAL;
	if ((e = copy_path(p, uold, opath)) < 0 || (e = copy_path(p, unew, npath)) < 0)
		return e;
	if ((e = namei_parent(p, (int)odfd, opath, &od, olast, &ol)) < 0)
		return e;
	if ((e = namei_parent(p, (int)ndfd, npath, &nd, nlast, &nl)) < 0) {
		vn_put(od);
		return e;
	}
	if ((ol <= 2 && olast[0] == '.' && (ol == 1 || olast[1] == '.')) ||
	    (nl <= 2 && nlast[0] == '.' && (nl == 1 || nlast[1] == '.')))
		e = -EBUSY;
	else if ((e = vn_perm(p, od, 3, 0)) == 0 && (e = vn_perm(p, nd, 3, 0)) == 0 &&
	    (e = sticky_ok(p, od, olast, ol)) == 0 && (e = sticky_ok(p, nd, nlast, nl)) == 0) {
		if ((e = vfs_fs_call_Rename(&fs_mon, fs_ep, (uint64_t)olast, (uint64_t)nlast,
		    self_ep, (uint32_t)ol, (uint32_t)nl, od->ino, nd->ino, &r)) < 0 ||
		    r.type != VFS_FS_OK)
			e = fs_error((int)e, &r);
	}
	vn_put(od);
	vn_put(nd);
	return e;
}

static long do_linkat(struct proc *p, long odfd, uint64_t uold, long ndfd, uint64_t unew,
    long flags)
{
	static char opath[PATH_MAX], npath[PATH_MAX], nlast[256];
	struct vfs_fs_msg r;
	struct vnode *v, *nd;
	size_t nl;
	long e;

	if ((e = copy_path(p, uold, opath)) < 0 || (e = copy_path(p, unew, npath)) < 0)
		return e;
	if ((e = namei(p, (int)odfd, opath, (flags & AT_SYMLINK_FOLLOW) != 0, &v)) < 0)
		return e;
	if (S_ISDIR(v->mode)) {
		vn_put(v);
		return -EPERM;
	}
	if ((e = namei_parent(p, (int)ndfd, npath, &nd, nlast, &nl)) < 0) {
		vn_put(v);
		return e;
	}
	if ((e = vn_perm(p, nd, 3, 0)) == 0 &&
	    ((e = vfs_fs_call_Link(&fs_mon, fs_ep, (uint64_t)nlast, self_ep, (uint32_t)nl,
	    nd->ino, v->ino, &r)) < 0 || r.type != VFS_FS_OK))
		e = fs_error((int)e, &r);
	vn_put(v);
	vn_put(nd);
	return e;
}

static long do_symlinkat(struct proc *p, uint64_t utarget, long dirfd, uint64_t upath)
{
	static char target[PATH_MAX], path[PATH_MAX], last[256];
	struct vfs_fs_msg r;
	struct vnode *dir, *v;
	size_t ll;
	long e, tl;

	if ((tl = copy_path(p, utarget, target)) < 0 || (e = copy_path(p, upath, path)) < 0)
		return tl < 0 ? tl : -EFAULT;
	if (tl == 0)
		return -ENOENT;
	if ((e = namei_parent(p, (int)dirfd, path, &dir, last, &ll)) < 0)
		return e;
	if (vn_lookup(p, dir, last, ll, &v) == 0) {
		vn_put(v);
		vn_put(dir);
		return -EEXIST;
	}
	if ((e = vn_perm(p, dir, 3, 0)) == 0 &&
	    ((e = vfs_fs_call_Symlink(&fs_mon, fs_ep, (uint64_t)last, (uint64_t)target, self_ep,
	    (uint32_t)ll, (uint32_t)tl, dir->ino, p->euid, p->egid, &r)) < 0 ||
	    r.type != VFS_FS_NODE))
		e = fs_error((int)e, &r);
	vn_put(dir);
	return e;
}

static long do_readlinkat(struct proc *p, long dirfd, uint64_t upath, uint64_t ubuf, long len)
{
	static char path[PATH_MAX];
	struct vfs_fs_msg r;
	struct vnode *v;
	long e;

	if (len <= 0)
		return -EINVAL;
	if ((e = copy_path(p, upath, path)) < 0)
		return e;
	if ((e = namei(p, (int)dirfd, path, 0, &v)) < 0)
		return e;
	if (!S_ISLNK(v->mode))
		e = -EINVAL;
	else if ((e = vfs_fs_call_Readlink(&fs_mon, fs_ep, ubuf, p->ep, v->ino,
	    (uint32_t)(len > PATH_MAX ? PATH_MAX : len), &r)) < 0 || r.type != VFS_FS_OK)
		e = fs_error((int)e, &r);
	else
		e = r.u.Ok.value;
	vn_put(v);
	return e;
}

static long setattr(struct vnode *v, uint32_t what, uint32_t mode, uint32_t uid,
    uint32_t gid, uint32_t at, uint32_t mt)
{
	struct vfs_fs_msg r;
	int e;

	if ((e = vfs_fs_call_SetAttr(&fs_mon, fs_ep, v->ino, what, mode, uid, gid, at, mt, &r)) < 0 ||
	    r.type != VFS_FS_OK)
		return fs_error(e, &r);
	return 0;
}

static long chmod_vn(struct proc *p, struct vnode *v, uint32_t mode)
{
	long e;

	if (p->euid != 0 && p->euid != v->uid)
		return -EPERM;
	mode &= 07777;
	if (p->euid != 0 && !S_ISDIR(v->mode) && v->gid != p->egid)
		mode &= ~(uint32_t)S_ISGID;
	if ((e = setattr(v, 1, (v->mode & S_IFMT) | mode, 0, 0, 0, 0)) == 0)
		v->mode = (v->mode & S_IFMT) | mode;
	return e;
}

static long chown_vn(struct proc *p, struct vnode *v, uint32_t uid, uint32_t gid)
{
	uint32_t nu = uid == 0xffffffffu ? v->uid : uid;
	uint32_t ng = gid == 0xffffffffu ? v->gid : gid;
	long e;

	if (p->euid != 0 && (nu != v->uid || (v->uid != p->euid) ||
	    (ng != v->gid && ng != p->egid)))
		return -EPERM;
	if ((e = setattr(v, 2, 0, nu, ng, 0, 0)) < 0)
		return e;
	v->uid = nu;
	v->gid = ng;
	/* changing the owner clears set-user-ID (and set-group-ID if group-exec) */
	if (!S_ISDIR(v->mode) && (v->mode & (S_ISUID | S_ISGID))) {
		uint32_t m = v->mode & ~(uint32_t)S_ISUID;
		if (m & 010)
			m &= ~(uint32_t)S_ISGID;
		if (m != v->mode && setattr(v, 1, m, 0, 0, 0, 0) == 0)
			v->mode = m;
	}
	return 0;
}

/* Operations on a path or a descriptor: resolve, call fn, release. */
static long path_op(struct proc *p, long dirfd, uint64_t upath, int follow, long flags,
    long (*fn)(struct proc *, struct vnode *, uint64_t, uint64_t), uint64_t a, uint64_t b)
{
	static char path[PATH_MAX];
	struct vnode *v;
	long e;

	if ((e = copy_path(p, upath, path)) < 0)
		return e;
	if (e == 0 && (flags & AT_EMPTY_PATH)) {
		struct filp *f = getf(p, dirfd);
		if (dirfd == AT_FDCWD)
			return fn(p, p->cwd, a, b);
		return f ? fn(p, f->vn, a, b) : -EBADF;
	}
	if ((e = namei(p, (int)dirfd, path, follow, &v)) < 0)
		return e;
	e = fn(p, v, a, b);
	vn_put(v);
	return e;
}

static long op_chmod(struct proc *p, struct vnode *v, uint64_t mode, uint64_t unused)
{
	(void)unused;
	return chmod_vn(p, v, (uint32_t)mode);
}

static long op_chown(struct proc *p, struct vnode *v, uint64_t uid, uint64_t gid)
{
	return chown_vn(p, v, (uint32_t)uid, (uint32_t)gid);
}

static long op_truncate(struct proc *p, struct vnode *v, uint64_t size, uint64_t unused)
{
	long e;

	(void)unused;
	if ((e = vn_perm(p, v, 2, 0)) < 0)
		return e;
	return do_truncate_vn(p, v, (int64_t)size);
}

static long op_access(struct proc *p, struct vnode *v, uint64_t mode, uint64_t real)
{
	if (mode & ~7ul)
		return -EINVAL;
	return mode ? vn_perm(p, v, (int)mode, (int)real) : 0;
}

static long op_chdir(struct proc *p, struct vnode *v, uint64_t unused, uint64_t unused2)
{
	long e;

	(void)unused;
	(void)unused2;
	if (!S_ISDIR(v->mode))
		return -ENOTDIR;
	if ((e = vn_perm(p, v, 1, 0)) < 0 || (e = vn_hold(v)) < 0)
		return e;
	vn_put(p->cwd);
	p->cwd = vn_dup(v);
	return 0;
}

struct timespec64 {
	int64_t sec, nsec;
};
#define UTIME_NOW	((1l << 30) - 1)
#define UTIME_OMIT	((1l << 30) - 2)

static long op_utimens(struct proc *p, struct vnode *v, uint64_t utimes, uint64_t unused)
{
	struct timespec64 ts[2];
	struct vfs_fs_msg r;
	uint32_t now = (uint32_t)(now_ticks() / 100);
	uint32_t at, mt;
	int e;

	(void)unused;
	if (utimes) {
		if (sys_vcopy(p->ep, utimes, SELF, (uint64_t)ts, sizeof(ts)) < 0)
			return -EFAULT;
	} else {
		ts[0].nsec = ts[1].nsec = UTIME_NOW;
	}
	if (p->euid != 0 && p->euid != v->uid) {
		if (utimes && !(ts[0].nsec == UTIME_NOW && ts[1].nsec == UTIME_NOW))
			return -EPERM;
		if ((e = vn_perm(p, v, 2, 0)) < 0)
			return e;
	}
	if ((e = fs_stat(v->ino, &r)) < 0 || r.type != VFS_FS_ATTR)
		return fs_error(e, &r);
	at = ts[0].nsec == UTIME_OMIT ? r.u.Attr.atime : ts[0].nsec == UTIME_NOW ? now :
	    (uint32_t)ts[0].sec;
	mt = ts[1].nsec == UTIME_OMIT ? r.u.Attr.mtime : ts[1].nsec == UTIME_NOW ? now :
	    (uint32_t)ts[1].sec;
	return setattr(v, 4, 0, 0, 0, at, mt);
}

/* ---- getdents64, getcwd, statfs ---- */

static long do_getdents(struct proc *p, long fd, uint64_t ubuf, long len)
{
	struct filp *f = getf(p, fd);
	struct vfs_fs_msg r;
	int e;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->vn->mode) || f->vn->kind != VN_FS)
		return -ENOTDIR;
	if (len <= 0)
		return -EINVAL;
	if ((e = fs_getdents(f->off, ubuf, p->ep, f->vn->ino,
	    (uint32_t)(len > 65536 ? 65536 : len), &r)) < 0 || r.type != VFS_FS_DENTS)
		return fs_error(e, &r);
	f->off = r.u.Dents.cookie;
	return r.u.Dents.bytes;
}

/* Walk up through ".." to build the working directory's path. */
static long do_getcwd(struct proc *p, uint64_t ubuf, uint64_t size)
{
	static char out[PATH_MAX], tmp[PATH_MAX];
	static uint8_t dents[4096];
	struct vnode *cur = vn_dup(p->cwd), *up;
	size_t olen = 0;
	long e = 0;

	while (cur != root_vn && cur->ino != root_vn->ino) {
		uint64_t cookie = 0;
		int found = 0;
		if ((e = vn_lookup(p, cur, "..", 2, &up)) < 0)
			break;
		while (!found) {	/* find cur's name in up */
			struct vfs_fs_msg r;
			long n, off = 0;
			if ((e = fs_getdents(cookie, (uint64_t)dents, self_ep,
			    up->ino, sizeof(dents), &r)) < 0 || r.type != VFS_FS_DENTS) {
				e = fs_error((int)e, &r);
				break;
			}
			if ((n = r.u.Dents.bytes) == 0) {
				e = -ENOENT;
				break;
			}
			cookie = r.u.Dents.cookie;
			while (off < n) {
				uint64_t ino;
				uint16_t rl;
				const char *nm = (const char *)dents + off + 19;
				memcpy(&ino, dents + off, 8);
				memcpy(&rl, dents + off + 16, 2);
				if (ino == cur->ino && strcmp(nm, ".") && strcmp(nm, "..")) {
					size_t l = strlen(nm);
					if (l + 1 + olen >= PATH_MAX) {
						e = -ENAMETOOLONG;
						break;
					}
					memcpy(tmp, out, olen);
					out[0] = '/';
					memcpy(out + 1, nm, l);
					memcpy(out + 1 + l, tmp, olen);
					olen += l + 1;
					found = 1;
					break;
				}
				off += rl;
			}
			if (e < 0)
				break;
		}
		vn_put(cur);
		cur = up;
		if (e < 0)
			break;
	}
	vn_put(cur);
	if (e < 0)
		return e;
	if (olen == 0)
		out[olen++] = '/';
	out[olen++] = 0;
	if (olen > size)
		return -ERANGE;
	if (sys_vcopy(SELF, (uint64_t)out, p->ep, ubuf, olen) < 0)
		return -EFAULT;
	return (long)olen;
}

struct linux_statfs {
	int64_t type, bsize;
	uint64_t blocks, bfree, bavail, files, ffree;
	int32_t fsid[2];
	int64_t namelen, frsize, flags, spare[4];
};

/* statfs of the file system v is on: /proc has no blocks, like Linux's. */
static long do_statfs(struct proc *p, struct vnode *v, uint64_t ubuf)
{
	struct linux_statfs s;
	struct vfs_fs_msg r;
	int e;

	memset(&s, 0, sizeof(s));
	if (is_procfs(v)) {
		s.type = 0x9fa0;	/* PROC_SUPER_MAGIC */
		s.bsize = s.frsize = 4096;
		s.namelen = 255;
		return sys_vcopy(SELF, (uint64_t)&s, p->ep, ubuf, sizeof(s)) < 0 ? -EFAULT : 0;
	}
	if ((e = vfs_fs_call_StatFs(&fs_mon, fs_ep, &r)) < 0 || r.type != VFS_FS_INFO)
		return fs_error(e, &r);
	s.type = 0xEF53;
	s.bsize = s.frsize = r.u.Info.bsize;
	s.blocks = r.u.Info.blocks;
	s.bfree = s.bavail = r.u.Info.bfree;
	s.files = r.u.Info.files;
	s.ffree = r.u.Info.ffree;
	s.namelen = 255;
	return sys_vcopy(SELF, (uint64_t)&s, p->ep, ubuf, sizeof(s)) < 0 ? -EFAULT : 0;
}

static long statfs_path(struct proc *p, uint64_t upath, uint64_t ubuf)
{
	static char path[PATH_MAX];
	struct vnode *v;
	long r;

	if ((r = copy_path(p, upath, path)) < 0 || (r = namei(p, AT_FDCWD, path, 1, &v)) < 0)
		return r;
	r = do_statfs(p, v, ubuf);
	vn_put(v);
	return r;
}

/* ---- descriptors: dup, fcntl, lseek, ioctl ---- */

static long do_dup3(struct proc *p, long old, long new, long flags)
{
	struct filp *f = getf(p, old);

	if (!f || new < 0 || new >= NFD)
		return -EBADF;
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (old == new)
		return -EINVAL;
	filp_dup(f);
	if (p->fd[new])
		filp_put(p->fd[new]);
	p->fd[new] = f;
	if (flags & O_CLOEXEC)
		p->cloexec |= 1ull << new;
	else
		p->cloexec &= ~(1ull << new);
	return new;
}

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_GETLK		5
#define F_SETLK		6
#define F_SETLKW	7
#define F_DUPFD_CLOEXEC	1030

static long do_fcntl(struct proc *p, long fd, long cmd, long arg)
{
	struct filp *f = getf(p, fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= NFD)
			return -EINVAL;
		if ((r = fd_install(p, f, (int)arg, cmd == F_DUPFD_CLOEXEC)) >= 0)
			filp_dup(f);
		return r;
	case F_GETFD:
		return (p->cloexec >> fd) & 1;
	case F_SETFD:
		if (arg & 1)
			p->cloexec |= 1ull << fd;
		else
			p->cloexec &= ~(1ull << fd);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | ((int)arg & (O_APPEND | O_NONBLOCK));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		return 0;	/* no locks yet: every lock is granted */
	}
	return -EINVAL;
}

static long do_lseek(struct proc *p, long fd, int64_t off, long whence)
{
	struct filp *f = getf(p, fd);
	struct vfs_fs_msg r;
	int64_t base;
	int e;

	if (!f)
		return -EBADF;
	if (f->vn->kind != VN_FS || dev_kind(f->vn) == DEV_TTY)
		return -ESPIPE;
	switch (whence) {
	case 0:
		base = 0;
		break;
	case 1:
		base = (int64_t)f->off;
		break;
	case 2:
		if (dev_kind(f->vn) == DEV_DISK) {	/* the device's end, not the node's */
			if ((base = disk_size(f->vn->rdev)) < 0)
				return base;
			break;
		}
		if ((e = fs_stat(f->vn->ino, &r)) < 0 || r.type != VFS_FS_ATTR)
			return fs_error(e, &r);
		base = (int64_t)r.u.Attr.size;
		break;
	default:
		return -EINVAL;
	}
	if (S_ISDIR(f->vn->mode) && !(whence == 0 && off == 0))
		return whence == 0 ? (f->off = (uint64_t)off, off) : -EINVAL;
	if (base + off < 0)
		return -EINVAL;
	f->off = (uint64_t)(base + off);
	return (long)f->off;
}

#define TCGETS		0x5401
#define TIOCSCTTY	0x540E
#define FIONREAD	0x541B
#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451

static long do_ioctl(struct proc *p, long fd, long req, uint64_t arg)
{
	struct filp *f = getf(p, fd);
	struct contract_monitor *mon;
	struct chardev_msg r;
	endpoint_t drv;
	int e;

	if (!f)
		return -EBADF;
	switch (req) {
	case FIOCLEX:
		p->cloexec |= 1ull << fd;
		return 0;
	case FIONCLEX:
		p->cloexec &= ~(1ull << fd);
		return 0;
	case FIONBIO: {
		int on;
		if (sys_vcopy(p->ep, arg, SELF, (uint64_t)&on, sizeof(on)) < 0)
			return -EFAULT;
		f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		return 0;
	}
	}
	if (f->vn->kind == VN_PIPE && req == FIONREAD) {
		int n = (int)pipes[f->vn->pipe].len;
		return sys_vcopy(SELF, (uint64_t)&n, p->ep, arg, sizeof(n)) < 0 ? -EFAULT : 0;
	}
	if ((dev_kind(f->vn) != DEV_TTY && dev_kind(f->vn) != DEV_CHAR) ||
	    (drv = char_driver(f->vn, &mon)) < 0)
		return -ENOTTY;
	while ((e = chardev_call_Ioctl(mon, drv, arg, p->ep, (uint32_t)req,
	    dev_minor(p, f->vn), 0, &r)) < 0 && char_redo(f->vn, e))
		drv = char_driver(f->vn, &mon);
	if ((e == -EDEADSRCDST || e == -ESRCH) && dev_kind(f->vn) == DEV_TTY)
		return SUSPEND;	/* RS is restarting the tty: wait for it */
	if (e < 0)
		return e;
	if (r.type == CHARDEV_OK && req == TIOCSCTTY && f->vn->rdev != RDEV_TTY)
		p->ctty = f->vn->rdev;
	if (r.type == CHARDEV_OK)
		return r.u.Ok.value;
	return r.type == CHARDEV_FAIL ? r.u.Fail.error : -EIO;
}

/* ---- poll and select ---- */

#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020
#define POLLRDNORM	0x040
#define POLLWRNORM	0x100

/* Readiness of one descriptor: the POLL* bits that hold now. */
static int ready(struct proc *p, long fd, int events)
{
	struct filp *f = getf(p, fd);
	struct chardev_msg r;
	int rev = 0;

	if (!f)
		return POLLNVAL;
	if (f->vn->kind == VN_PIPE) {
		struct pipe *pp = &pipes[f->vn->pipe];
		if ((f->flags & O_ACCMODE) == O_RDONLY) {
			if (pp->len)
				rev |= POLLIN | POLLRDNORM;
			if (!pp->writers)
				rev |= POLLHUP;
		} else {
			if (PIPE_SIZE - pp->len >= PIPE_BUF)
				rev |= POLLOUT | POLLWRNORM;
			if (!pp->readers)
				rev |= POLLERR;
		}
	} else if (f->vn->kind == VN_SOCK) {
		rev = sock_poll(f);
	} else if (dev_kind(f->vn) == DEV_TTY && tty_ep >= 0) {
		int e;
		while ((e = chardev_call_Poll(&tty_mon, tty_ep, dev_minor(p, f->vn),
		    (uint32_t)events, &r)) == -EDEADSRCDST && tty_reconnect())
			;
		if (e == 0 && r.type == CHARDEV_OK)
			rev = (int)r.u.Ok.value;
	} else {
		rev = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	}
	return rev & (events | POLLERR | POLLHUP | POLLNVAL);
}

struct pollfd64 {
	int32_t fd;
	int16_t events, revents;
};

static long do_poll(struct proc *p, uint64_t ufds, uint64_t nfds, int64_t timeout_ms)
{
	struct pollfd64 pf[64];
	uint64_t i;
	long n = 0;

	if (nfds > 64)
		return -EINVAL;
	if (nfds && sys_vcopy(p->ep, ufds, SELF, (uint64_t)pf, nfds * sizeof(pf[0])) < 0)
		return -EFAULT;
	for (i = 0; i < nfds; i++) {
		pf[i].revents = pf[i].fd < 0 ? 0 : (int16_t)ready(p, pf[i].fd, pf[i].events);
		if (pf[i].revents)
			n++;
	}
	if (n == 0 && timeout_ms != 0) {
		if (!p->susp && timeout_ms > 0)
			set_deadline(p, (uint64_t)timeout_ms);
		if (timeout_ms < 0 || now_ticks() < p->deadline)
			return SUSPEND;
	}
	if (nfds && sys_vcopy(SELF, (uint64_t)pf, p->ep, ufds, nfds * sizeof(pf[0])) < 0)
		return -EFAULT;
	return n;
}

static long do_select(struct proc *p, long nfds, uint64_t ur, uint64_t uw, uint64_t ue,
    int64_t timeout_ms)
{
	uint64_t in[3] = { 0, 0, 0 }, out[3] = { 0, 0, 0 };
	uint64_t addr[3] = { ur, uw, ue };
	long fd, n = 0;
	int k;

	if (nfds < 0 || nfds > NFD)
		return nfds < 0 ? -EINVAL : -EBADF;
	for (k = 0; k < 3; k++)
		if (addr[k] && nfds && sys_vcopy(p->ep, addr[k], SELF, (uint64_t)&in[k], 8) < 0)
			return -EFAULT;
	for (fd = 0; fd < nfds; fd++) {
		uint64_t bit = 1ull << fd;
		int rev;
		if (!((in[0] | in[1] | in[2]) & bit))
			continue;
		rev = ready(p, fd, POLLIN | POLLOUT | POLLPRI);
		if (rev & POLLNVAL)
			return -EBADF;
		if ((in[0] & bit) && (rev & (POLLIN | POLLHUP | POLLERR)))
			out[0] |= bit, n++;
		if ((in[1] & bit) && (rev & (POLLOUT | POLLERR)))
			out[1] |= bit, n++;
		if ((in[2] & bit) && (rev & POLLPRI))
			out[2] |= bit, n++;
	}
	if (n == 0 && timeout_ms != 0) {
		if (!p->susp && timeout_ms > 0)
			set_deadline(p, (uint64_t)timeout_ms);
		if (timeout_ms < 0 || now_ticks() < p->deadline)
			return SUSPEND;
	}
	for (k = 0; k < 3; k++) {
		if (!addr[k] || !nfds)
			continue;
		/* keep the bits above nfds as the caller had them cleared */
		if (sys_vcopy(SELF, (uint64_t)&out[k], p->ep, addr[k], (size_t)((nfds + 7) / 8)) < 0)
			return -EFAULT;
	}
	return n;
}

/* A timeout from user memory in ms; -1: none (wait forever). */
static long timeout_of(struct proc *p, uint64_t uaddr, int is_timeval, int64_t *ms)
{
	int64_t t[2];

	*ms = -1;
	if (!uaddr)
		return 0;
	if (sys_vcopy(p->ep, uaddr, SELF, (uint64_t)t, sizeof(t)) < 0)
		return -EFAULT;
	if (t[0] < 0 || t[1] < 0)
		return -EINVAL;
	*ms = t[0] * 1000 + (is_timeval ? t[1] / 1000 : t[1] / 1000000);
	if (*ms == 0 && t[1])
		*ms = 1;
	return 0;
}

/* ---- sendfile ---- */

static long do_sendfile(struct proc *p, long out, long in, uint64_t uoff, uint64_t count)
{
	struct filp *fo = getf(p, out), *fi = getf(p, in);
	uint64_t off = 0, done = 0;

	if (!fo || !fi)
		return -EBADF;
	if (uoff && sys_vcopy(p->ep, uoff, SELF, (uint64_t)&off, 8) < 0)
		return -EFAULT;
	while (done < count) {
		size_t n = count - done > sizeof(iobuf) ? sizeof(iobuf) : count - done;
		uint64_t wd = 0;
		long r = file_read(p, fi, self_ep, (uint64_t)iobuf, n, uoff ? &off : NULL, 1);
		long w;
		if (r <= 0) {
			if (r < 0 && !done)
				return r == -EAGAIN && !(fi->flags & O_NONBLOCK) ? -EINVAL : r;
			break;
		}
		w = file_write(p, fo, self_ep, (uint64_t)iobuf, (size_t)r, NULL, 1, &wd);
		if ((w < 0 || w < r) && fi->vn->kind == VN_FS && S_ISREG(fi->vn->mode)) {
			/* read but not written (a short or suspended write, e.g. the
			 * printer's across a driver restart): a file gives it back */
			uint64_t back = (uint64_t)(r - (w > 0 ? w : 0));
			*(uoff ? &off : &fi->off) -= back;
		}
		if (w < 0) {
			if (!done)
				return w;
			break;
		}
		done += (uint64_t)w;
		if (w < r)
			break;
	}
	if (uoff && sys_vcopy(SELF, (uint64_t)&off, p->ep, uoff, 8) < 0)
		return -EFAULT;
	return (long)done;
}

/* ---- the dispatcher ---- */

long do_syscall(struct proc *p, message_t *m)
{
	uint64_t off;
	int64_t ms;
	long r;

	switch (m->u.q[0]) {
	case NR_read:
		return do_rw(p, (long)A(0), A(1), A(2), 0, NULL);
	case NR_write:
		return do_rw(p, (long)A(0), A(1), A(2), 1, NULL);
	case NR_pread64:
		off = A(3);
		return do_rw(p, (long)A(0), A(1), A(2), 0, &off);
	case NR_pwrite64:
		off = A(3);
		return do_rw(p, (long)A(0), A(1), A(2), 1, &off);
	case NR_readv:
		return do_rwv(p, (long)A(0), A(1), (long)A(2), 0, NULL);
	case NR_writev:
		return do_rwv(p, (long)A(0), A(1), (long)A(2), 1, NULL);
	case NR_open:
		return do_openat(p, AT_FDCWD, A(0), (long)A(1), (long)A(2));
	case NR_creat:
		return do_openat(p, AT_FDCWD, A(0), O_CREAT | O_WRONLY | O_TRUNC, (long)A(1));
	case NR_openat:
		return do_openat(p, (int)A(0), A(1), (long)A(2), (long)A(3));
	case NR_close:
		if (!getf(p, (long)A(0)))
			return -EBADF;
		filp_put(p->fd[A(0)]);
		p->fd[A(0)] = NULL;
		p->cloexec &= ~(1ull << A(0));
		return 0;
	case NR_lseek:
		return do_lseek(p, (long)A(0), (int64_t)A(1), (long)A(2));
	case NR_stat:
		return do_fstatat(p, AT_FDCWD, A(0), A(1), 0);
	case NR_lstat:
		return do_fstatat(p, AT_FDCWD, A(0), A(1), AT_SYMLINK_NOFOLLOW);
	case NR_fstat:
		return getf(p, (long)A(0)) ? stat_vnode(p, p->fd[A(0)]->vn, A(1)) : -EBADF;
	case NR_newfstatat:
		return do_fstatat(p, (int)A(0), A(1), A(2), (long)A(3));
	case NR_statx:
		return -ENOSYS;	/* the C libraries fall back to fstatat */
	case NR_access:
		return path_op(p, AT_FDCWD, A(0), 1, 0, op_access, A(1), 1);
	case NR_faccessat:
		return path_op(p, (int)A(0), A(1), 1, 0, op_access, A(2), 1);
	case NR_faccessat2:
		return path_op(p, (int)A(0), A(1), !(A(3) & AT_SYMLINK_NOFOLLOW), (long)A(3),
		    op_access, A(2), !(A(3) & AT_EACCESS));
	case NR_getdents64:
		return do_getdents(p, (long)A(0), A(1), (long)A(2));
	case NR_mkdir:
		return do_mknodat(p, AT_FDCWD, A(0), S_IFDIR | ((uint32_t)A(1) & 07777), 0);
	case NR_mkdirat:
		return do_mknodat(p, (int)A(0), A(1), S_IFDIR | ((uint32_t)A(2) & 07777), 0);
	case NR_mknod:
		return do_mknodat(p, AT_FDCWD, A(0), (uint32_t)A(1) ? (uint32_t)A(1) : S_IFREG, (uint32_t)A(2));
	case NR_mknodat:
		return do_mknodat(p, (int)A(0), A(1), (uint32_t)A(2) ? (uint32_t)A(2) : S_IFREG, (uint32_t)A(3));
	case NR_rmdir:
		return do_unlinkat(p, AT_FDCWD, A(0), AT_REMOVEDIR);
	case NR_unlink:
		return do_unlinkat(p, AT_FDCWD, A(0), 0);
	case NR_unlinkat:
		return do_unlinkat(p, (int)A(0), A(1), (long)A(2));
	case NR_rename:
		return do_renameat(p, AT_FDCWD, A(0), AT_FDCWD, A(1), 0);
	case NR_renameat:
		return do_renameat(p, (int)A(0), A(1), (int)A(2), A(3), 0);
	case NR_renameat2:
		return do_renameat(p, (int)A(0), A(1), (int)A(2), A(3), (long)A(4));
	case NR_link:
		return do_linkat(p, AT_FDCWD, A(0), AT_FDCWD, A(1), 0);
	case NR_linkat:
		return do_linkat(p, (int)A(0), A(1), (int)A(2), A(3), (long)A(4));
	case NR_symlink:
		return do_symlinkat(p, A(0), AT_FDCWD, A(1));
	case NR_symlinkat:
		return do_symlinkat(p, A(0), (int)A(1), A(2));
	case NR_readlink:
		return do_readlinkat(p, AT_FDCWD, A(0), A(1), (long)A(2));
	case NR_readlinkat:
		return do_readlinkat(p, (int)A(0), A(1), A(2), (long)A(3));
	case NR_chdir:
		return path_op(p, AT_FDCWD, A(0), 1, 0, op_chdir, 0, 0);
	case NR_fchdir:
		return getf(p, (long)A(0)) ? op_chdir(p, p->fd[A(0)]->vn, 0, 0) : -EBADF;
	case NR_getcwd:
		return do_getcwd(p, A(0), A(1));
	case NR_dup:
		if (!getf(p, (long)A(0)))
			return -EBADF;
		if ((r = fd_install(p, p->fd[A(0)], 0, 0)) >= 0)
			filp_dup(p->fd[A(0)]);
		return r;
	case NR_dup2:
		if ((long)A(0) == (long)A(1))
			return getf(p, (long)A(0)) ? (long)A(1) : -EBADF;
		return do_dup3(p, (long)A(0), (long)A(1), 0);
	case NR_dup3:
		return do_dup3(p, (long)A(0), (long)A(1), (long)A(2));
	case NR_fcntl:
		return do_fcntl(p, (long)A(0), (long)A(1), (long)A(2));
	case NR_pipe:
		return do_pipe(p, A(0), 0);
	case NR_pipe2:
		return do_pipe(p, A(0), (int)A(1));
	case NR_ioctl:
		return do_ioctl(p, (long)A(0), (long)(uint32_t)A(1), A(2));
	case NR_poll:
		return do_poll(p, A(0), A(1), (int)A(2));
	case NR_ppoll:
		if ((r = timeout_of(p, A(2), 0, &ms)) < 0)
			return r;
		return do_poll(p, A(0), A(1), ms);
	case NR_select:
		if ((r = timeout_of(p, A(4), 1, &ms)) < 0)
			return r;
		return do_select(p, (long)A(0), A(1), A(2), A(3), ms);
	case NR_pselect6:
		if ((r = timeout_of(p, A(4), 0, &ms)) < 0)
			return r;
		return do_select(p, (long)A(0), A(1), A(2), A(3), ms);
	case NR_umask:
		r = p->umask;
		p->umask = (uint32_t)A(0) & 0777;
		return r;
	case NR_chmod:
		return path_op(p, AT_FDCWD, A(0), 1, 0, op_chmod, A(1), 0);
	case NR_fchmod:
		return getf(p, (long)A(0)) ? chmod_vn(p, p->fd[A(0)]->vn, (uint32_t)A(1)) : -EBADF;
	case NR_fchmodat:
		return path_op(p, (int)A(0), A(1), 1, 0, op_chmod, A(2), 0);
	case NR_chown:
		return path_op(p, AT_FDCWD, A(0), 1, 0, op_chown, A(1), A(2));
	case NR_lchown:
		return path_op(p, AT_FDCWD, A(0), 0, 0, op_chown, A(1), A(2));
	case NR_fchown:
		return getf(p, (long)A(0)) ?
		    chown_vn(p, p->fd[A(0)]->vn, (uint32_t)A(1), (uint32_t)A(2)) : -EBADF;
	case NR_fchownat:
		return path_op(p, (int)A(0), A(1), !(A(4) & AT_SYMLINK_NOFOLLOW), (long)A(4),
		    op_chown, A(2), A(3));
	case NR_truncate:
		return path_op(p, AT_FDCWD, A(0), 1, 0, op_truncate, A(1), 0);
	case NR_ftruncate: {
		struct filp *f = getf(p, (long)A(0));
		if (!f)
			return -EBADF;
		if ((f->flags & O_ACCMODE) == O_RDONLY)
			return -EINVAL;
		return do_truncate_vn(p, f->vn, (int64_t)A(1));
	}
	case NR_fsync:
	case NR_fdatasync:
		if (!getf(p, (long)A(0)))
			return -EBADF;
		/* fall through */
	case NR_sync: {
		struct vfs_fs_msg rr;
		int e;
		if ((e = vfs_fs_call_Sync(&fs_mon, fs_ep, &rr)) < 0 || rr.type != VFS_FS_OK)
			return m->u.q[0] == NR_sync ? 0 : fs_error(e, &rr);
		return 0;
	}
	case NR_utimensat:
		if (!A(1))	/* futimens */
			return getf(p, (long)A(0)) ? op_utimens(p, p->fd[A(0)]->vn, A(2), 0) : -EBADF;
		return path_op(p, (int)A(0), A(1), !(A(3) & AT_SYMLINK_NOFOLLOW), (long)A(3),
		    op_utimens, A(2), 0);
	case NR_mount:
		return do_mount(p, A(0), A(1), A(2));
	case NR_umount2:
		return do_umount(p, A(0), (long)A(1));
	case NR_statfs:
		return statfs_path(p, A(0), A(1));
	case NR_fstatfs:
		return getf(p, (long)A(0)) ? do_statfs(p, p->fd[A(0)]->vn, A(1)) : -EBADF;
	case NR_sendfile:
		return do_sendfile(p, (long)A(0), (long)A(1), A(2), A(3));
	}
	return sock_syscall(p, m);	/* -ENOSYS if not a socket call either */
}
