/*
 * Kernel entry and exit. There is one kernel stack: a trap from user mode
 * saves the user's registers straight into its process-table slot (the TSS
 * rsp0 and cur_frame_top point just past it), then switches to the kernel
 * stack and calls C. Nothing of a process lives on the kernel stack between
 * entries, so the kernel never blocks and any process can be resumed.
 */
#define USER_CS		0x23
#define USER_DS		0x1b
#define SYSCALL_VECTOR	0x100

.macro PUSH_GPRS
	pushq %rax; pushq %rbx; pushq %rcx; pushq %rdx; pushq %rsi; pushq %rdi
	pushq %rbp; pushq %r8; pushq %r9; pushq %r10; pushq %r11; pushq %r12
	pushq %r13; pushq %r14; pushq %r15
.endm
.macro POP_GPRS
	popq %r15; popq %r14; popq %r13; popq %r12; popq %r11; popq %r10
	popq %r9; popq %r8; popq %rbp; popq %rdi; popq %rsi; popq %rdx
	popq %rcx; popq %rbx; popq %rax
.endm

	.text
/* syscall: rcx = user rip, r11 = user rflags, interrupts masked by FMASK. */
	.globl syscall_entry
syscall_entry:
	movq	%rsp, user_rsp_scratch(%rip)
	movq	cur_frame_top(%rip), %rsp
	pushq	$USER_DS
	pushq	user_rsp_scratch(%rip)
	pushq	%r11
	pushq	$USER_CS
	pushq	%rcx
	pushq	$0
	pushq	$SYSCALL_VECTOR
	PUSH_GPRS
	leaq	kernel_stack_top(%rip), %rsp
	call	handle_syscall		/* does not return */
	ud2

/* Interrupts and exceptions; the CPU pushed an error code for some. */
.macro ISR_NOERR n
	.globl isr\n
isr\n:	pushq $0
	pushq $\n
	jmp isr_common
.endm
.macro ISR_ERR n
	.globl isr\n
isr\n:	pushq $\n
	jmp isr_common
.endm

isr_common:
	cld			/* user code may have set DF: kernel copies run forward */
	PUSH_GPRS
	pushq	$2		/* and AC: SMAP must stay on inside the kernel */
	popfq
	testb	$3, 18*8(%rsp)		/* saved cs: from user mode? */
	jz	1f
	leaq	kernel_stack_top(%rip), %rsp
	call	handle_trap		/* does not return */
	ud2
1:	movq	%rsp, %rdi		/* from the kernel (idle, or a bug) */
	call	handle_kernel_trap
	POP_GPRS
	addq	$16, %rsp
	iretq

/* restore_user(struct regs *): resume a process from its saved frame. */
	.globl restore_user
restore_user:
	movq	%rdi, %rsp
	POP_GPRS
	addq	$16, %rsp
	iretq

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
ISR_NOERR \n
.endr

	.section .rodata
	.globl isr_table
isr_table:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21
	.quad isr\n
.endr
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.quad isr\n
.endr

	.bss
	.align 16
	.globl user_rsp_scratch, cur_frame_top
user_rsp_scratch: .quad 0
cur_frame_top:	.quad 0
	.align 4096
	.globl kernel_stack_top
kernel_stack:	.skip 16384
kernel_stack_top:
	.globl df_stack_top
df_stack:	.skip 4096
df_stack_top:
