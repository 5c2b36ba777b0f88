/*
 * Starting the boot services. The boot image (include/bulkhead/image.h)
 * is one multiboot module holding each service's ELF program and compiled
 * manifest; it stays in RAM so that services can be restarted from it.
 * The first service is the parent of the others and receives their fault
 * reports.
 */
#include "proc.h"
#include <bulkhead/image.h>
#include <bulkhead/elf.h>

uint64_t boot_image_phys, boot_image_size;

/* Fill freshly mapped pages through the direct map, so read-only and
 * executable pages can be written here without ever being writable. */
static int copy_segment(struct proc *p, uint64_t va, const uint8_t *src, uint64_t len)
{
	uint64_t *pte, n;

	for (; len; va += n, src += n, len -= n) {
		n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (n > len)
			n = len;
		if (!(pte = pte_find(p->pml4, va, 0)) || !(*pte & PTE_P))
			return -ENOEXEC;
		kmemcpy((uint8_t *)P2V(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1)), src, n);
	}
	return 0;
}

/*
 * Load a static ELF64 executable into p's empty address space. Every
 * field is checked against the file's size and the user half, so a
 * damaged image is refused (ENOEXEC), never followed. W+X segments are
 * refused too.
 */
int elf_load(struct proc *p, const uint8_t *img, uint64_t size)
{
	const struct elf64_ehdr *eh = (const void *)img;
	uint64_t i;
	int r;

	if (size < sizeof(*eh) || img[0] != 0x7F || img[1] != 'E' ||
	    img[2] != 'L' || img[3] != 'F' || img[4] != 2 || img[5] != 1 ||
	    eh->type != ET_EXEC || eh->machine != EM_X86_64 ||
	    eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum > 64 ||
	    (eh->phoff & 7) ||	/* headers are read in place: keep them aligned */
	    eh->phoff > size || eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		return -ENOEXEC;
	for (i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = (const void *)(img + eh->phoff + i * sizeof(*ph));
		uint64_t start, end;
		int prot = PROT_R;
		if (ph->type != PT_LOAD)
			continue;
		if (ph->filesz > ph->memsz || ph->offset > size ||
		    ph->filesz > size - ph->offset || !vm_range_ok(ph->vaddr, ph->memsz) ||
		    ((ph->flags & PF_W) && (ph->flags & PF_X)))
			return -ENOEXEC;
		if (ph->flags & PF_W)
			prot |= PROT_W;
		if (ph->flags & PF_X)
			prot |= PROT_X;
		start = ph->vaddr & ~(PAGE_SIZE - 1);
		end = (ph->vaddr + ph->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		if (end > start && (r = vm_map(p->pml4, start, end - start, prot)))
			return r == -EEXIST ? -ENOEXEC : r;
		if ((r = copy_segment(p, ph->vaddr, img + ph->offset, ph->filesz)))
			return r;
	}
	if (eh->entry >= USER_TOP)
		return -ENOEXEC;
	p->regs.rip = eh->entry;
	return 0;
}

static int start_service(const struct image_header *h, const struct image_entry *e,
    uint32_t priv_id, endpoint_t parent, struct proc **out)
{
	const uint8_t *base = (const uint8_t *)h;
	uint64_t sp = USER_STACK_TOP - 64;
	struct proc *p;
	int r;

	if (!(p = proc_alloc(e->name, parent)))
		return -EAGAIN;
	if ((r = elf_load(p, base + e->offset, e->size)) ||
	    (r = vm_map(p->pml4, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE,
	    PROT_R | PROT_W)) ||
	    (r = vm_copy_out(p->pml4, sp, p->name, sizeof(p->name)))) {
		proc_release(p);
		return r;
	}
	p->regs.rsp = sp;
	p->regs.rdi = (uint64_t)p->endpoint;
	p->regs.rsi = sp;
	proc_set_priv(p, priv_id);
	proc_take_service(p);
	p->rts = 0;
	sched_enqueue(p);
	*out = p;
	return 0;
}

void boot_image_start(uint64_t phys, uint64_t size)
{
	const struct image_header *h = P2V(phys);
	endpoint_t first = NONE;
	uint32_t i;
	int r;

	boot_image_phys = phys;
	boot_image_size = size;
	if (size < sizeof(*h) ||
	    h->magic[0] != IMAGE_MAGIC[0] || h->magic[7] != IMAGE_MAGIC[7] || h->count > IMAGE_MAX ||
	    h->count * sizeof(struct image_entry) > size - sizeof(*h))
		panic("boot image damaged");
	kmemcpy(linux_owner, h->syscall_owner, sizeof(linux_owner));
	for (i = 0; i < h->count; i++) {
		const struct image_entry *e = &h->entry[i];
		uint32_t id = (e->name[0] == 'u' && e->name[1] == 's' && e->name[2] == 'e' &&
		    e->name[3] == 'r' && !e->name[4]) ? PRIV_USER : i;
		struct proc *p;
		if (e->priv.priority >= NR_PRIORITIES || !e->priv.quantum ||
		    e->offset > size || e->size > size - e->offset)
			panic("boot image entry %u damaged", i);
		if (e->kind == IMAGE_FILE)
			continue;
		privs[id].spec = e->priv;
		privs[id].in_use = 1;
		if (!e->size)
			continue;
		if ((r = start_service(h, e, id, first, &p)))
			panic("cannot start %s: error %d", e->name, r);
		if (first == NONE)
			first = boot_parent = p->endpoint;
	}
	kprintf("kernel: started %u boot services\n", h->count);
}
