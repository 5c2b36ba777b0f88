/*
 * The one privileged user program. Every user process holds the shared
 * `user` privileges (etc/user.svc: the POSIX servers only), except that
 * when root executes /sbin/service PM moves the process to the `service`
 * privilege set: etc/service.svc, an entry of the boot image without a
 * program, which may also reach RS (docs/recovery.md). So `service`
 * works from the shell, and no other program, and nobody but root, can
 * ask RS to stop or restart a driver. A process leaves the set when it
 * executes anything else, and its children never have it.
 *
 * The set's privilege id is its index in the boot image, which PM reads
 * once through a read-only view of the image's header (`mapphys`,
 * `memory bootimage` in etc/pm.svc). The kernel lets one live process
 * hold a service's privileges at a time: a second concurrent `service`
 * runs with the user set and RS refuses it.
 */
#include "pm.h"
#include <bulkhead/image.h>

#define SERVICE_PATH	"/sbin/service"
#define SERVICE_SET	"service"
#define IMAGE_VA	0x100000000ul	/* PM's view of the boot image header */

/* The `service` set's privilege id; -ENOENT if the image has none. */
static int service_priv_id(void)
{
	static int id = -1;	/* -1: not looked up yet */
	const struct image_header *h = (const struct image_header *)IMAGE_VA;
	struct info_kernel k;
	uint64_t len = PAGE_UP(sizeof(*h) + IMAGE_MAX * sizeof(struct image_entry));
	uint32_t i;

	if (id != -1)
		return id;
	id = -ENOENT;
	if (sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k)) < 0 || k.boot_image_size < sizeof(*h))
		return id;
	if (len > PAGE_UP(k.boot_image_size))
		len = PAGE_UP(k.boot_image_size);
	if (sys_mapphys(IMAGE_VA, k.boot_image_phys, len, PROT_R) < 0) {
		printf("pm: cannot read the boot image: no `service` privileges\n");
		return id;
	}
	if (memcmp(h->magic, IMAGE_MAGIC, 8) || h->count > IMAGE_MAX ||
	    sizeof(*h) + h->count * sizeof(struct image_entry) > len)
		return id;
	for (i = 0; i < h->count; i++)
		if (h->entry[i].kind == IMAGE_PROGRAM && !h->entry[i].size &&
		    !strncmp(h->entry[i].name, SERVICE_SET, IMAGE_NAME_LEN))
			id = (int)i;
	return id;
}

/* Move p to the privilege set the program it now runs (execfn) gets. */
void exec_set_privileges(struct mproc *p, const char *execfn)
{
	int want = p->euid == 0 && !strcmp(execfn, SERVICE_PATH);
	int id = want ? service_priv_id() : PRIV_USER;
	long r;

	if (want == p->service_priv || id < 0)
		return;
	if ((r = sys_setpriv(p->ep, id, 0)) < 0) {
		/* Another `service` holds the set: this one stays a user. */
		printf("pm: pid %d keeps user privileges (error %ld)\n", p->pid, r);
		return;
	}
	p->service_priv = want;
}

/* A child of a `service` process is an ordinary user process. */
void fork_drop_privileges(struct mproc *c)
{
	if (!c->service_priv)
		return;
	if (sys_setpriv(c->ep, PRIV_USER, 0) < 0)
		printf("pm: pid %d: cannot drop the service privileges\n", c->pid);
	c->service_priv = 0;
}
