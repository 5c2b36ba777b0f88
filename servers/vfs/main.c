/*
 * VFS main loop: Linux file system calls from user processes (MSG_SYSCALL),
 * PM's requests (pm_vfs), and notifications (the tty has input or signals,
 * the clock for poll/select timeouts).
 *
 * A call that cannot finish (an empty pipe, a terminal without input, a
 * poll with nothing ready) is not answered: the request stays in the
 * process's slot and every suspended request is run again after anything
 * that may have changed the answer. PM ends a wait early with Cancel (a
 * signal: PM has already cancelled the call in the kernel with KC_STOP);
 * a process that makes a new call has lost its old one anyway.
 */
#include "vfs.h"

endpoint_t self_ep, fs_ep = -1, tty_ep = -1, pm_ep = -1, mem_ep = -1, lpt_ep = -1, ac97_ep = -1;
struct contract_monitor fs_mon, tty_mon, mem_mon, lpt_mon, ac97_mon;
static struct contract_monitor pm_mon;
struct vnode *root_vn;
struct grant vfs_grants[VFS_NGRANTS];
int vfs_granting;
static uint64_t hz = 100, alarm_at;

/* Signals for PM to deliver (SIGPIPE, terminal signals), a small ring. */
#define NSIGQ 32
static struct { endpoint_t proc; int pgrp, signo; } sigq[NSIGQ];
static int sigq_head, sigq_len;

/* Executables PM is loading. */
static struct vnode *execs[NEXEC];

uint64_t now_ticks(void)
{
	struct info_kernel ik;

	if (sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik)) < 0)
		return 0;
	if (ik.hz)
		hz = ik.hz;
	return ik.ticks;
}

void set_deadline(struct proc *p, uint64_t ms)
{
	uint64_t now = now_ticks();
	uint64_t t = (ms * hz + 999) / 1000;

	p->deadline = now + (t ? t : 1);
	if (!alarm_at || p->deadline < alarm_at || alarm_at <= now) {
		alarm_at = p->deadline;
		sys_alarm(p->deadline - now);
	}
}

void queue_signal(endpoint_t proc, int pgrp, int signo)
{
	if (sigq_len == NSIGQ)
		return;		/* dropped: as a pending signal would merge anyway */
	sigq[(sigq_head + sigq_len) % NSIGQ].proc = proc;
	sigq[(sigq_head + sigq_len) % NSIGQ].pgrp = pgrp;
	sigq[(sigq_head + sigq_len) % NSIGQ].signo = signo;
	sigq_len++;
	if (pm_ep >= 0)
		ipc_notify(pm_ep);
}

static void reply(endpoint_t to, long v)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.u.q[0] = (uint64_t)v;
	ipc_sendnb(to, &m);	/* a client that went away loses its answer */
}

/* Run every suspended call again; answer those that can finish now. */
static void retry_suspended(void)
{
	int again = 1, rounds = 0;

	/* One answer can unblock another (a reader frees space for a
	 * writer), so go round until nothing changes. */
	while (again && rounds++ < 8) {
		struct proc *p;
		again = 0;
		for (p = procs; p < procs + NPROC; p++) {
			long r;
			if (!p->ep || !p->susp)
				continue;
			r = do_syscall(p, &p->req);
			if (r == SUSPEND)
				continue;
			p->susp = 0;
			p->done = 0;
			p->deadline = 0;
			reply(p->ep, r);
			again = 1;
		}
	}
}

static void rearm_alarm(void)
{
	struct proc *p;
	uint64_t next = 0, now = now_ticks();

	for (p = procs; p < procs + NPROC; p++)
		if (p->ep && p->susp && p->deadline && (!next || p->deadline < next))
			next = p->deadline;
	alarm_at = next;
	if (next)
		sys_alarm(next > now ? next - now : 1);
}

static void syscall_msg(message_t *m)
{
	struct proc *p = proc_get(m->source, 1);
	long r;

	p->susp = 0;		/* a new call: any older one was cancelled */
	p->done = 0;
	p->deadline = 0;
	r = do_syscall(p, m);
	if (r == SUSPEND) {
		p->req = *m;
		p->susp = 1;
		return;
	}
	reply(m->source, r);
	retry_suspended();	/* this call may have unblocked others */
}

/*
 * The tty driver's endpoint after RS restarted it (found by name): 1 if it
 * changed, so a call that failed on the old one is worth making again.
 * The new driver NOTIFYs us when it starts, and calls that waited on the
 * old one are retried then.
 */
