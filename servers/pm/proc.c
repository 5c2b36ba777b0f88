/*
 * Processes: fork, exit, wait, pids, process groups, sessions and
 * credentials. A process's kernel endpoint is its identity inside
 * Bulkhead; its pid is what POSIX programs see.
 */
#include "pm.h"
#include "sysnr.h"

#define WNOHANG		1
#define WUNTRACED	2
#define WEXITED		4
#define WCONTINUED	8
#define WNOWAIT		0x01000000
#define P_ALL		0
#define P_PID		1
#define P_PGID		2

#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_THREAD		0x00010000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_OK (0xff | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

static int next_pid = 2;

struct mproc *mp_by_pid(int pid)
{
	int i;

	if (pid <= 0)
		return 0;
	for (i = 0; i < NR_PROCS; i++)
		if (mproc[i].in_use && mproc[i].pid == pid)
			return &mproc[i];
	return 0;
}

/* A pid that is no process's pid, group or session. */
static int pid_alloc(void)
{
	int tries, i, busy;

	for (tries = 0; tries < 32768; tries++) {
		int pid = next_pid++;
		if (next_pid >= 32768)
			next_pid = 2;
		for (busy = 0, i = 0; i < NR_PROCS && !busy; i++)
			busy = mproc[i].in_use && (mproc[i].pid == pid ||
			    mproc[i].pgid == pid || mproc[i].sid == pid);
		if (!busy)
			return pid;
	}
	return -1;
}

static long do_fork(struct mproc *p, uint64_t flags, uint64_t ptid, uint64_t ctid)
{
	struct pm_vfs_msg vm;
	struct user_regs regs;
	struct mproc *c;
	long ep;
	int pid, r;
	uint32_t tid;

	if ((pid = pid_alloc()) < 0)
		return -EAGAIN;
	ep = sys_fork_flags(p->ep, FORK_STOPPED);
	if (ep < 0)
		return ep == -ENOMEM ? -ENOMEM : -EAGAIN;
	if (!(c = mp_alloc((endpoint_t)ep))) {
		(void)sys_exit((endpoint_t)ep, 0);
		return -EAGAIN;
	}
	*c = *p;
	c->ep = (endpoint_t)ep;
	c->pid = pid;
	c->ppid = p->pid;
	c->pending = 0;
	c->in_call = 0;
	c->wait = W_NONE;
	c->alarm_tick = 0;
	c->alarm_every = 0;
	c->stopped = 0;
	c->child_ticks = 0;
	c->start_tick = now_ticks();
	c->clear_tid = (flags & CLONE_CHILD_CLEARTID) ? ctid : 0;
	fork_drop_privileges(c);
	if (vfs_endpoint() > 0) {
		r = vfs_result(pm_vfs_call_Fork(&vfs_mon, vfs_endpoint(), p->ep, c->ep, &vm), &vm);
		if (r < 0) {
			(void)sys_exit(c->ep, 0);
			mp_unlink(c);
			c->in_use = 0;
			return r == -EDEADSRCDST ? -EAGAIN : r;
		}
	}
	tid = (uint32_t)pid;
	if ((flags & CLONE_CHILD_SETTID) && copy_out(c->ep, ctid, &tid, 4) < 0)
		c->clear_tid = 0;	/* Linux ignores a bad pointer here too */
	if ((flags & CLONE_PARENT_SETTID) && copy_out(p->ep, ptid, &tid, 4) < 0)
		(void)0;
	if (sys_getregs(c->ep, &regs) < 0) {
		proc_exit(c, SIGKILL, 0);
		return -EAGAIN;
	}
	regs.rax = 0;
	if (sys_setregs(c->ep, &regs) < 0) {
		proc_exit(c, SIGKILL, 0);
		return -EAGAIN;
	}
	psinfo_fork(p, c);
	return pid;
}

static void free_entry(struct mproc *p)
{
	struct mproc *parent = mp_by_pid(p->ppid);

	if (parent)
		parent->child_ticks += p->child_ticks;
	mp_unlink(p);
	p->in_use = 0;
	psinfo_note(p);
}

/*
 * The process ends with wait status `wstatus`. Unless `gone` (it ended
 * itself in the kernel), VFS closes its files and PM ends it. It stays a
 * zombie for its parent's wait; its children go to init.
 */
