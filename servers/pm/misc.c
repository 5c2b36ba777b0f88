/*
 * The small calls: uname, resource limits and usage, sysinfo, prctl,
 * getrandom, sched_yield, set_robust_list, reboot.
 */
#include "pm.h"
#include "sysnr.h"

#define LINUX_REBOOT_MAGIC1	0xfee1deadu
#define LINUX_REBOOT_CMD_RESTART	0x01234567u
#define LINUX_REBOOT_CMD_HALT		0xcdef0123u
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcu
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdefu
#define LINUX_REBOOT_CMD_CAD_OFF	0u
#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

static long do_uname(struct mproc *p, uint64_t buf)
{
	static const char *const f[6] = {
		"Bulkhead", "bulkhead", "6.1.0-bulkhead", "#1 Bulkhead", "x86_64", "(none)",
	};
	char u[6 * 65];
	int i;

	memset(u, 0, sizeof(u));
	for (i = 0; i < 6; i++)
		strncpy(u + 65 * i, f[i], 64);
	return copy_out(p->ep, buf, u, sizeof(u)) < 0 ? -EFAULT : 0;
}

static long do_prlimit(struct mproc *p, long pid, uint64_t res, uint64_t newp, uint64_t oldp)
{
	struct mproc *t = pid ? mp_by_pid((int)pid) : p;
	uint64_t lim[2];

	if (!t || t->zombie)
		return -ESRCH;
	if (res >= NR_RLIMITS)
		return -EINVAL;
	if (newp) {
		if (copy_in(p->ep, newp, lim, sizeof(lim)) < 0)
			return -EFAULT;
		if (lim[0] > lim[1])
			return -EINVAL;
		if (lim[1] > t->rlim[res][1] && p->euid != 0)
			return -EPERM;
	}
	if (oldp && copy_out(p->ep, oldp, t->rlim[res], sizeof(lim)) < 0)
		return -EFAULT;
	if (newp) {
		t->rlim[res][0] = lim[0];
		t->rlim[res][1] = lim[1];
	}
	return 0;
}

static long do_getrusage(struct mproc *p, long who, uint64_t buf)
{
	uint64_t ru[18], t, hz = ticks_hz();
	struct info_proc ip;

	memset(ru, 0, sizeof(ru));
	if (who == 0 || who == 1) {	/* RUSAGE_SELF, RUSAGE_THREAD */
		t = sys_getinfo(INFO_PROC, ENDPOINT_SLOT(p->ep), &ip, sizeof(ip)) > 0 ? ip.ticks : 0;
	} else if (who == -1) {		/* RUSAGE_CHILDREN */
		t = p->child_ticks;
	} else {
		return -EINVAL;
	}
	ru[0] = t / hz;
	ru[1] = (t % hz) * (1000000 / hz);
	return copy_out(p->ep, buf, ru, sizeof(ru)) < 0 ? -EFAULT : 0;
}

static long do_sysinfo(struct mproc *p, uint64_t buf)
{
	struct info_kernel k;
	uint8_t si[112];
	uint64_t v;
	uint16_t n = 0;
	uint32_t unit = (uint32_t)PAGE;
	int i;

	if (sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k)) < 0)
		return -EIO;
	for (i = 0; i < NR_PROCS; i++)
		n += mproc[i].in_use && !mproc[i].zombie;
	memset(si, 0, sizeof(si));
	v = k.ticks / k.hz;
	memcpy(si, &v, 8);
	memcpy(si + 32, &k.total_frames, 8);	/* in mem_unit (pages) */
	memcpy(si + 40, &k.free_frames, 8);
	memcpy(si + 80, &n, 2);
	memcpy(si + 104, &unit, 4);
	return copy_out(p->ep, buf, si, sizeof(si)) < 0 ? -EFAULT : 0;
}

