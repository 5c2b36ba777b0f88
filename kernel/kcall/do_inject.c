/*
 * KC_INJECT	rdi=target endpoint, rsi=address in the target, rdx=caller's
 *	buffer, r10=length (1..INJECT_MAX). Writes the bytes into the
 *	target's memory whatever the page's protection, read-only code
 *	included: the fault injector (tests/fault, docs/reliability.md)
 *	mutates a running driver's instructions with it. Only frames the
 *	target owns are written (never device memory or the boot image, so
 *	a restart from the image starts clean); EFAULT if a page is not
 *	there, and nothing is written unless every page is. No manifest in
 *	etc/ grants it: test images only.
 */
#include "../proc.h"

#define INJECT_MAX	64

/* The target's byte at va through the direct map, or NULL. */
static uint8_t *owned_byte(uint64_t pml4, uint64_t va)
{
	uint64_t *pte;

	if (va >= USER_TOP || !(pte = pte_find(pml4, va, 0)) ||
	    (*pte & (PTE_P | PTE_U | PTE_OWNED | PTE_DEVICE)) != (PTE_P | PTE_U | PTE_OWNED))
		return NULL;
	return (uint8_t *)P2V(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1));
}

int64_t do_inject(struct proc *p)
{
	uint64_t va = p->regs.rsi, len = p->regs.r10, i;
	uint8_t buf[INJECT_MAX];
	struct proc *t;
	int err;

	if (!len || len > INJECT_MAX || (uint64_t)(int64_t)(endpoint_t)p->regs.rdi != p->regs.rdi)
		return -EINVAL;
	if (!(t = proc_lookup((endpoint_t)p->regs.rdi, &err)))
		return err;
	if (vm_copy_in(p->pml4, buf, p->regs.rdx, len))
		return -EFAULT;
	for (i = 0; i < len; i++)
		if (!owned_byte(t->pml4, va + i))
			return -EFAULT;
	for (i = 0; i < len; i++)
		*owned_byte(t->pml4, va + i) = buf[i];
	return 0;
}
