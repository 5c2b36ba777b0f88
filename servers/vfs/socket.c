/*
 * Sockets as descriptors (contracts/vfs_net.contract, docs/network.md).
 * VFS owns the socket system calls, so a socket is an ordinary descriptor:
 * read, write, close, dup, fork inheritance, fcntl O_NONBLOCK, poll and
 * select work on it through the same tables as on a file or a pipe. The
 * network server NET owns the sockets themselves; VFS knows only a
 * socket's index in NET (vnode->sock) and forwards each call.
 *
 * NET answers at once; Wait means "not yet": the call is suspended like a
 * pipe read and sent again (CALL_RETRY) after the next event, which for a
 * socket is NET's NOTIFY. Wait's timeout is the socket's SO_RCVTIMEO or
 * SO_SNDTIMEO, which VFS turns into the suspended call's deadline.
 *
 * If NET dies, RS starts a new one that knows none of the old sockets:
 * a socket remembers the NET endpoint that made it, and once that NET is
 * gone every call on it fails with ECONNRESET (poll: POLLERR|POLLHUP)
 * instead of reaching an unrelated socket with the same index.
 */
#include "vfs.h"
#include <vfs_net.h>

#define L_SOCKET	41
#define L_ACCEPT	43
#define L_SENDTO	44
#define L_RECVFROM	45
#define L_SOCKETPAIR	53
#define L_GETSOCKOPT	55
#define L_ACCEPT4	288
#define L_SOCK_NONBLOCK	04000
#define L_SOCK_CLOEXEC	02000000
#define L_ENOTSOCK	88
#define L_EOPNOTSUPP	95
#define L_EAFNOSUPPORT	97
#define L_ENETDOWN	100
#define L_ECONNRESET	104
#define S_IFSOCK	0140000

#define CALL_NONBLOCK	1	/* vfs_net Call flags */
#define CALL_RETRY	2

static endpoint_t net_ep = -1;
static struct contract_monitor net_mon;

/* NET's endpoint, found again after RS restarted it. */
static endpoint_t net_server(int again)
{
	if (net_ep < 0 || again) {
		net_ep = lookup_endpoint("net");
		vfs_net_monitor_init(&net_mon, CONTRACT_CLIENT);
	}
	return net_ep;
}

/* A NET answer as a return value: SUSPEND for Wait (or -EAGAIN when the
 * caller may not wait or its deadline has passed). */
static long net_result(struct proc *p, int e, const struct vfs_net_msg *r, int nonblock)
{
	if (e < 0)
		return e == -EDEADSRCDST || e == -ESRCH ? -L_ENETDOWN : e;
	switch (r->type) {
	case VFS_NET_OK:
		return r->u.Ok.value;
	case VFS_NET_FAIL:
		return r->u.Fail.error;
	case VFS_NET_WAIT:
		if (nonblock || !p)
			return -EAGAIN;
		if (!p->susp && r->u.Wait.timeout_ms)
			set_deadline(p, r->u.Wait.timeout_ms);
		if (p->deadline && now_ticks() >= p->deadline)
			return -EAGAIN;
		return SUSPEND;
	}
	return -EIO;
}

/* One socket call to NET; a restarted NET is looked up once more, and
 * then the socket is found gone with its NET. */
static long net_call(struct proc *p, endpoint_t ep, uint32_t nr, const struct vnode *v,
    const uint64_t a[5], int nonblock)
{
	struct vfs_net_msg r;
	uint32_t fl = (nonblock ? CALL_NONBLOCK : 0) | (p && p->susp ? CALL_RETRY : 0);
	int e, tries;

	for (tries = 0; tries < 2; tries++) {
		if (net_server(tries) < 0)
			return -L_ENETDOWN;
		if (net_ep != v->sock_net)
			return -L_ECONNRESET;
		e = vfs_net_call_Call(&net_mon, net_ep, a[0], a[1], a[2], a[3], a[4], ep, nr,
		    v->sock, fl, &r);
		if (e != -EDEADSRCDST && e != -ESRCH)
			break;
	}
	return net_result(p, e, &r, nonblock);
}

/* Socket sock of NET owner is no longer used (nothing to do if that NET
 * is gone). */
static void net_close(int sock, endpoint_t owner)
{
	struct vfs_net_msg r;

	if (net_server(0) >= 0 && net_ep == owner &&
	    vfs_net_call_Close(&net_mon, net_ep, sock, &r) < 0)
		printf("vfs: closing socket %d in NET failed\n", sock);
}

/* The last descriptor of a socket is gone (filp_put). */
void sock_release(struct vnode *v)
{
	net_close(v->sock, v->sock_net);
}

