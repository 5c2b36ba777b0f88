/*
 * libFuzzer target: the kernel's ELF loader (elf_load in kernel/boot_image.c)
 * on the host. The loader is extracted from the kernel source at build time
 * (Makefile: from `#define PT_LOAD` to the end of elf_load) and compiled
 * against this shim of the three kernel services it uses, which checks that
 * every access stays inside a simulated user address space:
 *   vm_map     page-aligned, inside the user half, never W+X, never over an
 *              existing page (EEXIST, as the kernel); fresh pages are host
 *              pages whose host address is the "physical" address;
 *   pte_find   the simulated page table;
 *   kmemcpy    destination inside one mapped page, source inside the input.
 * AddressSanitizer catches any read of the header or program headers
 * beyond the input. A loaded image must have its entry in the user half.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define KERNEL_PROC_H		/* keep the kernel's headers out */
#define KERNEL_KERNEL_H
#include <bulkhead/errno.h>
#include <bulkhead/kcall.h>
#include <bulkhead/elf.h>

#define PAGE_SIZE	4096ul
#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_NX		(1ull << 63)
#define PTE_ADDR	0x000FFFFFFFFFF000ull
#define P2V(pa)		((void *)(uintptr_t)(pa))

struct proc {
	uint64_t pml4;
	struct { uint64_t rip; } regs;
};

#define MAX_PAGES	4096	/* the simulated machine's memory, in pages */
static struct { uint64_t va, pte; } pages[MAX_PAGES];
static int npages;
static const uint8_t *in_lo, *in_hi;

static void fail(const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "fuzz_elf: %s (%#lx, %#lx)\n", what, (unsigned long)a, (unsigned long)b);
	abort();
}

static int vm_range_ok(uint64_t va, uint64_t len)
{
	return va < USER_TOP && len <= USER_TOP - va;
}

static uint64_t *pte_find(uint64_t pml4, uint64_t va, int create)
{
	int i;

	if (pml4 != 0x1000 || create)
		fail("pte_find: wrong table or create", pml4, va);
	if (va >= USER_TOP)
		fail("pte_find: kernel address", va, 0);
	for (i = 0; i < npages; i++)
		if (pages[i].va == (va & ~(PAGE_SIZE - 1)))
			return &pages[i].pte;
	return NULL;
}

static void unmap_from(int first)
{
	while (npages > first)
		free((void *)(uintptr_t)(pages[--npages].pte & PTE_ADDR));
}

static int vm_map(uint64_t pml4, uint64_t va, uint64_t len, int prot)
{
	uint64_t off;
	int first = npages;

	if (pml4 != 0x1000)
		fail("vm_map: wrong table", pml4, va);
	if ((va | len) & (PAGE_SIZE - 1) || !len || !vm_range_ok(va, len))
		return -EINVAL;		/* the kernel's answer; the loader must cope */
	if ((prot & PROT_W) && (prot & PROT_X))
		fail("vm_map: writable and executable", va, (uint64_t)prot);
	for (off = 0; off < len; off += PAGE_SIZE) {
		void *page;
		if (pte_find(pml4, va + off, 0)) {
			unmap_from(first);	/* as the kernel: undo, EEXIST */
			return -EEXIST;
		}
		if (npages == MAX_PAGES) {
			unmap_from(first);
			return -ENOMEM;
		}
		if (!(page = aligned_alloc(PAGE_SIZE, PAGE_SIZE)))
			abort();
		memset(page, 0, PAGE_SIZE);
		pages[npages].va = va + off;
		pages[npages].pte = (uint64_t)(uintptr_t)page | PTE_P | PTE_U |
		    (prot & PROT_W ? PTE_W : 0) | (prot & PROT_X ? 0 : PTE_NX);
		npages++;
	}
	return 0;
}

static void *kmemcpy(void *d, const void *s, size_t n)
{
	uintptr_t dp = (uintptr_t)d, sp = (uintptr_t)s;
	int i, ok = 0;

	for (i = 0; i < npages; i++) {
		uintptr_t base = (uintptr_t)(pages[i].pte & PTE_ADDR);
		if (dp >= base && dp + n <= base + PAGE_SIZE && dp + n >= dp)
			ok = 1;
	}
	if (!ok)
		fail("kmemcpy: destination outside the mapped pages", dp, n);
	if (sp < (uintptr_t)in_lo || sp + n > (uintptr_t)in_hi || sp + n < sp)
		fail("kmemcpy: source outside the image", sp - (uintptr_t)in_lo, n);
	return memcpy(d, s, n);
}

#include "elf_load.inc"		/* generated from kernel/boot_image.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc p = { .pml4 = 0x1000 };
	uint8_t *img = malloc(size ? size : 1);	/* exact size: ASan sees overreads */
	int r, i;

	memcpy(img, data, size);
	in_lo = img, in_hi = img + size;
	npages = 0;
	r = elf_load(&p, img, size);
	if (r == 0 && p.regs.rip >= USER_TOP)
		fail("entry outside the user half", p.regs.rip, 0);
	if (r != 0 && r != -ENOEXEC && r != -ENOMEM && r != -EINVAL)
		fail("unexpected error", (uint64_t)(int64_t)r, 0);
	for (i = 0; i < npages; i++) {
		if (pages[i].va >= USER_TOP)
			fail("page in the kernel half", pages[i].va, 0);
		free((void *)(uintptr_t)(pages[i].pte & PTE_ADDR));
	}
	free(img);
	return 0;
}
