/*
 * Starting a service from the boot image in RAM. RS maps the image
 * read-only (`memory bootimage` in its manifest), then builds each new
 * process itself with kernel calls: a fork of RS, stopped, emptied, loaded
 * from the service's ELF program, given the service's privileges and
 * started. The ELF is checked field by field as kernel/boot_image.c does,
 * since the image is data RS must not trust blindly: a damaged program is
 * refused (ENOEXEC), never followed.
 */
#include "reinc.h"
#include <bulkhead/elf.h>

#define IMAGE_VA	0x100000000ul	/* where RS sees the boot image */
#define PAGE		4096ul
/* The stack the kernel gives boot services (kernel/kernel.h); the native
 * crt0 finds its name at the top, so a restarted service sees the same. */
#define STACK_TOP	0x00007FFFFFFFF000ul
#define STACK_SIZE	(64 * 1024ul)

static const uint8_t *img;
static uint64_t img_size;

/* Map the boot image and check its header as the kernel did at boot. */
int image_open(void)
{
	const struct image_header *h;
	struct info_kernel k;
	uint64_t len;
	long r;

	if ((r = sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k))) < 0)
		return (int)r;
	len = (k.boot_image_size + PAGE - 1) & ~(PAGE - 1);
	if ((r = sys_mapphys(IMAGE_VA, k.boot_image_phys, len, PROT_R)) < 0)
		return (int)r;
	img = (const uint8_t *)IMAGE_VA;
	img_size = k.boot_image_size;
	h = (const struct image_header *)img;
	if (img_size < sizeof(*h) || memcmp(h->magic, IMAGE_MAGIC, 8) ||
	    h->count > IMAGE_MAX ||
	    h->count * sizeof(struct image_entry) > img_size - sizeof(*h))
		return -ENOEXEC;
	return 0;
}

const struct image_header *image(void)
{
	return (const struct image_header *)img;
}

/* A range [va, va+len) inside the user half, below the stack. */
static int user_range(uint64_t va, uint64_t len)
{
	return va + len >= va && va + len <= STACK_TOP - STACK_SIZE;
}

/* Load the ELF program (prog, size) into child c's empty address space;
 * returns the entry point or a negative errno. */
static long load_elf(endpoint_t c, const uint8_t *prog, uint64_t size)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	int entry_ok = 0;
	uint64_t i;
	long r;

	if (size < sizeof(eh))
		return -ENOEXEC;
	memcpy(&eh, prog, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF", 4) || eh.ident[4] != 2 || eh.ident[5] != 1 ||
	    eh.type != 2 || eh.machine != 62 || eh.phentsize != sizeof(ph) ||
	    eh.phnum > 64 || eh.phoff > size ||
	    eh.phnum * sizeof(ph) > size - eh.phoff)
		return -ENOEXEC;
	for (i = 0; i < eh.phnum; i++) {
		uint64_t start, end;
		int prot = PROT_R;
		memcpy(&ph, prog + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD)
			continue;
		if (ph.filesz > ph.memsz || ph.offset > size ||
		    ph.filesz > size - ph.offset || !user_range(ph.vaddr, ph.memsz) ||
		    ((ph.flags & PF_W) && (ph.flags & PF_X)))
			return -ENOEXEC;
		prot |= (ph.flags & PF_W) ? PROT_W : 0;
		prot |= (ph.flags & PF_X) ? PROT_X : 0;
		if ((ph.flags & PF_X) && eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.memsz)
			entry_ok = 1;
		start = ph.vaddr & ~(PAGE - 1);
		end = (ph.vaddr + ph.memsz + PAGE - 1) & ~(PAGE - 1);
		if (end == start)
			continue;
		/* Writable first so the bytes can be copied in, then the final
		 * protection: the page is never writable and executable. */
		if ((r = sys_map(c, start, end - start, PROT_R | PROT_W)) < 0)
			return r == -EEXIST ? -ENOEXEC : r;
		if (ph.filesz && (r = sys_vcopy(SELF, (uint64_t)(prog + ph.offset), c,
		    ph.vaddr, ph.filesz)) < 0)
			return r;
		if (prot != (PROT_R | PROT_W) &&
		    (r = sys_protect(c, start, end - start, prot)) < 0)
			return r;
	}
	return entry_ok ? (long)eh.entry : -ENOEXEC;
}

/*
 * Start image entry e as a new child of RS with privilege id priv_id.
 * Returns the new endpoint (a new slot generation: messages to the old
 * incarnation fail with EDEADSRCDST) or a negative errno.
 */
long exec_service(const struct image_entry *e, uint32_t priv_id)
{
	struct user_regs u;
	uint64_t sp = STACK_TOP - 64;
	long c, r, entry;

	if (e->kind != IMAGE_PROGRAM || !e->size || e->offset > img_size ||
	    e->size > img_size - e->offset || e->priv.priority > 15 || !e->priv.quantum)
		return -ENOEXEC;
	/* FORK_EMPTY: a new slot (new endpoint generation) with no memory
	 * copied; it stays stopped until KC_SETREGS. */
	if ((c = sys_fork_flags(SELF, FORK_STOPPED | FORK_EMPTY)) < 0)
		return c;
	if (c == 0)		/* never runs: the copy is filled before it starts */
		sys_exit(SELF, 127);
	if ((r = sys_setname((endpoint_t)c, e->name)) < 0 ||
	    (r = entry = load_elf((endpoint_t)c, img + e->offset, e->size)) < 0 ||
	    (r = sys_map((endpoint_t)c, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_R | PROT_W)) < 0 ||
	    (r = sys_vcopy(SELF, (uint64_t)e->name, (endpoint_t)c, sp, IMAGE_NAME_LEN)) < 0 ||
	    (r = sys_setpriv((endpoint_t)c, (int)priv_id, &e->priv)) < 0)
		goto fail;
	memset(&u, 0, sizeof(u));
	u.rip = (uint64_t)entry;
	u.rsp = sp;
	u.rdi = (uint64_t)c;	/* crt0: rdi = own endpoint, rsi = own name */
	u.rsi = sp;
	if ((r = sys_setregs((endpoint_t)c, &u)) < 0)
		goto fail;
	return c;
fail:
	sys_exit((endpoint_t)c, 0);
	return r;
}
