/*
 * Page tables. The upper half is the kernel's and the same in every address
 * space: the kernel image at -2 GiB with W^X 4 KiB pages, and all RAM at
 * DIRECT_BASE (writable, never executable), through which the kernel reads
 * and writes user memory. The lower half belongs to one process; its pages
 * are always user, NX unless executable, and never both writable and
 * executable. Only the memory owner's kernel calls change it.
 */
#include "kernel.h"

#define DIRECT_GIB	4

static uint64_t kernel_pml4[512] __attribute__((aligned(4096)));
static uint64_t direct_pdpt[512] __attribute__((aligned(4096)));
static uint64_t direct_pd[DIRECT_GIB][512] __attribute__((aligned(4096)));
static uint64_t image_pdpt[512] __attribute__((aligned(4096)));
static uint64_t image_pd[512] __attribute__((aligned(4096)));
static uint64_t image_pt[2][512] __attribute__((aligned(4096)));

extern char __text_start[], __text_end[], __data_start[], __kernel_end[];

void paging_init(uint64_t phys_top)
{
	uint64_t va, gib, i;

	if (KVA2PA(__kernel_end) > 4 * 1024 * 1024)
		panic("kernel image larger than its page tables");
	for (gib = 0; gib < DIRECT_GIB && gib * (1ull << 30) < phys_top; gib++) {
		for (i = 0; i < 512; i++)
			direct_pd[gib][i] = ((gib << 30) + (i << 21)) |
			    PTE_P | PTE_W | PTE_PS | PTE_NX;
		direct_pdpt[gib] = KVA2PA(direct_pd[gib]) | PTE_P | PTE_W;
	}
	/* Kernel image: text read-only executable, the rest NX, rodata read-only. */
	for (va = (uint64_t)__text_start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
		uint64_t pa = KVA2PA(va), f = PTE_P;
		if (va >= (uint64_t)__text_end)
			f |= PTE_NX;
		if (va >= (uint64_t)__data_start)
			f |= PTE_W;
		image_pt[pa >> 21][(pa >> 12) & 511] = pa | f;
	}
	image_pd[0] = KVA2PA(image_pt[0]) | PTE_P | PTE_W;
	image_pd[1] = KVA2PA(image_pt[1]) | PTE_P | PTE_W;
	image_pdpt[510] = KVA2PA(image_pd) | PTE_P | PTE_W;
	kernel_pml4[256] = KVA2PA(direct_pdpt) | PTE_P | PTE_W;
	kernel_pml4[511] = KVA2PA(image_pdpt) | PTE_P | PTE_W;
	write_cr3(KVA2PA(kernel_pml4));
}

uint64_t as_create(void)
{
	uint64_t pa = frame_alloc();
	uint64_t *pml4;

	if (!pa)
		return 0;
	pml4 = P2V(pa);
	kmemcpy(pml4 + 256, kernel_pml4 + 256, 256 * sizeof(uint64_t));
	return pa;
}

/* Free the user half: owned frames and the page-table pages themselves. */
static void free_level(uint64_t table, int level)
{
	uint64_t *t = P2V(table);
	int i, n = level == 4 ? 256 : 512;

	for (i = 0; i < n; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 1)
			free_level(t[i] & PTE_ADDR, level - 1);
		else if (t[i] & PTE_OWNED)
			frame_free(t[i] & PTE_ADDR);
	}
	frame_free(table);
}

void as_destroy(uint64_t pml4)
{
	vm_epoch++;
	uint64_t cr3 = read_cr3();

	if (cr3 == pml4)	/* never free the tables we are running on */
		write_cr3(KVA2PA(kernel_pml4));
	free_level(pml4, 4);
}

uint64_t *pte_find(uint64_t pml4, uint64_t va, int create)
{
	uint64_t *t = P2V(pml4);
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &t[(va >> shift) & 511];
		if (!(*e & PTE_P)) {
			uint64_t pa;
			if (!create || !(pa = frame_alloc()))
				return NULL;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		t = P2V(*e & PTE_ADDR);
	}
	return &t[(va >> 12) & 511];
}

/* Bumped whenever a mapping goes away or loses rights, so cached
 * translations (the IPC message buffers) are never used stale. */
uint64_t vm_epoch = 1;

int vm_range_ok(uint64_t va, uint64_t len)
{
	return va < USER_TOP && len <= USER_TOP - va;
}

