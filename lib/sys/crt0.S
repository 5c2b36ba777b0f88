/* Entry of a native program: rdi = own endpoint, rsi = own name. */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl	%ebp, %ebp
	andq	$-16, %rsp
	call	main
	movl	%eax, %esi
	xorl	%edi, %edi		/* SELF */
	movl	$0x1103, %eax		/* KCALL_BASE + KC_EXIT */
	syscall
	ud2
