/*
 * KC_DMA	rdi=DMA_* operation, rsi=address, rdx=length.
 *	For drivers of bus-mastering devices, which need physical addresses.
 *	DMA_ALLOC maps `length` bytes of physically contiguous, zeroed memory
 *	(from a pool set aside at boot) read-write at the caller's page-aligned
 *	address and returns its physical address; ENOMEM when the pool has no
 *	such run. DMA_FREE unmaps a run and returns it to the pool. DMA_PHYS
 *	returns the physical address of a byte of the caller's own memory
 *	(EFAULT if unmapped), so a driver can hand its buffers to a device.
 *	Holding this call means trusting the driver with physical memory:
 *	without an IOMMU a device can be told to write anywhere.
 *	Runs still held when a process ends go back to the pool.
 */
#include "../proc.h"



static uint64_t pool_base;
static endpoint_t pool_owner[DMA_POOL_PAGES];	/* 0: free */

void dma_pool_init(uint64_t base)
{
	pool_base = base;
}

void dma_release_all(struct proc *p)
{
	int i;

	for (i = 0; i < DMA_POOL_PAGES; i++)
		if (pool_owner[i] == p->endpoint)
			pool_owner[i] = 0;
}

static int64_t dma_alloc(struct proc *p, uint64_t va, uint64_t len)
{
	uint64_t n = len / PAGE_SIZE, run = 0, i, j;
	int r;

	if (!pool_base || !len || (va | len) & (PAGE_SIZE - 1) || n > DMA_POOL_PAGES)
		return -EINVAL;
	for (i = 0; i < DMA_POOL_PAGES; i++) {
		run = pool_owner[i] ? 0 : run + 1;
		if (run < n)
			continue;
		i = i + 1 - n;
		if ((r = vm_map_phys(p->pml4, va, pool_base + i * PAGE_SIZE, len, PROT_R | PROT_W, 0)))
			return r;
		for (j = 0; j < n; j++) {
			pool_owner[i + j] = p->endpoint;
			kmemset(P2V(pool_base + (i + j) * PAGE_SIZE), 0, PAGE_SIZE);
		}
		return (int64_t)(pool_base + i * PAGE_SIZE);
	}
	return -ENOMEM;
}

static int64_t dma_free(struct proc *p, uint64_t va, uint64_t len)
{
	uint64_t off, *pte, pa, i;

	if ((va | len) & (PAGE_SIZE - 1) || !vm_range_ok(va, len))
		return -EINVAL;
	for (off = 0; off < len; off += PAGE_SIZE) {	/* all ours, or nothing */
		if (!(pte = pte_find(p->pml4, va + off, 0)) || !(*pte & PTE_P))
			return -EINVAL;
		pa = *pte & PTE_ADDR;
		i = (pa - pool_base) / PAGE_SIZE;
		if (pa < pool_base || i >= DMA_POOL_PAGES || pool_owner[i] != p->endpoint)
			return -EINVAL;
	}
	for (off = 0; off < len; off += PAGE_SIZE) {
		pte = pte_find(p->pml4, va + off, 0);
		pool_owner[((*pte & PTE_ADDR) - pool_base) / PAGE_SIZE] = 0;
	}
	return vm_unmap(p->pml4, va, len);
}

int64_t do_dma(struct proc *p)
{
	uint64_t va = p->regs.rsi, *pte;

	switch (p->regs.rdi) {
	case DMA_ALLOC:
		return dma_alloc(p, va, p->regs.rdx);
	case DMA_FREE:
		return dma_free(p, va, p->regs.rdx);
	case DMA_PHYS:
		if (va >= USER_TOP || !(pte = pte_find(p->pml4, va, 0)) ||
		    (*pte & (PTE_P | PTE_U)) != (PTE_P | PTE_U))
			return -EFAULT;
		return (int64_t)((*pte & PTE_ADDR) | (va & (PAGE_SIZE - 1)));
	}
	return -EINVAL;
}
