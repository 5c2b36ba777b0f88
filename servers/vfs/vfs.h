/*
 * VFS: the virtual file system server. It owns the Linux file system calls
 * (manifest `syscalls`), keeps every process's descriptor table, the open
 * file descriptions, the vnodes of open files, the pipes, and routes
 * device files to their drivers. File systems sit to its right (vfs_fs
 * contract), drivers too (chardev contract); PM, to its left, tells it
 * about forks, exits, credentials and execs (pm_vfs contract).
 *
 * Everything is in static tables; no heap.
 */
#ifndef VFS_H
#define VFS_H

#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <vfs_fs.h>
#include <chardev.h>
#include <pm_vfs.h>

#define NPROC		NR_SLOTS	/* one entry per endpoint slot */
#define NFD		64		/* descriptors per process */
#define NFILP		256		/* open file descriptions */
#define NVNODE		256
#define NPIPE		16
#define PIPE_SIZE	65536		/* Linux's default capacity */
#define PIPE_BUF	4096		/* writes up to this are atomic */
#define PATH_MAX	4096
#define SYMLOOP_MAX	40
#define NEXEC		8		/* open executables (PM's ExecOpen) */

/* A call that must wait: no reply now; retried on every event. */
#define SUSPEND		(-100000L)

/* File types and open flags (the Linux values). */
#define S_IFMT		0170000
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_IFLNK		0120000
#define S_IFCHR		0020000
#define S_IFBLK		0060000
#define S_IFIFO		0010000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISVTX		01000
#define S_ISGID		02000
#define S_ISUID		04000

#define O_ACCMODE	3
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_EXCL		0200
#define O_NOCTTY	0400
#define O_TRUNC		01000
#define O_APPEND	02000
#define O_NONBLOCK	04000
#define O_DIRECTORY	0200000
#define O_NOFOLLOW	0400000
#define O_CLOEXEC	02000000
#define O_PATH		010000000

#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_REMOVEDIR		0x200
#define AT_EACCESS		0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_EMPTY_PATH		0x1000

/* What a vnode is. */
enum { VN_FREE, VN_FS, VN_PIPE, VN_SOCK };

struct vnode {
	int kind;
	int ref;
	int held;		/* the file server was sent Open */
	uint32_t ino;
	uint32_t mode, uid, gid, nlink, rdev;
	uint64_t size;
	int pipe;		/* VN_PIPE: index into pipes[] */
	int sock;		/* VN_SOCK: the socket's index in NET */
	endpoint_t sock_net;	/* VN_SOCK: the NET that holds it */
};

struct pipe {
	int used;
	int readers, writers;
	uint32_t head, len;
	uint8_t buf[PIPE_SIZE];
};

struct filp {
	int ref;
	int flags;		/* O_ACCMODE, O_APPEND, O_NONBLOCK */
	uint64_t off;		/* a directory's: the file server's cookie */
	struct vnode *vn;
};

struct proc {
	endpoint_t ep;		/* 0: slot free */
	uint32_t uid, gid, euid, egid;
	uint32_t umask;
	struct vnode *cwd;
	struct filp *fd[NFD];
	uint64_t cloexec;	/* bit n: fd n closes on exec */
	uint32_t ctty;		/* rdev of the controlling terminal; 0: none */
	/* a suspended call: the request, progress so far, deadline */
	int susp;
	message_t req;
	uint64_t done;
	uint64_t deadline;	/* tick; 0: none */
};

/* main.c */
/* VFS's grant table, one entry per user, each valid only while its
 * request is in flight; vfs_granting: the kernel took the table. */
enum { GRANT_DISK, GRANT_PROCFS, GRANT_LPT, VFS_NGRANTS };
extern struct grant vfs_grants[VFS_NGRANTS];
extern int vfs_granting;
extern endpoint_t self_ep, fs_ep, tty_ep, pm_ep, mem_ep, lpt_ep, ac97_ep;
extern struct contract_monitor fs_mon, tty_mon, mem_mon, lpt_mon, ac97_mon;
extern struct vnode *root_vn;
extern struct proc procs[NPROC];
uint64_t now_ticks(void);
void set_deadline(struct proc *, uint64_t ms);
void queue_signal(endpoint_t proc, int pgrp, int signo);
int tty_reconnect(void);