int tty_reconnect(void)
{
	long ep = lookup_endpoint("tty");

	if (ep < 0 || ep == tty_ep)
		return 0;
	contract_forget(&tty_mon, tty_ep);
	tty_ep = (endpoint_t)ep;
	return 1;
}

/* The terminal's signals, handed on to PM. */
static void tty_event(void)
{
	struct chardev_msg r;
	int n = 0;

	while (n++ < NSIGQ && chardev_call_TakeSignal(&tty_mon, tty_ep, &r) == 0 &&
	    r.type == CHARDEV_SIGNAL)
		queue_signal(NONE, r.u.Signal.pgrp, r.u.Signal.signo);
}

static long exec_open(struct pm_vfs_ExecOpen *a, struct pm_vfs_msg *out)
{
	static char path[PATH_MAX];
	struct proc *p = proc_get(a->proc, 1);
	struct vnode *v;
	long r;
	int h;

	(void)out;
	if ((r = copy_path(p, a->path, path)) < 0)
		return r;
	if ((r = namei(p, AT_FDCWD, path, 1, &v)) < 0)
		return r;
	if (!S_ISREG(v->mode) || (r = vn_perm(p, v, 1, 0)) < 0 || (r = vn_perm(p, v, 4, 0)) < 0) {
		vn_put(v);
		return r < 0 ? r : -EACCES;
	}
	for (h = 0; h < NEXEC && execs[h]; h++)
		;
	if (h == NEXEC || (r = vn_hold(v)) < 0) {
		vn_put(v);
		return h == NEXEC ? -ENFILE : r;
	}
	execs[h] = v;
	return h;
}

static void pm_request(message_t *raw)
{
	struct pm_vfs_msg m;
	struct proc *p, *par;
	long r = 0;

	if (pm_vfs_accept(&pm_mon, raw, &m) < 0)
		return;
	switch (m.type) {
	case PM_VFS_FORK:
		par = proc_get(m.u.Fork.parent, 0);
		p = proc_get(m.u.Fork.child, 1);
		if (par)
			proc_copy(p, par);
		break;
	case PM_VFS_EXIT:
		if ((p = proc_get(m.u.Exit.proc, 0)))
			proc_clear(p);
		retry_suspended();	/* closed pipe ends: EOF, EPIPE */
		break;
	case PM_VFS_SETIDS:
		p = proc_get(m.u.SetIds.proc, 1);
		p->uid = m.u.SetIds.uid;
		p->gid = m.u.SetIds.gid;
		p->euid = m.u.SetIds.euid;
		p->egid = m.u.SetIds.egid;
		break;
	case PM_VFS_EXECOPEN: {
		struct vfs_fs_msg st;
		int e;
		if ((r = exec_open(&m.u.ExecOpen, &m)) < 0)
			break;
		if ((e = fs_stat(execs[r]->ino, &st)) < 0 ||
		    st.type != VFS_FS_ATTR) {
			vn_put(execs[r]);
			execs[r] = NULL;
			r = fs_error(e, &st);
			break;
		}
		pm_vfs_reply_Opened(&pm_mon, raw->source, st.u.Attr.size, (uint32_t)r,
		    st.u.Attr.mode, st.u.Attr.uid, st.u.Attr.gid);
		return;
	}
	case PM_VFS_EXECREAD: {
		struct pm_vfs_ExecRead *a = &m.u.ExecRead;
		struct vfs_fs_msg rr;
		int e;
		if (a->handle >= NEXEC || !execs[a->handle]) {
			r = -EBADF;
			break;
		}
		if (a->len > 0x7ffff000) {
			r = -EINVAL;
			break;
		}
		if ((e = fs_read(a->offset, a->va, a->dst,
		    execs[a->handle]->ino, (uint32_t)a->len, &rr)) < 0 || rr.type != VFS_FS_OK)
			r = fs_error(e, &rr);
		else
			r = rr.u.Ok.value;
		break;
	}
	case PM_VFS_EXECCLOSE:
		if (m.u.ExecClose.handle >= NEXEC || !execs[m.u.ExecClose.handle]) {
			r = -EBADF;
			break;
		}
		vn_put(execs[m.u.ExecClose.handle]);
		execs[m.u.ExecClose.handle] = NULL;
		break;
	case PM_VFS_EXECDONE:
		if ((p = proc_get(m.u.ExecDone.proc, 0)))
			close_cloexec(p);
		retry_suspended();
		break;
	case PM_VFS_CANCEL:
		/*
		 * Forget the suspended call, without answering it: PM stopped
		 * the process first (KC_STOP), which ended the call in the
		 * kernel, so the process no longer waits for VFS and an answer
		 * would only be refused. Ok's value tells PM how many bytes a
		 * write had already moved: as Linux, that count is the call's
		 * result (not EINTR, and no restart).
		 */
		if ((p = proc_get(m.u.Cancel.proc, 0)) && p->susp) {
			r = (long)p->done;
			p->susp = 0;
			p->done = 0;
		}
		break;
	case PM_VFS_SHUTDOWN: {
		struct vfs_fs_msg rr;
		int e;
		vn_release_all();
		if ((e = vfs_fs_call_Unmount(&fs_mon, fs_ep, &rr)) < 0 || rr.type != VFS_FS_OK)
			r = fs_error(e, &rr);
		break;
	}
	case PM_VFS_TAKESIGNAL:
		if (!sigq_len) {
			pm_vfs_reply_Fail(&pm_mon, raw->source, -EAGAIN);
			return;
		}
		pm_vfs_reply_Signal(&pm_mon, raw->source, sigq[sigq_head].proc,
		    sigq[sigq_head].pgrp, sigq[sigq_head].signo);
		sigq_head = (sigq_head + 1) % NSIGQ;
		sigq_len--;
		return;
	default:
		r = -ENOSYS;
	}
	if (r < 0)
		pm_vfs_reply_Fail(&pm_mon, raw->source, (int)(r < -4095 ? -EIO : r));
	else
		pm_vfs_reply_Ok(&pm_mon, raw->source, r);
}

