/*
 * Multiboot entry: the loader (QEMU -kernel or GRUB) enters in 32-bit
 * protected mode at the physical address of start32. We build just enough
 * page tables to reach long mode (identity and -2 GiB mappings of the first
 * GiB with 2 MiB pages), switch, and jump to the higher-half kernel, which
 * then builds its real, W^X page tables in C (paging.c).
 *
 * The header uses the a.out kludge (flag 16): the loader takes the load
 * addresses from the header, so the file can be a flat binary of a 64-bit
 * kernel, which both QEMU and GRUB accept.
 */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	((1 << 0) | (1 << 1) | (1 << 16))
#define KERNEL_VMA	0xFFFFFFFF80000000

	.section .boot.header, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header			/* header_addr */
	.long __phys_start		/* load_addr */
	.long __phys_load_end		/* load_end_addr */
	.long __phys_bss_end		/* bss_end_addr */
	.long start32			/* entry_addr */

	.section .boot.text, "ax"
	.code32
	.globl start32
start32:
	cli
	movl	%eax, %edi		/* multiboot magic, kmain's 1st argument */
	movl	%ebx, %esi		/* multiboot info (physical), 2nd */
	movl	$boot_stack_top, %esp

	/* PD: 512 x 2 MiB pages covering the first GiB. */
	movl	$boot_pd, %ebx
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax		/* present, writable, 2 MiB */
	movl	%eax, (%ebx, %ecx, 8)
	movl	$0, 4(%ebx, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jne	1b

	movl	$boot_pd + 3, boot_pdpt_low
	movl	$boot_pd + 3, boot_pdpt_high + 510 * 8
	movl	$boot_pdpt_low + 3, boot_pml4
	movl	$boot_pdpt_high + 3, boot_pml4 + 511 * 8

	movl	%cr4, %eax
	orl	$(1 << 5), %eax		/* PAE */
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$0xC0000080, %ecx	/* EFER: long mode enable, NX enable */
	rdmsr
	orl	$((1 << 8) | (1 << 11)), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	movl	%eax, %cr0

	lgdt	boot_gdt_ptr
	ljmp	$0x08, $start64_low

	.code64
start64_low:
	movabsq	$start64_high, %rax
	jmp	*%rax

	.section .boot.data, "aw"
	.align 4096
boot_pml4:	.fill 512, 8, 0
boot_pdpt_low:	.fill 512, 8, 0
boot_pdpt_high:	.fill 512, 8, 0
boot_pd:	.fill 512, 8, 0
	.fill 1024, 1, 0
boot_stack_top:
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00AF9A000000FFFF	/* 64-bit code */
	.quad 0x00CF92000000FFFF	/* data */
boot_gdt_ptr:
	.word boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt

	.text
start64_high:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	xorw	%ax, %ax
	movw	%ax, %fs
	movw	%ax, %gs
	leaq	kernel_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	call	kmain
1:	cli
	hlt
	jmp	1b