/* vnode.c */
struct vnode *vn_get(const struct vfs_fs_Node *);
struct vnode *vn_dup(struct vnode *);
void vn_put(struct vnode *);
int vn_hold(struct vnode *);
int vn_perm(struct proc *, struct vnode *, int want, int real);
int vn_lookup(struct proc *, struct vnode *dir, const char *name, size_t len,
    struct vnode **out);
int namei(struct proc *, int dirfd, const char *path, int follow,
    struct vnode **out);
int namei_parent(struct proc *, int dirfd, const char *path,
    struct vnode **dir, char *last, size_t *lastlen);
long copy_path(struct proc *, uint64_t uaddr, char *buf);
int fs_error(int r, const struct vfs_fs_msg *);

/* disk.c: block special files (254:0 the raw disk, 1:0 the RAM disk) */
#define DISK_MAJOR	254
void disk_init(void);
int disk_present(uint32_t rdev);
int64_t disk_size(uint32_t rdev);
int disk_open_check(uint32_t rdev, int accmode);
long disk_io(uint32_t rdev, int write, endpoint_t, uint64_t addr, size_t len, uint64_t *off);

/* procfs.c: /proc, served by IS (contracts/procfs.contract) */
#define PROCFS_INO	0x80000000u	/* bit 31: an inode of IS, not of ext2 */
#define PROCFS_ROOT	PROCFS_INO	/* /proc itself */
#define PROCFS_NOT_MINE	1		/* procfs_lookup: ask the root file system */
/* /proc/mounts is VFS's own file; IS's top files use inodes PROCFS_INO|1.. */
#define PROCFS_MOUNTS_INO (PROCFS_INO | 0xff)
static inline int is_procfs(const struct vnode *v)
{
	return v->kind == VN_FS && (v->ino & PROCFS_INO);
}
int procfs_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out);
int procfs_root(struct vnode **out);

/* mount.c: the mount table */
#define MNT_ROOTFS	0
#define MNT_PROCFS	1
void mount_init(uint32_t proc_dir);
struct vnode *mount_cross(struct vnode *v);
uint32_t mount_procfs_covered(void);
long do_mount(struct proc *, uint64_t source, uint64_t target, uint64_t type);
long do_umount(struct proc *, uint64_t target, long flags);
size_t mount_list(char *buf, size_t size);
int vn_procfs_in_use(const struct vnode *except);
/* The file server calls that may reach /proc: by inode, to ext2 or IS. */
int fs_stat(uint32_t ino, struct vfs_fs_msg *out);
int fs_read(uint64_t off, uint64_t addr, endpoint_t ep, uint32_t ino, uint32_t len,
    struct vfs_fs_msg *out);
int fs_getdents(uint64_t cookie, uint64_t addr, endpoint_t ep, uint32_t ino, uint32_t len,
    struct vfs_fs_msg *out);

/* lpt.c: /dev/lp0's writes survive a printer driver restart */
long lpt_write(struct proc *p, endpoint_t ep, uint64_t addr, size_t len, uint64_t *done);

/* file.c */
long do_syscall(struct proc *, message_t *);
struct proc *proc_get(endpoint_t, int create);
void proc_clear(struct proc *);
void vn_release_all(void);
void proc_copy(struct proc *child, struct proc *parent);
void close_cloexec(struct proc *);
struct filp *filp_dup(struct filp *);
void filp_put(struct filp *);
struct filp *filp_new(struct vnode *, int flags);
int fd_install(struct proc *, struct filp *, int min, int cloexec);

/* socket.c */
long sock_syscall(struct proc *, message_t *);
long sock_rw(struct proc *, struct filp *, endpoint_t ep, uint64_t addr, size_t len,
    int write, int nonblock);
int sock_poll(struct filp *);
void sock_release(struct vnode *);

#endif