void proc_exit(struct mproc *p, int wstatus, int gone)
{
	struct pm_vfs_msg vm;
	struct info_proc ip;
	struct mproc *parent, *init = mp_by_pid(1);
	int i, zombies = 0, code, status;

	if (!p->in_use || p->zombie)
		return;
	if (sys_getinfo(INFO_PROC, ENDPOINT_SLOT(p->ep), &ip, sizeof(ip)) > 0 && ip.endpoint == p->ep)
		p->child_ticks += ip.ticks;
	if (vfs_endpoint() > 0)
		(void)pm_vfs_call_Exit(&vfs_mon, vfs_endpoint(), p->ep, &vm);
	if (!gone)
		(void)sys_exit(p->ep, 0);
	mp_unlink(p);
	p->zombie = 1;
	p->in_call = 0;
	p->wait = W_NONE;
	p->alarm_tick = 0;
	p->wstatus = wstatus;
	psinfo_note(p);
	timers_rearm();
	if (p->pid == 1)
		printf("pm: init ended (wait status 0x%x)\n", wstatus);
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *c = &mproc[i];
		if (!c->in_use || c->ppid != p->pid || c == p)
			continue;
		c->ppid = 1;
		zombies += c->zombie;
		psinfo_note(c);
	}
	if (zombies && init && init != p)
		wait_check(init);
	parent = mp_by_pid(p->ppid);
	if (!parent || parent->zombie) {
		free_entry(p);
		return;
	}
	if (parent->act[SIGCHLD].handler == SIG_IGN || (parent->act[SIGCHLD].flags & SA_NOCLDWAIT)) {
		free_entry(p);	/* nobody will wait: no zombie */
		return;
	}
	chld_info(wstatus, &code, &status);
	sig_send_info(parent, SIGCHLD, code, p->pid, p->uid, status);
	wait_check(parent);
}

/* A zombie's wait status as siginfo's si_code (CLD_*) and si_status. */
void chld_info(int wstatus, int *code, int *status)
{
	if (wstatus & 0x7f) {
		*code = (wstatus & 0x80) ? CLD_DUMPED : CLD_KILLED;
		*status = wstatus & 0x7f;
	} else {
		*code = CLD_EXITED;
		*status = (wstatus >> 8) & 0xff;
	}
}

static int child_matches(struct mproc *parent, struct mproc *c, int idtype, long id)
{
	if (!c->in_use || c->ppid != parent->pid || c == parent)
		return 0;
	switch (idtype) {
	case P_PID:	return c->pid == id;
	case P_PGID:	return c->pgid == id;
	default:	return 1;
	}
}

/* waitid's siginfo for a child. */
static void fill_chld_info(uint8_t *si, struct mproc *c, int code, int status)
{
	int32_t v;

	memset(si, 0, 128);
	v = SIGCHLD; memcpy(si, &v, 4);
	v = code; memcpy(si + 8, &v, 4);
	v = c->pid; memcpy(si + 16, &v, 4);
	v = (int32_t)c->uid; memcpy(si + 20, &v, 4);
	v = status; memcpy(si + 24, &v, 4);
}

/*
 * Try to complete p's wait (wait4 or waitid, its arguments in p->a).
 * Returns the call's result, or NOREPLY if it must go on waiting.
 */
static long wait_try(struct mproc *p)
{
	int is_waitid = p->nr == NR_waitid, idtype, opts, i, any = 0;
	long id;
	uint8_t si[128];

	if (is_waitid) {
		idtype = (int)p->a[0];
		id = (long)(int)p->a[1];
		opts = (int)p->a[3];
		if (idtype < P_ALL || idtype > P_PGID || !(opts & (WEXITED | WUNTRACED | WCONTINUED)))
			return -EINVAL;
	} else {
		long pid = (long)(int)p->a[0];
		opts = (int)p->a[2] | WEXITED;
		if (pid > 0)
			idtype = P_PID, id = pid;
		else if (pid == -1)
			idtype = P_ALL, id = 0;
		else
			idtype = P_PGID, id = pid == 0 ? p->pgid : -pid;
	}
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *c = &mproc[i];
		int st, pid;
		if (!child_matches(p, c, idtype, id))
			continue;
		any = 1;
		if (c->zombie && (opts & WEXITED)) {
			st = c->wstatus;
			pid = c->pid;
			if (is_waitid) {
				int code, status;
				chld_info(st, &code, &status);
				fill_chld_info(si, c, code, status);
				if (p->a[2] && copy_out(p->ep, p->a[2], si, sizeof(si)) < 0)
					return -EFAULT;
			} else if (p->a[1] && copy_out(p->ep, p->a[1], &st, 4) < 0) {
				return -EFAULT;
			}
			if (!(is_waitid && (opts & WNOWAIT)))
				free_entry(c);
			return is_waitid ? 0 : pid;
		}
		if (c->stopped && !c->stop_reported && (opts & WUNTRACED)) {
			st = 0x7f | (c->stop_sig << 8);
			if (is_waitid) {
				fill_chld_info(si, c, CLD_STOPPED, c->stop_sig);
				if (p->a[2] && copy_out(p->ep, p->a[2], si, sizeof(si)) < 0)
					return -EFAULT;
			} else if (p->a[1] && copy_out(p->ep, p->a[1], &st, 4) < 0) {
				return -EFAULT;
			}
			c->stop_reported = 1;
			return is_waitid ? 0 : c->pid;
		}
		if (c->continued && (opts & WCONTINUED)) {
			st = 0xffff;
			if (is_waitid) {
				fill_chld_info(si, c, CLD_CONTINUED, SIGCONT);
				if (p->a[2] && copy_out(p->ep, p->a[2], si, sizeof(si)) < 0)
					return -EFAULT;
			} else if (p->a[1] && copy_out(p->ep, p->a[1], &st, 4) < 0) {
				return -EFAULT;
			}
			c->continued = 0;
			return is_waitid ? 0 : c->pid;
		}
	}
	if (!any)
		return -ECHILD;
	if (opts & WNOHANG) {
		if (is_waitid && p->a[2]) {
			memset(si, 0, sizeof(si));
			if (copy_out(p->ep, p->a[2], si, sizeof(si)) < 0)
				return -EFAULT;
		}
		return 0;
	}
	return NOREPLY;
}