static long do_getrandom(struct mproc *p, uint64_t buf, uint64_t len, uint64_t flags)
{
	uint64_t chunk[32], done = 0;
	size_t n, i;

	if (flags & ~7ull)
		return -EINVAL;
	if (len > 33554431)
		len = 33554431;
	while (done < len) {
		for (i = 0; i < 32; i++)
			chunk[i] = prng_next();
		n = len - done < sizeof(chunk) ? (size_t)(len - done) : sizeof(chunk);
		if (copy_out(p->ep, buf + done, chunk, n) < 0)
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

static long do_prctl(struct mproc *p, uint64_t *a)
{
	char name[16];

	switch (a[0]) {
	case PR_SET_NAME:
		memset(name, 0, sizeof(name));
		/* copy up to 16 bytes, but not past the end of its page */
		if (copy_in(p->ep, a[1], name,
		    PAGE - (a[1] & (PAGE - 1)) < 16 ? PAGE - (a[1] & (PAGE - 1)) : 16) < 0)
			return -EFAULT;
		name[15] = 0;
		memcpy(p->comm, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_out(p->ep, a[1], p->comm, sizeof(p->comm)) < 0 ? -EFAULT : 0;
	case PR_SET_PDEATHSIG:
		return a[1] > NR_SIGS ? -EINVAL : 0;
	case PR_GET_PDEATHSIG: {
		int32_t z = 0;
		return copy_out(p->ep, a[1], &z, 4) < 0 ? -EFAULT : 0;
	}
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
	case PR_SET_NO_NEW_PRIVS:
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return 0;
	}
	return -EINVAL;
}

/*
 * As a real system going down: end every process (VFS closes their
 * files), then have VFS write back and unmount the file systems, so the
 * disk is marked clean and the next boot's fsck has nothing to do.
 */
static void power_off(void)
{
	struct pm_vfs_msg vm;
	int i, r;

	for (i = 0; i < NR_PROCS; i++)
		if (mproc[i].in_use && !mproc[i].zombie)
			proc_exit(&mproc[i], SIGKILL, 0);
	if (vfs_endpoint() > 0 &&
	    (r = vfs_result(pm_vfs_call_Shutdown(&vfs_mon, vfs_endpoint(), &vm), &vm)) < 0)
		printf("pm: unmounting failed (%d)\n", r);
	(void)sys_shutdown(0);
}

static long do_reboot(struct mproc *p, uint64_t *a)
{
	uint32_t m2 = (uint32_t)a[1], cmd = (uint32_t)a[2];

	if (p->euid != 0)
		return -EPERM;
	if ((uint32_t)a[0] != LINUX_REBOOT_MAGIC1 ||
	    (m2 != 672274793 && m2 != 85072278 && m2 != 369367448 && m2 != 537993216))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_RESTART:	/* no reset yet: power off */
		printf("pm: reboot(0x%x) by pid %d: power off\n", cmd, p->pid);
		power_off();
		return -EIO;
	}
	return -EINVAL;
}

long do_misc_call(struct mproc *p, uint64_t nr, uint64_t *a)
{
	switch (nr) {
	case NR_uname:
		return do_uname(p, a[0]);
	case NR_prlimit64:
		return do_prlimit(p, (long)(int)a[0], a[1], a[2], a[3]);
	case NR_getrlimit:
		return do_prlimit(p, 0, a[0], 0, a[1]);
	case NR_setrlimit:
		return do_prlimit(p, 0, a[0], a[1], 0);
	case NR_getrusage:
		return do_getrusage(p, (long)(int)a[0], a[1]);
	case NR_sysinfo:
		return do_sysinfo(p, a[0]);
	case NR_prctl:
		return do_prctl(p, a);
	case NR_getrandom:
		return do_getrandom(p, a[0], a[1], a[2]);
	case NR_sched_yield:
	case NR_set_robust_list:
		return 0;
	case NR_reboot:
		return do_reboot(p, a);
	}
	return -ENOSYS;
}