static uint64_t prot_bits(int prot)
{
	uint64_t f = PTE_P | PTE_U;

	if (prot & PROT_W)
		f |= PTE_W;
	if (!(prot & PROT_X))
		f |= PTE_NX;
	return f;
}

/* Mappings stop one page short of USER_TOP: code in the last page could
 * `syscall` with a return address that is not canonical. */
static int check_map_args(uint64_t va, uint64_t len, int prot)
{
	if ((va | len) & (PAGE_SIZE - 1) || !len || !vm_range_ok(va, len + PAGE_SIZE))
		return -EINVAL;
	if ((prot & PROT_W) && (prot & PROT_X))
		return -EPERM;		/* W^X: no page is both */
	return 0;
}

/* Map fresh zeroed frames; fails with EEXIST rather than replace a mapping. */
int vm_map(uint64_t pml4, uint64_t va, uint64_t len, int prot)
{
	uint64_t off, *pte, pa;
	int r;

	if ((r = check_map_args(va, len, prot)))
		return r;
	for (off = 0; off < len; off += PAGE_SIZE) {
		if (!(pte = pte_find(pml4, va + off, 1)))
			goto nomem;
		if (*pte & PTE_P) {
			vm_unmap(pml4, va, off);
			return -EEXIST;
		}
		if (!(pa = frame_alloc()))
			goto nomem;
		*pte = pa | prot_bits(prot) | PTE_OWNED;
	}
	return 0;
nomem:
	vm_unmap(pml4, va, off);
	return -ENOMEM;
}

int vm_map_phys(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t len, int prot, int device)
{
	uint64_t off, *pte;
	int r;

	if ((r = check_map_args(va, len, prot)))
		return r;
	if (pa & (PAGE_SIZE - 1))
		return -EINVAL;
	for (off = 0; off < len; off += PAGE_SIZE) {
		if (!(pte = pte_find(pml4, va + off, 1))) {
			vm_unmap(pml4, va, off);
			return -ENOMEM;
		}
		if (*pte & PTE_P) {
			vm_unmap(pml4, va, off);
			return -EEXIST;
		}
		*pte = (pa + off) | prot_bits(prot) |
		    (device ? PTE_DEVICE | (1ull << 4) : 0);	/* PCD: uncached */
	}
	return 0;
}

/* The page-table entry for va at the given level (3: PML4 .. 0: PT), or
 * NULL when a table above it is absent. */
static uint64_t *entry_at(uint64_t pml4, uint64_t va, int level)
{
	uint64_t *t = P2V(pml4);
	int l;

	for (l = 3; l > level; l--) {
		uint64_t e = t[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P))
			return NULL;
		t = P2V(e & PTE_ADDR);
	}
	return &t[(va >> (12 + 9 * level)) & 511];
}

/*
 * Unmap a range, skipping whole absent tables so that even the entire user
 * half is cheap. Unmapping all of it also frees the page tables (exec).
 */
int vm_unmap(uint64_t pml4, uint64_t va, uint64_t len)
{
	uint64_t end, *pte;
	int i, level;

	if ((va | len) & (PAGE_SIZE - 1) || !vm_range_ok(va, len))
		return -EINVAL;
	vm_epoch++;
	if (va == 0 && len == USER_TOP) {
		uint64_t *t = P2V(pml4);
		for (i = 0; i < 256; i++)
			if (t[i] & PTE_P) {
				free_level(t[i] & PTE_ADDR, 3);
				t[i] = 0;
			}
		if (read_cr3() == pml4)
			write_cr3(pml4);
		return 0;
	}
	for (end = va + len; va < end;) {
		for (level = 3; level > 0; level--) {
			uint64_t *e = entry_at(pml4, va, level);
			if (e && !(*e & PTE_P))
				break;
		}
		if (level > 0) {	/* a whole absent table: jump past it */
			uint64_t span = 1ull << (12 + 9 * level);
			va = (va & ~(span - 1)) + span;
			continue;
		}
		pte = entry_at(pml4, va, 0);
		if (pte && (*pte & PTE_P)) {
			if (*pte & PTE_OWNED)
				frame_free(*pte & PTE_ADDR);
			*pte = 0;
			__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
		}
		va += PAGE_SIZE;
	}
	return 0;
}

