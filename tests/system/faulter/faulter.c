/*
 * faulter: commits the CPU exception its service name asks for. One
 * program, several manifests (f_pf, f_gp, ...), so each fault is its own
 * process and the test sees exactly one stop per kind.
 */
#include "../test.h"

/* Addresses through a volatile, so the compiler cannot see the crime. */
static volatile uintptr_t addr_low = 0x10, addr_noncanon = 0x8000000000000000ul,
    addr_kernel = 0xFFFF800000100000ul;	/* the direct map: present, supervisor-only */
static uint8_t data_page[64] __attribute__((aligned(16))) = { 0xC3 };	/* ret */

int main(endpoint_t self, const char *name)
{
	(void)self;
	if (!strcmp(name, "f_pf"))
		*(volatile int *)addr_low = 1;			/* unmapped page */
	else if (!strcmp(name, "f_gp"))
		*(volatile long *)addr_noncanon = 1;	/* non-canonical */
	else if (!strcmp(name, "f_de"))
		__asm__ volatile("xorl %%ecx, %%ecx; divl %%ecx" ::: "eax", "ecx", "edx");
	else if (!strcmp(name, "f_ud"))
		__asm__ volatile("ud2");
	else if (!strcmp(name, "f_nx"))
		((void (*)(void))data_page)();			/* execute data */
	else if (!strcmp(name, "f_wcode"))
		*(volatile uint8_t *)main = 0x90;		/* write code */
	else if (!strcmp(name, "f_kread"))
		(void)*(volatile long *)addr_kernel;	/* kernel memory */
	else if (!strcmp(name, "f_priv"))
		__asm__ volatile("cli");			/* privileged instruction */
	else if (!strcmp(name, "f_std"))
		__asm__ volatile("std; ud2");			/* fault with DF set */
	else if (!strcmp(name, "f_io"))
		__asm__ volatile("outb %%al, $0x80" :: "a"(0));	/* port without IOPL */
	printf("faulter %s: survived, which is wrong\n", name);
	return 1;
}