static void log_line(const char *s)
{
	printf("vfs: %s\n", s);
}

int main(endpoint_t self)
{
	struct vfs_fs_msg r;
	message_t m;
	int e;

	self_ep = self;
	contract_log_hook = log_line;
	vfs_fs_monitor_init(&fs_mon, CONTRACT_CLIENT);
	chardev_monitor_init(&tty_mon, CONTRACT_CLIENT);
	chardev_monitor_init(&mem_mon, CONTRACT_CLIENT);
	chardev_monitor_init(&lpt_mon, CONTRACT_CLIENT);
	chardev_monitor_init(&ac97_mon, CONTRACT_CLIENT);
	pm_vfs_monitor_init(&pm_mon, CONTRACT_SERVER);
	/* The root file system: its server starts before us in the image. */
	if ((fs_ep = lookup_endpoint("ext2")) < 0) {
		printf("vfs: no file server\n");
		return 1;
	}
	tty_ep = lookup_endpoint("tty");
	mem_ep = lookup_endpoint("memory");	/* major 1; absent: null, zero served here */
	lpt_ep = lookup_endpoint("lpt");	/* major 6 */
	ac97_ep = lookup_endpoint("ac97");	/* major 14 */
	pm_ep = lookup_endpoint("pm");
	vfs_granting = sys_setgrant(vfs_grants, VFS_NGRANTS) == 0;
	disk_init();		/* block devices (disk.c); a driver absent: ENXIO */
	if ((e = vfs_fs_call_Mount(&fs_mon, fs_ep, &r)) < 0 || r.type != VFS_FS_NODE) {
		printf("vfs: mounting the root failed (%d)\n", fs_error(e, &r));
		return 1;
	}
	root_vn = vn_get(&r.u.Node);
	root_vn->ref++;		/* never freed */
	e = vfs_fs_call_Lookup(&fs_mon, fs_ep, (uint64_t)"proc", self_ep, 4, root_vn->ino, &r);
	mount_init(e == 0 && r.type == VFS_FS_NODE && S_ISDIR(r.u.Node.mode) ? r.u.Node.ino : 0);
	now_ticks();
	printf("vfs: root mounted (ext2), tty %s\n", tty_ep >= 0 ? "present" : "absent");
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_SYSCALL) {
			syscall_msg(&m);
		} else if (m.type == MSG_NOTIFY) {
			if (m.source == tty_ep || (m.source != CLOCK && tty_ep >= 0 &&
			    tty_reconnect() && m.source == tty_ep))
				tty_event();
			if (m.source == CLOCK) {
				retry_suspended();
				rearm_alarm();
			} else {
				retry_suspended();
			}
		} else if (PM_VFS_OWNS(m.type) && (m.source == pm_ep || pm_ep < 0)) {
			pm_request(&m);
		} else {
			reply(m.source, -ENOSYS);
		}
	}
}
