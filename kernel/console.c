/*
 * Kernel console: polled output on COM1. It carries the kernel's own log
 * and the KC_PRINT diagnostics of early services; once the terminal driver
 * owns the port, it is the only writer there.
 */
#include <stdarg.h>
#include "kernel.h"

#define COM1	0x3F8

/* rep stosb, as Linux clears pages on CPUs with ERMS: fast on hardware,
 * and one instruction per byte under icount (docs/performance.md). */
void *kmemset(void *d, int c, size_t n)
{
	void *p = d;

	__asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
	return d;
}

void *kmemcpy(void *d, const void *s, size_t n)
{
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) :: "memory");
	return d;
}

/* gcc may emit calls to these for struct copies. */
void *memset(void *d, int c, size_t n) { return kmemset(d, c, n); }
void *memcpy(void *d, const void *s, size_t n) { return kmemcpy(d, s, n); }

void console_init(void)
{
	outb(COM1 + 1, 0);	/* no interrupts */
	outb(COM1 + 3, 0x80);	/* DLAB */
	outb(COM1 + 0, 1);	/* 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + 3, 0x03);	/* 8N1 */
	outb(COM1 + 2, 0xC7);	/* FIFO */
}

static void put_char(char c)
{
	if (c == '\n')
		put_char('\r');
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

void console_write(const char *s, size_t n)
{
	while (n--)
		put_char(*s++);
}

static void put_num(uint64_t v, int base, int neg, int width)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i < width)
		buf[i++] = '0';
	if (neg)
		put_char('-');
	while (i)
		put_char(buf[--i]);
}

static void vprint(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;
		if (*fmt != '%') {
			put_char(*fmt);
			continue;
		}
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l')
			lng++, fmt++;
		switch (*fmt) {
		case 'd': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, 0, width);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, 0, width);
			break;
		case 'p':
			put_char('0'), put_char('x');
			put_num((uint64_t)va_arg(ap, void *), 16, 0, 0);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			while (s && *s)
				put_char(*s++);
			break;
		}
		case 'c':
			put_char((char)va_arg(ap, int));
			break;
		default:
			put_char('%');
			put_char(*fmt);
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	__asm__ volatile("cli");
	kprintf("\nkernel panic: ");
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	kprintf("\n");
	outb(0xF4, 0x7F);	/* QEMU isa-debug-exit: stop the emulator */
	for (;;)
		__asm__ volatile("hlt");
}
