/*
 * KC_PRINT	rdi=buffer, rsi=length (at most 512): write to the console.
 *		Returns the length, or EFAULT.
 * KC_SHUTDOWN	rdi=exit code: power the machine off. Under QEMU the code
 *		becomes the emulator's exit status ((code << 1) | 1).
 */
#include "../proc.h"

int64_t do_print(struct proc *p)
{
	char buf[512];
	uint64_t len = p->regs.rsi;

	if (len > sizeof(buf))
		return -EINVAL;
	if (vm_copy_in(p->pml4, buf, p->regs.rdi, len))
		return -EFAULT;
	console_write(buf, len);
	return (int64_t)len;
}

int64_t do_shutdown(struct proc *p)
{
	kprintf("kernel: shutdown requested by %s, code %lu\n", p->name, p->regs.rdi);
	outb(0xF4, (uint8_t)p->regs.rdi);	/* QEMU isa-debug-exit */
	outw(0x604, 0x2000);			/* QEMU ACPI power off */
	for (;;)
		__asm__ volatile("cli; hlt");
}
