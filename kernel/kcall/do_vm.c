/*
 * The memory owner's calls on an address space. Target: SELF or a child of
 * the caller. Addresses and lengths are page-aligned user addresses; no
 * page is ever both writable and executable (EPERM).
 * KC_MAP	rdi=target, rsi=addr, rdx=len, r10=PROT_*: fresh zeroed memory.
 *		EEXIST if any page is already mapped, ENOMEM when out of frames.
 * KC_UNMAP	rdi=target, rsi=addr, rdx=len.
 * KC_PROTECT	rdi=target, rsi=addr, rdx=len, r10=PROT_*; ENOMEM if unmapped.
 * KC_MAPPHYS	rdi=addr, rsi=physical addr, rdx=len, r10=PROT_*: map device
 *		memory into the caller; the whole range must lie in one of the
 *		caller's manifest `memory` ranges (EPERM otherwise), or, with
 *		`memory bootimage`, inside the boot image and read-only.
 */
#include "../proc.h"

int64_t do_map(struct proc *p)
{
	struct proc *t;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	return vm_map(t->pml4, p->regs.rsi, p->regs.rdx, (int)p->regs.r10);
}

int64_t do_unmap(struct proc *p)
{
	struct proc *t;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	return vm_unmap(t->pml4, p->regs.rsi, p->regs.rdx);
}

int64_t do_protect(struct proc *p)
{
	struct proc *t;
	int err;

	if (!(t = kcall_target(p, p->regs.rdi, &err)))
		return err;
	return vm_protect(t->pml4, p->regs.rsi, p->regs.rdx, (int)p->regs.r10);
}

int64_t do_mapphys(struct proc *p)
{
	struct priv_spec *s = priv_of(p);
	uint64_t pa = p->regs.rsi, len = p->regs.rdx;
	int i;

	uint64_t image_len = (boot_image_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	if ((s->flags & PRIVF_BOOTIMAGE) && p->regs.r10 == PROT_R &&
	    !(boot_image_phys & (PAGE_SIZE - 1)) && pa >= boot_image_phys &&
	    len <= image_len && pa - boot_image_phys <= image_len - len)
		return vm_map_phys(p->pml4, p->regs.rdi, pa, len, PROT_R, 0);
	for (i = 0; i < s->nmem && i < PRIV_MAX_MEM; i++)
		if (pa >= s->mem[i].base && len <= s->mem[i].size &&
		    pa - s->mem[i].base <= s->mem[i].size - len)
			return vm_map_phys(p->pml4, p->regs.rdi, pa, len, (int)p->regs.r10, 1);
	return priv_refuse(p, "physical memory at", (long)pa);
}