/* A descriptor for NET's socket sock, or a negative errno (and the socket
 * closed in NET). */
static long sock_install(struct proc *p, int sock, int nonblock, int cloexec)
{
	static struct vfs_fs_Node none;
	struct vnode *v;
	struct filp *f;
	long fd;

	none.ino = 0xfffff000u + (uint32_t)sock;	/* private: never an ext2 inode */
	none.mode = S_IFSOCK | 0777;
	if (!(v = vn_get(&none))) {
		net_close(sock, net_ep);
		return -ENFILE;
	}
	v->kind = VN_SOCK;
	v->sock = sock;
	v->sock_net = net_ep;
	if (!(f = filp_new(v, O_RDWR | (nonblock ? O_NONBLOCK : 0)))) {
		vn_put(v);
		net_close(sock, net_ep);
		return -ENFILE;
	}
	if ((fd = fd_install(p, f, 0, cloexec)) < 0)
		filp_put(f);	/* closes the socket */
	return fd;
}

/* read(2)/write(2) on a socket: recvfrom/sendto without an address. */
long sock_rw(struct proc *p, struct filp *f, endpoint_t ep, uint64_t addr, size_t len,
    int write, int nonblock)
{
	uint64_t a[5] = { addr, len, 0, 0, 0 };

	return net_call(p, ep, write ? L_SENDTO : L_RECVFROM, f->vn, a,
	    nonblock || (f->flags & O_NONBLOCK));
}

/* poll(2) bits of a socket (Linux's values, as NET reports them). */
int sock_poll(struct filp *f)
{
	struct vfs_net_msg r;
	int e, tries;

	for (tries = 0; tries < 2; tries++) {
		if (net_server(tries) < 0 || net_ep != f->vn->sock_net)
			return 0x018;	/* POLLERR|POLLHUP: its NET is gone */
		e = vfs_net_call_Poll(&net_mon, net_ep, f->vn->sock, &r);
		if (e != -EDEADSRCDST && e != -ESRCH)
			break;
	}
	if (e < 0 || r.type != VFS_NET_OK)
		return 0x018;
	return (int)r.u.Ok.value;
}

/* The socket system calls; -ENOSYS for any other call. */
long sock_syscall(struct proc *p, message_t *m)
{
	uint64_t nr = m->u.q[0], *arg = &m->u.q[1];
	struct vfs_net_msg r;
	struct filp *f;
	long v;
	int e = 0, tries;

	if (nr == L_SOCKET) {
		uint64_t type = arg[1];
		if (type & ~(uint64_t)(0xF | L_SOCK_NONBLOCK | L_SOCK_CLOEXEC))
			return -EINVAL;
		for (tries = 0; tries < 2; tries++) {
			if (net_server(tries) < 0)
				return -L_EAFNOSUPPORT;
			e = vfs_net_call_Open(&net_mon, net_ep, (int32_t)arg[0],
			    (int32_t)(type & 0xF), (int32_t)arg[2], &r);
			if (e != -EDEADSRCDST && e != -ESRCH)
				break;
		}
		if ((v = net_result(NULL, e, &r, 1)) < 0)
			return v;
		return sock_install(p, (int)v, (type & L_SOCK_NONBLOCK) != 0,
		    (type & L_SOCK_CLOEXEC) != 0);
	}
	if (nr == L_SOCKETPAIR)
		return -L_EOPNOTSUPP;	/* AF_UNIX is not built */
	if (nr < L_SOCKET || nr > L_GETSOCKOPT)
		if (nr != L_ACCEPT4)
			return -ENOSYS;
	if ((int64_t)arg[0] < 0 || arg[0] >= NFD || !(f = p->fd[arg[0]]))
		return -EBADF;
	if (f->vn->kind != VN_SOCK)
		return -L_ENOTSOCK;
	if (nr == L_ACCEPT4 && (arg[3] & ~(uint64_t)(L_SOCK_NONBLOCK | L_SOCK_CLOEXEC)))
		return -EINVAL;
	v = net_call(p, p->ep, (uint32_t)nr, f->vn, arg + 1, (f->flags & O_NONBLOCK) != 0);
	if (v < 0 || (nr != L_ACCEPT && nr != L_ACCEPT4))
		return v;
	/* accept: a new socket in NET; give it a descriptor here */
	return sock_install(p, (int)v, nr == L_ACCEPT4 && (arg[3] & L_SOCK_NONBLOCK),
	    nr == L_ACCEPT4 && (arg[3] & L_SOCK_CLOEXEC));
}
