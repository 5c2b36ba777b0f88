/* Declarations shared across the kernel. No heap: every table is static. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <bulkhead/ipc.h>
#include <bulkhead/errno.h>
#include <bulkhead/kcall.h>
#include <bulkhead/priv.h>
#include "arch/x86_64/cpu.h"

#define HZ		100
#define PAGE_SIZE	4096ul
#define KERNEL_VMA	0xFFFFFFFF80000000ul
#define DIRECT_BASE	0xFFFF800000000000ul	/* all RAM, mapped NX */
#define USER_STACK_TOP	0x00007FFFFFFFF000ul
#define USER_STACK_SIZE	(64 * 1024)
#define NR_PRIORITIES	16

#define P2V(pa)		((void *)((uint64_t)(pa) + DIRECT_BASE))
#define KVA2PA(va)	((uint64_t)(va) - KERNEL_VMA)

struct cpu_features { int smep, smap; };
extern struct cpu_features cpu_has;

/* console.c */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s, size_t n);
void __attribute__((noreturn)) panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *kmemset(void *d, int c, size_t n);
void *kmemcpy(void *d, const void *s, size_t n);
void console_init(void);

/* frame.c: physical page frames */
void frame_add_range(uint64_t start, uint64_t end);
uint64_t frame_alloc(void);		/* zeroed; 0 when none left */
void frame_free(uint64_t pa);
extern uint64_t frames_free, frames_total;

/* paging.c: page tables */
#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PS		(1ull << 7)
#define PTE_OWNED	(1ull << 9)	/* frame belongs to the mapping: free on unmap */
#define PTE_DEVICE	(1ull << 10)	/* device memory: never touched by the kernel */
#define PTE_NX		(1ull << 63)
#define PTE_ADDR	0x000FFFFFFFFFF000ull
void paging_init(uint64_t phys_top);
uint64_t as_create(void);		/* new address space: physical PML4, or 0 */
void as_destroy(uint64_t pml4);
int as_copy(uint64_t dst, uint64_t src);
uint64_t *pte_find(uint64_t pml4, uint64_t va, int create);
int vm_map(uint64_t pml4, uint64_t va, uint64_t len, int prot);
int vm_map_phys(uint64_t pml4, uint64_t va, uint64_t pa, uint64_t len, int prot, int device);
int vm_unmap(uint64_t pml4, uint64_t va, uint64_t len);
int vm_protect(uint64_t pml4, uint64_t va, uint64_t len, int prot);
int vm_range_ok(uint64_t va, uint64_t len);
int vm_copy_in(uint64_t pml4, void *dst, uint64_t uva, uint64_t len);
int vm_copy_out(uint64_t pml4, uint64_t uva, const void *src, uint64_t len);
int vm_copy_between(uint64_t dpml4, uint64_t dva, uint64_t spml4, uint64_t sva, uint64_t len);
int vm_check(uint64_t pml4, uint64_t uva, uint64_t len, int write);
extern uint64_t vm_epoch;

#endif
