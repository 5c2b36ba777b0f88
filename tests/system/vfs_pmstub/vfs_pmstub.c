/*
 * A stand-in process manager for the VFS tests, until PM is on main: the
 * first service of the image (so the parent of the others), named `pm`.
 * It owns only what the test program needs besides VFS: fork (stopped
 * copy, Fork to VFS, then started), getpid, set_tid_address and exit
 * (Exit to VFS, so descriptors close and a pipe's reader sees EOF). When
 * the test program itself ends, the tests are over.
 */
#include "../test.h"
#include <pm_vfs.h>

static struct contract_monitor mon;
static endpoint_t vfs;

static int tell_vfs_exit(endpoint_t who)
{
	struct pm_vfs_msg r;
	int e = pm_vfs_call_Exit(&mon, vfs, who, &r);

	return e < 0 ? e : r.type == PM_VFS_OK ? 0 : -1;
}

static long do_fork(endpoint_t parent)
{
	struct user_regs regs;
	struct pm_vfs_msg r;
	long child;
	int e;

	if ((child = kcall(KC_FORK, parent, FORK_STOPPED, 0, 0, 0, 0)) < 0)
		return child;
	if ((e = pm_vfs_call_Fork(&mon, vfs, parent, (endpoint_t)child, &r)) < 0 ||
	    r.type != PM_VFS_OK) {
		sys_exit((endpoint_t)child, 0);
		return -ENOMEM;
	}
	if (sys_getregs((endpoint_t)child, &regs) < 0)
		return -ENOMEM;
	regs.rax = 0;
	if (sys_setregs((endpoint_t)child, &regs) < 0)
		return -ENOMEM;
	return child;
}

int main(void)
{
	endpoint_t prog = lookup_endpoint("vfs_t");
	struct fault_report fr;
	message_t m;
	int status = -1;

	pm_vfs_monitor_init(&mon, CONTRACT_CLIENT);
	vfs = lookup_endpoint("vfs");
	for (;;) {
		long r = -ENOSYS;
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			if (m.source == SYSTEM) {
				while (sys_getevent(&fr) == 1) {
					if (fr.vector == EVENT_EXIT)
						continue;
					printf("not ok vfs_program_fault (endpoint %d vector %u rip %lx addr %lx)\n",
					    fr.endpoint, fr.vector, (unsigned long)fr.rip, (unsigned long)fr.addr);
					sys_exit(fr.endpoint, 0);
					if (fr.endpoint == prog)
						tests_finish();
				}
			}
			continue;	/* VFS's SIGPIPE notices: no signals here */
		}
		if (m.type != MSG_SYSCALL)
			continue;
		switch (m.u.q[0]) {
		case 39:	/* getpid */
			r = m.source;
			break;
		case 218:	/* set_tid_address */
			r = m.source;
			break;
		case 57:	/* fork */
			r = do_fork(m.source);
			break;
		case 60:	/* exit */
		case 231:	/* exit_group */
			status = (int)m.u.q[1];
			CHECK_EQ(m.source == prog ? "vfs_exit_closes_files" : "vfs_child_exit_closes_files",
			    tell_vfs_exit(m.source), 0);
			sys_exit(m.source, status);
			if (m.source == prog) {
				CHECK_EQ("vfs_program_exit_status", status, 0);
				tests_finish();
			}
			continue;
		}
		m.u.q[0] = (uint64_t)r;
		ipc_sendnb(m.source, &m);
	}
}
