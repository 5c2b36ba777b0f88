/*
 * IS restarts with nothing to lose (docs/is.md): under the real RS and IS
 * manifests (tests/system/isr.image), this test speaks procfs to IS as
 * VFS does (names and data through a buffer it grants to IS), has RS
 * restart IS (`service restart is`), and checks that the old endpoint is
 * dead, that the new IS answers the same inode numbers, and that what it
 * shows is current (its own new endpoint in /proc/endpoints).
 */
#include "../../../user/service/service.c"
#include "../test.h"
#include <procfs.h>

#define WAIT_TICKS	500	/* hang guard only */

static struct contract_monitor mon;
static struct grant grants[1];
static char xfer[16384];

static uint64_t ticks_now(void)
{
	struct info_kernel ik;

	return sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik)) < 0 ? 0 : ik.ticks;
}

/* Look name up in /proc's root on is: its inode, or a negative errno. */
static long lookup(endpoint_t is, uint32_t root, const char *name)
{
	struct procfs_msg r;
	uint32_t len = (uint32_t)strlen(name);
	int e;

	memcpy(xfer, name, len);
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ | GRANT_WRITE, is,
		(uint64_t)xfer, sizeof(xfer), 0 };
	if ((e = procfs_call_Lookup(&mon, is, 0, root, len, &r)) < 0)
		return e;
	return r.type == PROCFS_NODE ? (long)r.u.Node.ino : r.type == PROCFS_FAIL ? r.u.Fail.error : -EIO;
}

/* Read file ino from is into xfer (NUL-terminated): bytes, or an errno. */
static long read_file(endpoint_t is, uint32_t ino)
{
	struct procfs_msg r;
	int e;

	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ | GRANT_WRITE, is,
		(uint64_t)xfer, sizeof(xfer) - 1, 0 };
	if ((e = procfs_call_Read(&mon, is, 0, 0, ino, sizeof(xfer) - 1, &r)) < 0)
		return e;
	if (r.type != PROCFS_OK)
		return r.type == PROCFS_FAIL ? r.u.Fail.error : -EIO;
	xfer[r.u.Ok.value] = 0;
	return (long)r.u.Ok.value;
}

static uint32_t root_of(endpoint_t is)
{
	struct procfs_msg r;

	if (procfs_call_Mount(&mon, is, &r) < 0 || r.type != PROCFS_NODE)
		return 0;
	return r.u.Node.ino;
}

/* Is s at some place in [l, end)? */
static int within(const char *l, const char *end, const char *s)
{
	size_t n = strlen(s);

	for (; l + n <= end; l++)
		if (!strncmp(l, s, n))
			return 1;
	return 0;
}

/* Does /proc/endpoints, in xfer, have a line for endpoint ep named is? */
static int lists_is_at(endpoint_t ep)
{
	char want[32];
	const char *l = xfer, *end;

	snprintf(want, sizeof(want), " %d ", ep);
	for (; *l; l = *end ? end + 1 : end) {
		for (end = l; *end && *end != '\n'; end++)
			;
		if (within(l, end, want) && within(l, end, " is "))
			return 1;
	}
	return 0;
}

int main(endpoint_t self)
{
	char *restart[] = { "service", "restart", "is", NULL };
	endpoint_t is = lookup_endpoint("is"), nis;
	uint64_t deadline;
	uint32_t root;
	long ino, nino;
	message_t m;

	(void)self;
	procfs_monitor_init(&mon, CONTRACT_CLIENT);
	CHECK_EQ("isr_grant_table", sys_setgrant(grants, 1), 0);
	root = root_of(is);
	check("isr_mount", root != 0, root);
	ino = lookup(is, root, "endpoints");
	check("isr_lookup_endpoints", ino > 0, ino);
	check("isr_read_endpoints", read_file(is, (uint32_t)ino) > 0 && lists_is_at(is), is);

	CHECK_EQ("isr_restart_is", service_run(3, restart, NULL, 0), 0);
	deadline = ticks_now() + WAIT_TICKS;
	while (((nis = lookup_endpoint("is")) < 0 || nis == is) && ticks_now() < deadline) {
		sys_alarm(1);
		ipc_receive(CLOCK, &m);
	}
	check("isr_new_endpoint", nis > 0 && nis != is, nis);
	CHECK_EQ("isr_old_endpoint_dead", lookup(is, root, "endpoints"), -EDEADSRCDST);
	CHECK_EQ("isr_same_root_inode", root_of(nis), root);
	nino = lookup(nis, root, "endpoints");
	CHECK_EQ("isr_same_file_inode", nino, ino);
	check("isr_shows_new_self", read_file(nis, (uint32_t)nino) > 0 && lists_is_at(nis), nis);
	CHECK_EQ("isr_missing_name_enoent", lookup(nis, root, "nosuchfile"), -ENOENT);
	tests_finish();
}
