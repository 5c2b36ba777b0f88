/*
 * A stand-in VFS for the process manager's system test: it speaks the
 * server side of pm_vfs, serving executables from data entries of the boot
 * image (mapped read-only), and owns write/writev/ioctl so that the Linux
 * test programs can print through the kernel console.
 */
#include "../test.h"
#include <bulkhead/image.h>
#include <pm_vfs.h>

#define IMAGE_VA	0x40000000ul

static const struct { const char *path, *entry; uint64_t clip; } files[] = {
	{ "/sbin/init", "pmt_init", 0 },
	{ "/bin/pmt_child", "pmt_child", 0 },
	{ "/bin/truncated", "pmt_child", 100 },	/* headers cut short: ENOEXEC */
};
#define NFILES (int)(sizeof(files) / sizeof(files[0]))

static struct contract_monitor mon;
static const struct image_header *img;
static uint64_t img_size;

static const struct image_entry *entry_named(const char *name)
{
	uint32_t i;

	for (i = 0; i < img->count; i++)
		if (!strncmp(img->entry[i].name, name, IMAGE_NAME_LEN) && img->entry[i].kind == IMAGE_FILE)
			return &img->entry[i];
	return 0;
}

static void serve_pm(message_t *raw)
{
	static char path[256];
	struct pm_vfs_msg m;
	const struct image_entry *e;
	int i;

	if (pm_vfs_accept(&mon, raw, &m) != 0)
		return;
	switch (m.type) {
	case PM_VFS_EXECOPEN:
		if (m.u.ExecOpen.pathlen > sizeof(path) ||
		    sys_vcopy(m.u.ExecOpen.proc, m.u.ExecOpen.path, SELF, (uint64_t)path,
		    m.u.ExecOpen.pathlen) < 0) {
			pm_vfs_reply_Fail(&mon, m.peer, -EFAULT);
			return;
		}
		path[sizeof(path) - 1] = 0;
		for (i = 0; i < NFILES; i++)
			if (!strcmp(path, files[i].path) && (e = entry_named(files[i].entry))) {
				pm_vfs_reply_Opened(&mon, m.peer, files[i].clip ? files[i].clip : e->size,
				    (uint32_t)i, 0100755, 0, 0);
				return;
			}
		pm_vfs_reply_Fail(&mon, m.peer, -ENOENT);
		return;
	case PM_VFS_EXECREAD: {
		struct pm_vfs_ExecRead *r = &m.u.ExecRead;
		uint64_t size;
		if (r->handle >= (uint32_t)NFILES || !(e = entry_named(files[r->handle].entry))) {
			pm_vfs_reply_Fail(&mon, m.peer, -EBADF);
			return;
		}
		size = files[r->handle].clip ? files[r->handle].clip : e->size;
		if (r->offset >= size) {
			pm_vfs_reply_Ok(&mon, m.peer, 0);
			return;
		}
		if (r->len > size - r->offset)
			r->len = size - r->offset;
		if (sys_vcopy(SELF, IMAGE_VA + e->offset + r->offset, r->dst, r->va, r->len) < 0) {
			pm_vfs_reply_Fail(&mon, m.peer, -EFAULT);
			return;
		}
		pm_vfs_reply_Ok(&mon, m.peer, (int64_t)r->len);
		return;
	}
	default:	/* Fork, Exit, SetIds, ExecClose, ExecDone, Cancel: nothing to keep */
		pm_vfs_reply_Ok(&mon, m.peer, 0);
		return;
	}
}

static long user_write(endpoint_t ep, uint64_t fd, uint64_t buf, uint64_t n)
{
	char b[512];
	uint64_t done = 0, k;

	if (fd != 1 && fd != 2)
		return -EBADF;
	while (done < n) {
		k = n - done < sizeof(b) ? n - done : sizeof(b);
		if (sys_vcopy(ep, buf + done, SELF, (uint64_t)b, k) < 0)
			return done ? (long)done : -EFAULT;
		sys_print(b, k);
		done += k;
	}
	return (long)done;
}

static long user_call(message_t *m)
{
	uint64_t *q = m->u.q, iov[2], total = 0, i;
	long r;

	switch (q[0]) {
	case 1:		/* write */
		return user_write(m->source, q[1], q[2], q[3]);
	case 20:	/* writev */
		for (i = 0; i < q[3] && i < 64; i++) {
			if (sys_vcopy(m->source, q[2] + 16 * i, SELF, (uint64_t)iov, 16) < 0)
				return -EFAULT;
			if ((r = user_write(m->source, q[1], iov[0], iov[1])) < 0)
				return r;
			total += (uint64_t)r;
		}
		return (long)total;
	case 16:	/* ioctl: no terminal here */
		return -ENOTTY;
	}
	return -ENOSYS;
}

int main(void)
{
	struct info_kernel k;
	message_t m;

	pm_vfs_monitor_init(&mon, CONTRACT_SERVER);
	if (sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k)) < 0)
		return 1;
	img_size = (k.boot_image_size + 4095) & ~4095ul;
	if (sys_mapphys(IMAGE_VA, k.boot_image_phys, img_size, PROT_R) < 0) {
		printf("not ok pm_vfsstub_maps_boot_image\n");
		return 1;
	}
	img = (const struct image_header *)IMAGE_VA;
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (PM_VFS_OWNS(m.type)) {
			serve_pm(&m);
		} else if (m.type == MSG_SYSCALL) {
			m.u.q[0] = (uint64_t)user_call(&m);
			(void)ipc_sendnb(m.source, &m);
		}
	}
}