int vm_protect(uint64_t pml4, uint64_t va, uint64_t len, int prot)
{
	uint64_t off, *pte;
	int r;

	if ((r = check_map_args(va, len, prot)))
		return r;
	for (off = 0; off < len; off += PAGE_SIZE)
		if (!(pte = pte_find(pml4, va + off, 0)) || !(*pte & PTE_P))
			return -ENOMEM;		/* as mprotect: range not mapped */
	vm_epoch++;
	for (off = 0; off < len; off += PAGE_SIZE) {
		pte = pte_find(pml4, va + off, 0);
		*pte = (*pte & (PTE_ADDR | PTE_OWNED | PTE_DEVICE | (1ull << 4))) | prot_bits(prot);
		__asm__ volatile("invlpg (%0)" :: "r"(va + off) : "memory");
	}
	return 0;
}

/* Copy every user mapping of src into dst: owned frames are duplicated.
 * Device, DMA and boot-image mappings are not inherited: their frames
 * belong to the original's privileges and go back to their pool when it
 * ends. */
int as_copy(uint64_t dst, uint64_t src)
{
	uint64_t *l4 = P2V(src);
	int a, b, c, d;

	for (a = 0; a < 256; a++) {
		if (!(l4[a] & PTE_P))
			continue;
		uint64_t *l3 = P2V(l4[a] & PTE_ADDR);
		for (b = 0; b < 512; b++) {
			if (!(l3[b] & PTE_P))
				continue;
			uint64_t *l2 = P2V(l3[b] & PTE_ADDR);
			for (c = 0; c < 512; c++) {
				if (!(l2[c] & PTE_P))
					continue;
				uint64_t *l1 = P2V(l2[c] & PTE_ADDR);
				for (d = 0; d < 512; d++) {
					uint64_t e = l1[d], va, *pte, pa;
					if (!(e & PTE_P) || !(e & PTE_OWNED))
						continue;
					va = ((uint64_t)a << 39) | ((uint64_t)b << 30) |
					    ((uint64_t)c << 21) | ((uint64_t)d << 12);
					if (!(pte = pte_find(dst, va, 1)))
						return -ENOMEM;
					if (!(pa = frame_alloc()))
						return -ENOMEM;
					kmemcpy(P2V(pa), P2V(e & PTE_ADDR), PAGE_SIZE);
					*pte = pa | (e & ~PTE_ADDR);
				}
			}
		}
	}
	return 0;
}

/*
 * User memory is reached by walking the owner's page table, so a bad
 * pointer is an EFAULT, never a kernel page fault, and copies between two
 * address spaces need no CR3 switch.
 */
static void *user_page(uint64_t pml4, uint64_t va, int write)
{
	uint64_t *pte;

	if (va >= USER_TOP || !(pte = pte_find(pml4, va, 0)))
		return NULL;
	if ((*pte & (PTE_P | PTE_U | PTE_DEVICE)) != (PTE_P | PTE_U) || (write && !(*pte & PTE_W)))
		return NULL;
	return (uint8_t *)P2V(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1));
}

int vm_check(uint64_t pml4, uint64_t uva, uint64_t len, int write)
{
	uint64_t end;

	if (!vm_range_ok(uva, len))
		return -EFAULT;
	end = uva + len;
	for (uva &= ~(PAGE_SIZE - 1); uva < end; uva += PAGE_SIZE)
		if (!user_page(pml4, uva, write))
			return -EFAULT;
	return 0;
}

/* Copy len bytes; a pml4 of 0 means a kernel address on that side. */
int vm_copy_between(uint64_t dpml4, uint64_t dva, uint64_t spml4, uint64_t sva, uint64_t len)
{
	if ((dpml4 && !vm_range_ok(dva, len)) || (spml4 && !vm_range_ok(sva, len)))
		return -EFAULT;
	while (len) {
		uint64_t n = PAGE_SIZE - ((dpml4 ? dva : sva) & (PAGE_SIZE - 1));
		uint64_t m = PAGE_SIZE - (sva & (PAGE_SIZE - 1));
		void *d, *s;
		if (m < n)
			n = m;
		if (n > len)
			n = len;
		d = dpml4 ? user_page(dpml4, dva, 1) : (void *)dva;
		s = spml4 ? user_page(spml4, sva, 0) : (void *)sva;
		if (!d || !s)
			return -EFAULT;
		kmemcpy(d, s, n);
		dva += n, sva += n, len -= n;
	}
	return 0;
}

int vm_copy_in(uint64_t pml4, void *dst, uint64_t uva, uint64_t len)
{
	return vm_copy_between(0, (uint64_t)dst, pml4, uva, len);
}

int vm_copy_out(uint64_t pml4, uint64_t uva, const void *src, uint64_t len)
{
	return vm_copy_between(pml4, uva, 0, (uint64_t)src, len);
}