/* Something changed among parent's children: complete its wait if it has one. */
void wait_check(struct mproc *parent)
{
	long r;

	if (!parent->in_use || parent->zombie || parent->wait != W_WAIT)
		return;
	if ((r = wait_try(parent)) != NOREPLY)
		finish(parent, r);
}

static int in_session_group(struct mproc *p, int pgid)
{
	int i;

	for (i = 0; i < NR_PROCS; i++)
		if (mproc[i].in_use && !mproc[i].zombie && mproc[i].pgid == pgid &&
		    mproc[i].sid == p->sid)
			return 1;
	return 0;
}

static long do_setpgid(struct mproc *p, long pid, long pgid)
{
	struct mproc *t = pid ? mp_by_pid((int)pid) : p;

	if (pgid < 0)
		return -EINVAL;
	if (!t || t->zombie || (t != p && t->ppid != p->pid))
		return -ESRCH;
	if (t->sid != p->sid)
		return -EPERM;
	if (t->pid == t->sid)
		return -EPERM;		/* a session leader stays in its group */
	if (!pgid)
		pgid = t->pid;
	if (pgid != t->pid && !in_session_group(p, (int)pgid))
		return -EPERM;
	t->pgid = (int)pgid;
	psinfo_note(t);
	return 0;
}

/* Credentials: -1 (as u32) leaves an id unchanged. Root may set any. */
static int id_ok(struct mproc *p, uint32_t v, int gid)
{
	if (v == (uint32_t)-1 || p->euid == 0)
		return 1;
	if (gid)
		return v == p->gid || v == p->egid || v == p->sgid;
	return v == p->uid || v == p->euid || v == p->suid;
}

static void ids_changed(struct mproc *p)
{
	struct pm_vfs_msg vm;

	if (vfs_endpoint() > 0)
		(void)pm_vfs_call_SetIds(&vfs_mon, vfs_endpoint(), p->ep, p->uid, p->gid,
		    p->euid, p->egid, &vm);
}

static long set_res(struct mproc *p, uint32_t r, uint32_t e, uint32_t s, int gid)
{
	if (!id_ok(p, r, gid) || !id_ok(p, e, gid) || !id_ok(p, s, gid))
		return -EPERM;
	if (gid) {
		if (r != (uint32_t)-1) p->gid = r;
		if (e != (uint32_t)-1) p->egid = e;
		if (s != (uint32_t)-1) p->sgid = s;
	} else {
		if (r != (uint32_t)-1) p->uid = r;
		if (e != (uint32_t)-1) p->euid = e;
		if (s != (uint32_t)-1) p->suid = s;
	}
	ids_changed(p);
	return 0;
}

/* setreuid/setregid: the saved id follows the new effective one when the real id is set or the effective one moves off the real one. */
static long set_re(struct mproc *p, uint32_t r, uint32_t e, int gid)
{
	uint32_t *ids = gid ? &p->gid : &p->uid;
	uint32_t *eid = gid ? &p->egid : &p->euid;
	uint32_t *sid = gid ? &p->sgid : &p->suid;
	uint32_t none = (uint32_t)-1;

	if (p->euid != 0 && ((r != none && r != *ids && r != *eid) || !id_ok(p, e, gid)))
		return -EPERM;
	if (r != none || (e != none && e != *ids))
		*sid = e != none ? e : *eid;
	if (r != none)
		*ids = r;
	if (e != none)
		*eid = e;
	ids_changed(p);
	return 0;
}

static long get_res(struct mproc *p, uint64_t *a, int gid)
{
	uint32_t v[3];

	v[0] = gid ? p->gid : p->uid;
	v[1] = gid ? p->egid : p->euid;
	v[2] = gid ? p->sgid : p->suid;
	if (copy_out(p->ep, a[0], &v[0], 4) < 0 || copy_out(p->ep, a[1], &v[1], 4) < 0 ||
	    copy_out(p->ep, a[2], &v[2], 4) < 0)
		return -EFAULT;
	return 0;
}

long do_proc_call(struct mproc *p, uint64_t nr, uint64_t *a)
{
	uint32_t id = (uint32_t)a[0];
	struct mproc *t;
	long r;

	switch (nr) {
	case NR_getpid:
	case NR_gettid:
		return p->pid;
	case NR_getppid:
		return p->ppid;
	case NR_fork:
	case NR_vfork:		/* as fork: a copy is a correct vfork */
		return do_fork(p, SIGCHLD, 0, 0);
	case NR_clone:
		/* clone(flags, newsp, parent_tid, child_tid, tls): processes only */
		if ((a[0] & ~(uint64_t)CLONE_OK) || a[1])
			return -EINVAL;
		return do_fork(p, a[0], a[2], a[3]);
	case NR_exit:
	case NR_exit_group:
		proc_exit(p, (int)(a[0] & 0xff) << 8, 0);
		return NOREPLY;
	case NR_wait4:
		if (a[2] & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | 0x40000000 | 0x80000000))
			return -EINVAL;
		if (a[3]) {
			uint8_t ru[144];
			memset(ru, 0, sizeof(ru));
			if (copy_out(p->ep, a[3], ru, sizeof(ru)) < 0)
				return -EFAULT;
		}
		/* fall through */
	case NR_waitid:
		if ((r = wait_try(p)) == NOREPLY)
			p->wait = W_WAIT;
		return r;
	case NR_set_tid_address:
		p->clear_tid = a[0];
		return p->pid;
	case NR_getpgrp:
		return p->pgid;
	case NR_getpgid:
	case NR_getsid:
		t = a[0] ? mp_by_pid((int)a[0]) : p;
		if (!t || t->zombie)
			return -ESRCH;
		return nr == NR_getsid ? t->sid : t->pgid;
	case NR_setpgid:
		return do_setpgid(p, (long)(int)a[0], (long)(int)a[1]);
	case NR_setsid: {
		int i;
		for (i = 0; i < NR_PROCS; i++)
			if (mproc[i].in_use && mproc[i].pgid == p->pid)
				return -EPERM;	/* already a group leader */
		p->sid = p->pgid = p->pid;
		return p->sid;
	}
	case NR_getuid:		return p->uid;
	case NR_geteuid:	return p->euid;
	case NR_getgid:		return p->gid;
	case NR_getegid:	return p->egid;
	case NR_setuid:
		if (p->euid == 0)
			return set_res(p, id, id, id, 0);
		return set_res(p, (uint32_t)-1, id, (uint32_t)-1, 0);
	case NR_setgid:
		if (p->euid == 0)
			return set_res(p, id, id, id, 1);
		return set_res(p, (uint32_t)-1, id, (uint32_t)-1, 1);
	case NR_setreuid:
	case NR_setregid:
		return set_re(p, (uint32_t)a[0], (uint32_t)a[1], nr == NR_setregid);
	case NR_setresuid:
		return set_res(p, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], 0);
	case NR_setresgid:
		return set_res(p, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2], 1);
	case NR_getresuid:
		return get_res(p, a, 0);
	case NR_getresgid:
		return get_res(p, a, 1);
	case NR_getgroups: {
		long n = (long)(int)a[0];
		if (n == 0)
			return p->ngroups;
		if (n < p->ngroups)
			return -EINVAL;
		if (copy_out(p->ep, a[1], p->groups, (size_t)p->ngroups * 4) < 0)
			return -EFAULT;
		return p->ngroups;
	}
	case NR_setgroups:
		if (p->euid != 0)
			return -EPERM;
		if (a[0] > NR_GROUPS)
			return -EINVAL;
		if (copy_in(p->ep, a[1], p->groups, a[0] * 4) < 0)
			return -EFAULT;
		p->ngroups = (int)a[0];
		return 0;
	}
	return -ENOSYS;
}
